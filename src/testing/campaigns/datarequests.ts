/**
 * Data requests (API §3.25): a privacy export of a profile, subprofile or e-mail address.
 * The export is gathered when the request is made; it becomes available after a configurable
 * number of status polls or milliseconds (see README).
 */
import { FakeApiError, type FakeAccountContext, type FakeRecipient, type FakeRequest, type RouteTable } from '../contract.js';
import { campaignState, EVENT_NAMES, type CampaignState, type DataRequestRecord, type MailEvent, type Mailing } from './state.js';
import { formatTimestamp, requireEmail, requireId } from './util.js';

export const NOT_READY_TEXT = 'Data not available (yet)';

function eventRow(ev: MailEvent): unknown[] {
  const name = EVENT_NAMES[ev.kind];
  const time = formatTimestamp(ev.time);
  const id = ev.mailing.messageId;
  switch (ev.kind) {
    case 'click':
      return [name, time, ev.link?.url ?? '', id];
    case 'open':
      return [name, time, ev.ip ?? '', id];
    case 'error':
      return [name, time, ev.error?.description ?? '', id];
    case 'abuse':
      return [name, time, ev.abuseReport ?? '', id];
    default:
      return [name, time, ev.destination.email, id];
  }
}

function recipientRows(r: FakeRecipient): unknown[][] {
  const head: unknown[] =
    r.subprofile !== undefined
      ? ['subprofile', r.subprofile, 'collection', r.collection ?? null, 'profile', r.profile]
      : ['profile', r.profile, 'database', r.database];
  return [head, ...Object.entries(r.fields).map(([k, v]) => ['field', k, v])];
}

function gather(recipients: FakeRecipient[], events: MailEvent[]): unknown[][] {
  const data: unknown[][] = recipients.flatMap(recipientRows);
  const messages = new Map<string, Mailing>();
  for (const ev of events) messages.set(ev.mailing.messageId, ev.mailing);
  for (const m of messages.values()) data.push(['mime', m.mime]);
  for (const ev of events) data.push(eventRow(ev));
  return data;
}

function report(req: FakeRequest): string | undefined {
  const q = req.query.get('report');
  if (q !== null && q !== '') return q;
  const b = req.body;
  if (b && typeof b === 'object' && !Array.isArray(b)) {
    const v = (b as Record<string, unknown>).report;
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

function create(
  req: FakeRequest,
  type: DataRequestRecord['type'],
  subject: number | string,
  recipients: FakeRecipient[],
  events: MailEvent[],
) {
  const state = campaignState(req.account);
  const file = { info: { type, id: subject }, data: gather(recipients, events) };
  const id = state.nextDataRequest++;
  const rep = report(req);
  state.dataRequests.set(id, {
    id,
    type,
    subject,
    ...(rep !== undefined ? { report: rep } : {}),
    createdAt: state.now().getTime(),
    statusPolls: 0,
    ready: false,
    file,
    fileBytes: Buffer.byteLength(JSON.stringify(file)),
  });
  return {
    status: 201,
    headers: { 'X-Created': String(id), 'X-location': `${req.apiUrl}/datarequest/${id}` },
  };
}

function lookup(state: CampaignState, raw: string | undefined): DataRequestRecord | undefined {
  return raw !== undefined && /^\d+$/.test(raw) ? state.dataRequests.get(Number(raw)) : undefined;
}

function isReady(state: CampaignState, dr: DataRequestRecord): boolean {
  if (!dr.ready && state.now().getTime() - dr.createdAt >= state.options.dataRequestReadyAfterMs) dr.ready = true;
  if (!dr.ready && dr.statusPolls >= state.options.dataRequestReadyAfterPolls) dr.ready = true;
  return dr.ready;
}

/** Mark a data request available at once (a test control). */
export function completeDataRequest(account: FakeAccountContext, id: number | string): void {
  const dr = lookup(campaignState(account), String(id));
  if (!dr) throw new TypeError(`No data request ${String(id)}`);
  dr.ready = true;
}

export function registerDataRequestRoutes(routes: RouteTable): void {
  routes.add('POST', '/profile/{profileId}/datarequest', (req) => {
    const id = requireId(req.params.profileId, 'profile');
    const p = req.account.profile(id);
    if (!p) throw new FakeApiError('No entity with supplied ID');
    const events = campaignState(req.account).events.filter((e) => e.destination.profile === id);
    return create(req, 'profile', id, [p], events);
  });

  routes.add('POST', '/subprofile/{subprofileId}/datarequest', (req) => {
    const id = requireId(req.params.subprofileId, 'subprofile');
    const s = req.account.subprofile(id);
    if (!s) throw new FakeApiError('No subprofile with supplied ID');
    const events = campaignState(req.account).events.filter((e) => e.destination.subprofile === id);
    return create(req, 'subprofile', id, [s], events);
  });

  routes.add('POST', '/email/{email}/datarequest', (req) => {
    const email = requireEmail(req.params.email);
    const lower = email.toLowerCase();
    const events = campaignState(req.account).events.filter((e) => e.destination.email.toLowerCase() === lower);
    return create(req, 'email', email, req.account.byEmail(email), events);
  });

  routes.add('GET', '/datarequest/{id}/status', (req) => {
    const state = campaignState(req.account);
    const dr = lookup(state, req.params.id);
    if (!dr) return { status: 200, json: { status: 'not available' } };
    dr.statusPolls++;
    const ready = isReady(state, dr);
    const progress = Math.min(dr.statusPolls / Math.max(state.options.dataRequestReadyAfterPolls, 1), 0.9);
    return {
      status: 200,
      json: {
        status: ready ? 'available' : 'pending',
        available: ready ? dr.fileBytes : Math.floor(dr.fileBytes * progress),
        'content-type': 'application/json',
      },
    };
  });

  routes.add('GET', '/datarequest/{id}/data', (req) => {
    const state = campaignState(req.account);
    const dr = lookup(state, req.params.id);
    if (!dr) throw new FakeApiError('No data request with supplied ID', 404);
    if (!isReady(state, dr)) throw new FakeApiError(NOT_READY_TEXT, 404);
    return { status: 200, json: dr.file };
  });

  routes.add('GET', '/datarequest/{id}', (req) => {
    const state = campaignState(req.account);
    const dr = lookup(state, req.params.id);
    if (!dr) throw new FakeApiError('No data request with supplied ID');
    return { status: 200, json: isReady(state, dr) ? dr.file : { info: dr.file.info, data: NOT_READY_TEXT } };
  });
}
