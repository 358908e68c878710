/**
 * The nine events endpoints (API §3.19): date window, tag filter, flat event records.
 */
import { FakeApiError, type FakeRequest, type FakeResponse, type RouteTable } from '../contract.js';
import { eventRecord } from './records.js';
import { campaignState, type CampaignState, type MailEvent, type Mailing } from './state.js';
import { addDays, addMonths, formatDate, parseDate, requireEmail, requireId, startOfDay } from './util.js';

export interface EventWindow {
  /** Inclusive, UTC midnight. */
  start: Date;
  /** Exclusive, UTC midnight. */
  end: Date;
}

function dateParam(req: FakeRequest, name: 'start' | 'end'): Date | undefined {
  const raw = req.query.get(name);
  if (raw === null || raw === '') return undefined;
  const d = parseDate(raw.trim());
  if (!d) throw new FakeApiError(`Invalid ${name} date ${JSON.stringify(raw)}: expected YYYY-MM-DD`);
  return d;
}

/**
 * The window of one events call (API §3.19 window table). `defaultWindow` is used when neither
 * `start` nor `end` is given. At most one calendar month: a longer window is cut to one month
 * from `start` (or refused with 400 when the account's `windowMode` is `'reject'`).
 */
export function eventWindow(req: FakeRequest, state: CampaignState, defaultWindow: () => EventWindow): EventWindow {
  const start = dateParam(req, 'start');
  const end = dateParam(req, 'end');
  if (!start && !end) return defaultWindow();
  if (start && !end) return { start, end: addMonths(start, 1) };
  if (!start && end) return { start: addMonths(end, -1), end };
  const s = start as Date;
  const e = end as Date;
  if (e.getTime() <= s.getTime()) {
    throw new FakeApiError(`Invalid period: end (${formatDate(e)}) must be after start (${formatDate(s)})`);
  }
  const limit = addMonths(s, 1);
  if (e.getTime() > limit.getTime()) {
    if (state.options.windowMode === 'reject') {
      throw new FakeApiError(`Period too long: at most one month per call (start ${formatDate(s)} allows end up to ${formatDate(limit)})`);
    }
    return { start: s, end: limit };
  }
  return { start: s, end: e };
}

/** "The last monthly period": from one month before tomorrow (UTC) up to tomorrow, so today counts. */
function lastMonth(state: CampaignState): EventWindow {
  const end = addDays(startOfDay(state.now()), 1);
  return { start: addMonths(end, -1), end };
}

/** Message events: from the sending day until one month later. */
function fromSending(mailing: Mailing): EventWindow {
  const start = startOfDay(mailing.sentAt);
  return { start, end: addMonths(start, 1) };
}

/** Split a `;`-joined tag list; empty entries are ignored. */
export function parseTags(value: string): string[] {
  return value
    .split(';')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

function hasAllTags(mailing: Mailing, tags: string[]): boolean {
  const own = new Set(mailing.tags.map((t) => t.toLowerCase()));
  return tags.every((t) => own.has(t.toLowerCase()));
}

interface Selection {
  match: (ev: MailEvent) => boolean;
  defaultWindow: () => EventWindow;
  /** Whether the `tags` query parameter is honoured on this endpoint. */
  tagsParam: boolean;
}

function respond(req: FakeRequest, state: CampaignState, sel: Selection): FakeResponse {
  const window = eventWindow(req, state, sel.defaultWindow);
  const tagsRaw = sel.tagsParam ? req.query.get('tags') : null;
  const tags = tagsRaw === null ? [] : parseTags(tagsRaw);
  const from = window.start.getTime();
  const to = window.end.getTime();
  const out: Record<string, unknown>[] = [];
  for (const ev of state.events) {
    const t = ev.time.getTime();
    if (t < from || t >= to) continue;
    if (!sel.match(ev)) continue;
    if (tags.length > 0 && !hasAllTags(ev.mailing, tags)) continue;
    out.push(eventRecord(ev));
  }
  return { status: 200, json: out };
}

function findMessage(state: CampaignState, id: string | undefined, kind: Mailing['kind']): Mailing {
  const m = id === undefined ? undefined : state.messages.get(id);
  if (!m || m.kind !== kind) throw new FakeApiError('No message with supplied ID');
  return m;
}

export function registerEventRoutes(routes: RouteTable): void {
  routes.add('GET', '/profile/{profileId}/events', (req) => {
    const state = campaignState(req.account);
    const id = requireId(req.params.profileId, 'profile');
    if (!req.account.profile(id) && !state.events.some((e) => e.destination.profile === id)) {
      throw new FakeApiError('No entity with supplied ID');
    }
    return respond(req, state, {
      // everything mailed to the profile, including mails to its subprofiles
      match: (e) => e.destination.profile === id,
      defaultWindow: () => lastMonth(state),
      tagsParam: true,
    });
  });

  routes.add('GET', '/subprofile/{subprofileId}/events', (req) => {
    const state = campaignState(req.account);
    const id = requireId(req.params.subprofileId, 'subprofile');
    if (!req.account.subprofile(id) && !state.events.some((e) => e.destination.subprofile === id)) {
      throw new FakeApiError('No subprofile with supplied ID');
    }
    return respond(req, state, {
      match: (e) => e.destination.subprofile === id,
      defaultWindow: () => lastMonth(state),
      tagsParam: true,
    });
  });

  routes.add('GET', '/email/{email}/events', (req) => {
    const state = campaignState(req.account);
    const email = requireEmail(req.params.email).toLowerCase();
    return respond(req, state, {
      match: (e) => e.destination.email.toLowerCase() === email,
      defaultWindow: () => lastMonth(state),
      tagsParam: true,
    });
  });

  routes.add('GET', '/message/{messageId}/events', (req) => {
    const state = campaignState(req.account);
    const m = findMessage(state, req.params.messageId, 'marketing-suite');
    return respond(req, state, { match: (e) => e.mailing === m, defaultWindow: () => fromSending(m), tagsParam: true });
  });

  routes.add('GET', '/old/message/{messageId}/events', (req) => {
    const state = campaignState(req.account);
    const m = findMessage(state, req.params.messageId, 'publisher');
    return respond(req, state, { match: (e) => e.mailing === m, defaultWindow: () => fromSending(m), tagsParam: false });
  });

  const byTemplate = (kind: Mailing['kind']) => (req: FakeRequest) => {
    const state = campaignState(req.account);
    const id = requireId(req.params.templateId, 'template');
    return respond(req, state, {
      match: (e) => e.mailing.kind === kind && e.mailing.templateId === id,
      defaultWindow: () => lastMonth(state),
      tagsParam: true,
    });
  };
  routes.add('GET', '/template/{templateId}/events', byTemplate('marketing-suite'));
  routes.add('GET', '/old/template/{templateId}/events', byTemplate('publisher'));

  routes.add('GET', '/old/document/{documentId}/events', (req) => {
    const state = campaignState(req.account);
    const id = requireId(req.params.documentId, 'document');
    return respond(req, state, {
      match: (e) => e.mailing.kind === 'publisher' && e.mailing.documentId === id,
      defaultWindow: () => lastMonth(state),
      tagsParam: true,
    });
  });

  routes.add('GET', '/tags/{tags}/events', (req) => {
    const state = campaignState(req.account);
    const tags = parseTags(req.params.tags ?? '');
    if (tags.length === 0) throw new FakeApiError('No tags supplied');
    return respond(req, state, {
      match: (e) => hasAllTags(e.mailing, tags),
      defaultWindow: () => lastMonth(state),
      tagsParam: false,
    });
  });
}
