/**
 * `sendMailing`: simulate one mailing and record everything it produces (attempts, retries,
 * deliveries, failures, opens, clicks, unsubscribes, abuse reports), deterministically from a seed.
 */
import type { FakeAccountContext, FakeMailingTarget, FakeRecipient } from '../contract.js';
import { ERRORS, GEO, USER_AGENTS, abuseReport, randomIp } from './records.js';
import { campaignState, type Destination, type Link, type MailEvent, type Mailing, type MailingKind } from './state.js';
import { formatTimestamp, pick, prng, randInt, randomToken } from './util.js';

/** Shares (0 to 1) of the recipients that produce each result in {@link FakeCopernica.sendMailing}. */
export interface MailingRates {
  /** Share of delivered recipients that open the mail. Default 0.4. */
  open?: number;
  /** Share of delivered recipients that click (a click implies an open). Default 0.15. */
  click?: number;
  /** Share of recipients whose mail fails (bounce/error) instead of being delivered. Default 0.05. */
  bounce?: number;
  /** Share of delivered recipients that unsubscribe. Default 0.02. */
  unsubscribe?: number;
  /** Share of delivered recipients that file an abuse complaint. Default 0.01. */
  abuse?: number;
}

/** Options of {@link FakeCopernica.sendMailing}. */
export interface SendMailingOptions {
  /** Who receives it: a database, view, collection or miniview; recipients without an e-mail address are skipped. */
  target: FakeMailingTarget;
  /** Template ID; default a new one per mailing. */
  template?: number;
  /** Subject line; default `Mailing <n>`. */
  subject?: string;
  /** Tags of the mails (no `;`), shown `;`-joined in events and logfiles and matched by the `tags` event filter. */
  tags?: string[];
  /** Send time (Date or anything `Date` parses); default now (the campaign clock). */
  at?: Date | string;
  /** `marketing-suite` (default; `/message`, `cdm-*` logfiles) or `publisher` (`/old/...`, `pom-*`). */
  kind?: MailingKind;
  /** Seed of the simulation; default the mailing's sequence number. Same seed, same results. */
  seed?: number;
  /** Shares (0 to 1) of the recipients per result: `open` (default 0.4), `click` (0.15), `bounce` (0.05), `unsubscribe` (0.02), `abuse` (0.01). */
  rates?: MailingRates;
  /** Sender address; default `news@example.com`. Its domain is the `senderdomain`. */
  from?: string;
}

/** What {@link FakeCopernica.sendMailing} produced. */
export interface MailingSummary {
  /** The opaque message ID (`/message/{id}…`, or `/old/message/{id}…` for a publisher mailing). */
  messageId: string;
  /** Numeric mailing ID (`mailingid` column, `emailing` of impressions). */
  mailingId: number;
  /** `marketing-suite` or `publisher`. */
  kind: MailingKind;
  /** Template ID (`/template/{id}/events`, or `/old/template/{id}/events` for a publisher mailing). */
  templateId: number;
  /** Document ID (`/emailingdocument/{id}`, or `/old/document/{id}/events` for a publisher mailing). */
  documentId?: number;
  /** Send time, `YYYY-MM-DD hh:mm:ss` UTC. */
  sentAt: string;
  /** Number of recipients mailed (those with an e-mail address). */
  recipients: number;
  /** Number of events of each kind the simulation recorded. */
  counts: {
    /** Successful deliveries. */
    deliveries: number;
    /** Opens (impressions). */
    opens: number;
    /** Clicks (one or two per clicking recipient). */
    clicks: number;
    /** Failed mails (bounces and errors). */
    bounces: number;
    /** Unsubscribes. */
    unsubscribes: number;
    /** Abuse complaints. */
    abuses: number;
  };
}

const DEFAULT_RATES: Required<MailingRates> = { open: 0.4, click: 0.15, bounce: 0.05, unsubscribe: 0.02, abuse: 0.01 };

function rate(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0 || v > 1) throw new TypeError(`rates.${name} must be between 0 and 1`);
  return v;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function buildBodies(m: Omit<Mailing, 'html' | 'text' | 'mime'>): { html: string; text: string; mime: string } {
  const html =
    `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(m.subject)}</title></head><body>\n` +
    `<h1>${escapeHtml(m.subject)}</h1>\n<p>Hello {$firstname},</p>\n` +
    m.links.map((l) => `<p><a href="${escapeHtml(l.url)}">${escapeHtml(l.url)}</a></p>\n`).join('') +
    `</body></html>\n`;
  const text = `${m.subject}\n\nHello {$firstname},\n\n${m.links.map((l) => l.url).join('\n')}\n`;
  const boundary = `b-${m.messageId}`;
  const mime =
    `MIME-Version: 1.0\r\nFrom: ${m.fromAddress}\r\nSubject: ${m.subject}\r\nMessage-ID: <${m.messageId}@${m.senderDomain}>\r\n` +
    `Date: ${m.sentAt.toUTCString()}\r\nContent-Type: multipart/alternative; boundary="${boundary}"\r\n\r\n` +
    `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text.replace(/\n/g, '\r\n')}\r\n` +
    `--${boundary}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html.replace(/\n/g, '\r\n')}\r\n` +
    `--${boundary}--\r\n`;
  return { html, text, mime };
}

/** A Date, or a string: `YYYY-MM-DD[ hh:mm[:ss]]` is read as UTC (the API's own form), anything else via `Date`. */
function parseWhen(at: Date | string): Date {
  if (at instanceof Date) return new Date(at.getTime());
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(at.trim());
  if (m) return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)));
  return new Date(at);
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Simulate a mailing to `opts.target` and record its results in the account's campaign state. */
export function sendMailing(account: FakeAccountContext, opts: SendMailingOptions): MailingSummary {
  const state = campaignState(account);
  // only recipients with an address are mailed
  const recipients: FakeRecipient[] = account.recipients(opts.target).filter((r) => r.email.trim() !== '');
  const kind: MailingKind = opts.kind ?? 'marketing-suite';
  if (kind !== 'marketing-suite' && kind !== 'publisher') throw new TypeError(`Unknown mailing kind: ${String(kind)}`);
  const sentAt = opts.at === undefined ? state.now() : parseWhen(opts.at);
  if (Number.isNaN(sentAt.getTime())) throw new TypeError(`Invalid send time: ${String(opts.at)}`);
  sentAt.setUTCMilliseconds(0);
  const rates = opts.rates ?? {};
  const pOpen = rate(rates.open, DEFAULT_RATES.open, 'open');
  const pClick = rate(rates.click, DEFAULT_RATES.click, 'click');
  const pBounce = rate(rates.bounce, DEFAULT_RATES.bounce, 'bounce');
  const pUnsub = rate(rates.unsubscribe, DEFAULT_RATES.unsubscribe, 'unsubscribe');
  const pAbuse = rate(rates.abuse, DEFAULT_RATES.abuse, 'abuse');
  const tags = (opts.tags ?? []).map((t) => t.trim()).filter((t) => t !== '');
  for (const t of tags) if (t.includes(';')) throw new TypeError(`A tag cannot contain ';': ${t}`);

  const n = state.nextMailing++;
  const seed = opts.seed ?? n;
  const rand = prng(seed);
  let messageId = randomToken(rand, 10);
  while (state.messages.has(messageId)) messageId = randomToken(rand, 10);
  const from = opts.from ?? 'news@example.com';
  const links: Link[] = ['sale', 'news', 'account'].map((p, k) => ({
    id: n * 10 + k + 1,
    url: `https://www.example.com/${p}?utm_campaign=m${n}`,
  }));
  const base = {
    kind,
    messageId,
    mailingId: 4_400 + n,
    groupId: 5_500 + n,
    templateId: opts.template ?? 1_000 + n,
    documentId: 2_200 + n,
    subject: opts.subject ?? `Mailing ${n}`,
    fromAddress: from,
    senderDomain: from.split('@')[1] ?? 'example.com',
    tags,
    sentAt,
    links,
    recipientCount: recipients.length,
  };
  if (!Number.isSafeInteger(base.templateId) || base.templateId <= 0) throw new TypeError('template must be a positive integer');
  const mailing: Mailing = { ...base, ...buildBodies(base) };

  const counts = { deliveries: 0, opens: 0, clicks: 0, bounces: 0, unsubscribes: 0, abuses: 0 };
  const produced: MailEvent[] = [];
  const at = (ms: number): Date => new Date(Math.floor(ms / SECOND) * SECOND);
  const push = (ev: Omit<MailEvent, 'seq' | 'mailing' | 'destination'>, destination: Destination): MailEvent => {
    const full: MailEvent = { seq: 0, mailing, destination, ...ev };
    produced.push(full);
    return full;
  };

  for (const r of recipients) {
    const destination: Destination = {
      id: state.nextDestination++,
      profile: r.profile,
      database: r.database,
      ...(r.subprofile !== undefined ? { subprofile: r.subprofile } : {}),
      ...(r.collection !== undefined ? { collection: r.collection } : {}),
      email: r.email,
    };
    const tAttempt = sentAt.getTime() + randInt(rand, 0, 600) * SECOND;
    push({ kind: 'attempt', time: at(tAttempt) }, destination);
    const bounced = rand() < pBounce;
    const retried = rand() < (bounced ? 0.5 : 0.1);
    let t = tAttempt;
    if (retried) {
      t += randInt(rand, 5, 30) * MINUTE;
      push({ kind: 'retry', time: at(t), attempt: 0 }, destination);
    }
    if (bounced) {
      t += randInt(rand, 1, retried ? 4 * 3600 : 60) * SECOND;
      const err = pick(rand, ERRORS);
      push({ kind: 'error', time: at(t), error: { ...err, content: err.content.replace('{email}', r.email) } }, destination);
      counts.bounces++;
      continue;
    }
    t += randInt(rand, 1, 120) * SECOND;
    const tDelivery = t;
    push({ kind: 'delivery', time: at(t), attempts: retried ? 1 : 0 }, destination);
    counts.deliveries++;

    const clicks = rand() < pClick;
    const opens = clicks || rand() < pOpen;
    const ua = pick(rand, USER_AGENTS);
    const ip = randomIp(rand);
    const geo = pick(rand, GEO);
    let tOpen = tDelivery;
    if (opens) {
      // minutes to days: 1 minute plus an exponential tail (mean 6 hours), at most 5 days
      tOpen = tDelivery + MINUTE + Math.min(5 * DAY, Math.floor(-Math.log(1 - rand()) * 6 * HOUR));
      push({ kind: 'open', time: at(tOpen), ip, userAgent: ua, geo, impressionId: 0 }, destination);
      counts.opens++;
    }
    if (clicks) {
      const nClicks = rand() < 0.3 ? 2 : 1;
      let tClick = tOpen;
      for (let k = 0; k < nClicks; k++) {
        tClick += randInt(rand, 5, 900) * SECOND;
        push({ kind: 'click', time: at(tClick), ip, userAgent: ua, geo, link: pick(rand, links) }, destination);
        counts.clicks++;
      }
    }
    if (rand() < pUnsub) {
      push({ kind: 'unsubscribe', time: at((opens ? tOpen : tDelivery) + randInt(rand, 30, 3600) * SECOND) }, destination);
      counts.unsubscribes++;
    }
    if (rand() < pAbuse) {
      push({ kind: 'abuse', time: at(tDelivery + randInt(rand, 1, 72) * HOUR), abuseReport: abuseReport(r.email, messageId) }, destination);
      counts.abuses++;
    }
  }

  // A mailing sent in the past never has events in the future: when the simulated times run past
  // the clock, they are squeezed into [send time, now], keeping their order and relative spacing.
  // A mailing sent now or later keeps its simulated times (it is still going on).
  const now = Math.floor(state.now().getTime() / SECOND) * SECOND;
  const start = sentAt.getTime();
  const last = produced.reduce((max, ev) => Math.max(max, ev.time.getTime()), start);
  if (start < now && last > now) {
    const scale = (now - start) / (last - start);
    for (const ev of produced) ev.time = at(start + (ev.time.getTime() - start) * scale);
  }

  // stable time order; impression IDs follow that order
  produced.sort((a, b) => a.time.getTime() - b.time.getTime());
  for (const ev of produced) {
    ev.seq = state.nextSeq++;
    if (ev.kind === 'open') ev.impressionId = state.nextImpression++;
    state.events.push(ev);
  }
  state.mailings.push(mailing);
  state.messages.set(messageId, mailing);
  state.logfileIndex = undefined;

  return {
    messageId,
    mailingId: mailing.mailingId,
    kind,
    templateId: mailing.templateId,
    documentId: mailing.documentId,
    sentAt: formatTimestamp(mailing.sentAt),
    recipients: recipients.length,
    counts,
  };
}
