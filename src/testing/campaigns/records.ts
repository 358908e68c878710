/**
 * One internal {@link MailEvent} shown three ways: as a flat event record (events endpoints),
 * as a logfile row (CSV/JSON/XML) and as an impression. Deriving all of them from the same
 * object is what keeps the endpoints consistent with each other.
 */
import { EVENT_NAMES, type EventKind, type MailEvent, type Mailing } from './state.js';
import { LOGFILE_COLUMNS, type LogfileRecord, type LogfileType } from './logfile-types.js';
import { formatTimestamp, mixSeed, pick, prng, randInt, randomToken } from './util.js';

const CDM_FILE: Record<EventKind, LogfileType> = {
  attempt: 'cdm-attempts',
  retry: 'cdm-retry',
  delivery: 'cdm-delivery',
  error: 'cdm-error',
  open: 'cdm-impression',
  click: 'cdm-click',
  unsubscribe: 'cdm-unsubscribe',
  abuse: 'cdm-abuse',
};
const POM_FILE: Record<EventKind, LogfileType> = {
  attempt: 'pom-attempts',
  retry: 'pom-retries',
  delivery: 'pom-deliveries',
  error: 'pom-errors',
  open: 'pom-impressions',
  click: 'pom-clicks',
  unsubscribe: 'pom-unsubscribes',
  abuse: 'pom-abuses',
};
const KIND_OF_FILE = new Map<LogfileType, EventKind>([
  ...Object.entries(CDM_FILE).map(([k, f]) => [f, k as EventKind] as const),
  ...Object.entries(POM_FILE).map(([k, f]) => [f, k as EventKind] as const),
]);

/** The logfile type an event is written to. */
export function logfileTypeOf(ev: MailEvent): LogfileType {
  return (ev.mailing.kind === 'publisher' ? POM_FILE : CDM_FILE)[ev.kind];
}

/** Value of one logfile column for an event. */
function columnValue(ev: MailEvent, column: string, type: LogfileType): string | number {
  const m = ev.mailing;
  const d = ev.destination;
  switch (column) {
    case 'id':
      return m.messageId;
    case 'time':
      return formatTimestamp(ev.time);
    case 'mailingid':
      return m.mailingId;
    case 'groupid':
      return m.groupId;
    case 'profileid':
    case 'profile':
      return d.profile;
    case 'subprofileid':
    case 'subprofile':
      return d.subprofile ?? 0;
    case 'databaseid':
      return d.database;
    case 'collectionid':
      return d.collection ?? 0;
    case 'senderdomain':
      return m.senderDomain;
    case 'templateid':
    case 'template':
      return m.templateId;
    case 'documentid':
    case 'document':
      return m.documentId;
    case 'tags':
      return m.tags.join(';');
    case 'email':
      return d.email;
    case 'mail':
      return ev.abuseReport ?? '';
    // pom-retries calls its retry counter `attempts` (API §4.8 item 82)
    case 'attempts':
      return type === 'pom-retries' ? (ev.attempt ?? 0) : (ev.attempts ?? 0);
    case 'attempt':
      return ev.attempt ?? 0;
    case 'linkinfo':
      return ev.link?.id ?? 0;
    case 'ip':
      return ev.ip ?? '';
    case 'header':
      return ev.userAgent ? `User-Agent: ${ev.userAgent}` : '';
    case 'countrycode':
      return ev.geo?.countrycode ?? '';
    case 'countryname':
      return ev.geo?.countryname ?? '';
    case 'regioncode':
      return ev.geo?.regioncode ?? '';
    case 'city':
      return ev.geo?.city ?? '';
    case 'type':
      return ev.error?.type ?? '';
    case 'status':
      return ev.error?.status ?? '';
    case 'description':
      return ev.error?.description ?? '';
    case 'code':
      return ev.error?.code ?? 0;
    case 'content':
      return ev.error?.content ?? '';
    default:
      return '';
  }
}

/** The event as a row of its logfile, columns in file order. */
export function logfileRecord(ev: MailEvent, type: LogfileType = logfileTypeOf(ev)): LogfileRecord {
  const rec: LogfileRecord = {};
  for (const col of LOGFILE_COLUMNS[type]) rec[col] = columnValue(ev, col, type);
  return rec;
}

/** Flat event record as the events endpoints return it (API §4.7 item 74: the flat form). */
export function eventRecord(ev: MailEvent): Record<string, unknown> {
  const m = ev.mailing;
  const d = ev.destination;
  const rec: Record<string, unknown> = {
    event: EVENT_NAMES[ev.kind],
    time: formatTimestamp(ev.time),
    message: m.messageId,
    mailing: String(m.mailingId),
    template: String(m.templateId),
    document: String(m.documentId),
    email: d.email,
    profile: String(d.profile),
    subprofile: d.subprofile === undefined ? null : String(d.subprofile),
    database: String(d.database),
    collection: d.collection === undefined ? null : String(d.collection),
    destination: String(d.id),
    tags: m.tags.join(';'),
  };
  switch (ev.kind) {
    case 'retry':
      rec.attempt = ev.attempt ?? 0;
      break;
    case 'delivery':
      rec.attempts = ev.attempts ?? 0;
      break;
    case 'error':
      Object.assign(rec, ev.error);
      break;
    case 'open':
      rec.ip = ev.ip;
      rec['user-agent'] = ev.userAgent;
      break;
    case 'click':
      rec.url = ev.link?.url;
      rec.link = String(ev.link?.id ?? '');
      rec.ip = ev.ip;
      rec['user-agent'] = ev.userAgent;
      break;
    case 'abuse':
      rec.report = ev.abuseReport;
      break;
    default:
      break;
  }
  return rec;
}

/** Impression object of an open event (API §2 `Impression`). */
export function impressionRecord(ev: MailEvent): Record<string, unknown> {
  return {
    ID: String(ev.impressionId),
    timestamp: formatTimestamp(ev.time),
    ip: ev.ip ?? '',
    'user-agent': ev.userAgent ?? '',
    referer: '',
    emailing: String(ev.mailing.mailingId),
    destination: String(ev.destination.id),
    profile: String(ev.destination.profile),
    subprofile: ev.destination.subprofile === undefined ? null : String(ev.destination.subprofile),
  };
}

// ---------------------------------------------------------------------------------------------
// Made-up details shared by sendMailing and synthetic logfiles

export const USER_AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'Microsoft Outlook 16.0.17328; Pro',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
];

export const GEO = [
  { countrycode: 'NL', countryname: 'Netherlands', regioncode: 'NH', city: 'Amsterdam' },
  { countrycode: 'NL', countryname: 'Netherlands', regioncode: 'ZH', city: "'s-Gravenhage" },
  { countrycode: 'BE', countryname: 'Belgium', regioncode: 'VAN', city: 'Antwerpen' },
  { countrycode: 'DE', countryname: 'Germany', regioncode: 'BE', city: 'Berlin' },
  { countrycode: 'US', countryname: 'United States', regioncode: 'NY', city: 'New York, NY' },
];

export const ERRORS = [
  {
    type: 'bounce',
    status: '5.1.1',
    description: 'Recipient address rejected: User unknown',
    code: 550,
    content: '550 5.1.1 <{email}>: Recipient address rejected: User unknown in virtual mailbox table',
  },
  { type: 'bounce', status: '5.2.2', description: 'Mailbox full', code: 552, content: '552 5.2.2 Mailbox full, "quota exceeded"' },
  {
    type: 'error',
    status: '5.7.1',
    description: 'Message rejected as spam',
    code: 554,
    content: '554 5.7.1 Service unavailable; client host blocked',
  },
];

export function randomIp(rand: () => number): string {
  return `${pick(rand, [203, 198, 192])}.${randInt(rand, 0, 255)}.${randInt(rand, 0, 255)}.${randInt(rand, 1, 254)}`;
}

export function abuseReport(email: string, messageId: string): string {
  return `Feedback-Type: abuse\r\nUser-Agent: "ExampleISP FBL, v1.0"\r\nOriginal-Rcpt-To: ${email}\r\nX-Copernica-Message: ${messageId}`;
}

// ---------------------------------------------------------------------------------------------
// Synthetic logfile rows: a pure function of (type, date, rows, seed, index)

const SYNTHETIC_MAILINGS = 16;

function syntheticMailing(type: LogfileType, seed: number, k: number): Mailing {
  const r = prng(mixSeed(seed ^ 0x5bd1e995, k)); // a stream apart from the rows' streams
  const kind = type.startsWith('pom-') ? 'publisher' : 'marketing-suite';
  return {
    kind,
    messageId: randomToken(r, 10),
    mailingId: 50_000 + k,
    groupId: 60_000 + k,
    templateId: 800 + k,
    documentId: 2_000 + k,
    subject: `Synthetic mailing ${k}`,
    fromAddress: 'news@example.com',
    senderDomain: pick(r, ['example.com', 'mail.example.com', 'news.example.org']),
    tags: k % 3 === 0 ? [] : k % 3 === 1 ? ['newsletter'] : ['sale', 'summer'],
    sentAt: new Date(0),
    links: [],
    recipientCount: 0,
    html: '',
    text: '',
    mime: '',
  };
}

/** A row source for one synthetic logfile: `row(i)` is deterministic in (seed, i). */
export function syntheticRows(type: LogfileType, date: string, rows: number, seed: number): (i: number) => LogfileRecord {
  const kind = KIND_OF_FILE.get(type) as EventKind;
  const mailings = Array.from({ length: SYNTHETIC_MAILINGS }, (_, k) => syntheticMailing(type, seed, k));
  const dayStart = Date.parse(`${date}T00:00:00Z`);
  const step = 86_400_000 / Math.max(rows, 1);
  return (i: number) => {
    const r = prng(mixSeed(seed, i));
    const mailing = mailings[i % SYNTHETIC_MAILINGS] as Mailing;
    const profile = randInt(r, 1, 9_999_999);
    const hasSub = r() < 0.3;
    const email = `user${profile}@example.${pick(r, ['com', 'nl', 'org'])}`;
    const ev: MailEvent = {
      seq: i,
      kind,
      time: new Date(dayStart + Math.floor((i * step) / 1000) * 1000),
      mailing,
      destination: {
        id: i + 1,
        profile,
        database: randInt(r, 1, 40),
        ...(hasSub ? { subprofile: randInt(r, 1, 9_999_999), collection: randInt(r, 1, 20) } : {}),
        email,
      },
      attempts: randInt(r, 0, 2),
      attempt: randInt(r, 0, 3),
      link: { id: randInt(r, 1, 5_000), url: '' },
      ip: randomIp(r),
      userAgent: pick(r, USER_AGENTS),
      geo: pick(r, GEO),
      abuseReport: abuseReport(email, mailing.messageId),
    };
    const err = pick(r, ERRORS);
    ev.error = { ...err, content: err.content.replace('{email}', email) };
    return logfileRecord(ev, type);
  };
}
