/**
 * Events (spec/API.md §3.19): deliveries, opens, clicks, failures, … of sent mails, by profile, subprofile,
 * address, message, template, document or tags. The API serves at most one month (UTC) per call;
 * a longer window is fetched month by month and streamed in order.
 */
import { z } from 'zod';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/config.js';
import { ValidationError } from '../core/errors.js';
import { collectItems } from '../core/items.js';
import { checkInput } from '../core/input.js';
import { param, path, toDate, type Id } from '../core/path.js';
import { id, listOf, model, timestamp, type Mode, type Model, type ObjectMaker } from '../core/schema.js';

// ---------------------------------------------------------------------------------------------
// Event records

/** Properties every event record may carry (the pages show `event`, `time`, `ip`, `email`, `url`). */
export interface EventRecordBase {
  /**
   * When it happened, `YYYY-MM-DD hh:mm:ss` (UTC); `null` for a zero date; absent when the reply
   * does not carry it (the v1 event pages do not promise it) or carried something unusable.
   */
  time?: string | null;
  /** Opaque message ID (e.g. `dkJDF343Df`). */
  message?: string;
  /** Mailing ID. */
  mailing?: number;
  /** Template ID. */
  template?: number | null;
  /** Document ID. */
  document?: number | null;
  /** Recipient address. */
  email?: string;
  /** Profile ID. */
  profile?: number | null;
  /** Subprofile ID; `null` for mails to a profile. */
  subprofile?: number | null;
  /** Database ID. */
  database?: number | null;
  /** Collection ID; `null` for mails to a profile. */
  collection?: number | null;
  /** Destination ID. */
  destination?: number | null;
  /** Tags of the mail, `;`-separated. */
  tags?: string;
}

/** A send attempt. */
export interface AttemptEventRecord extends EventRecordBase {
  /** `'attempt'`: a send attempt. */
  event: 'attempt';
}
/** A retried delivery; `attempt` counts retries from 0. */
export interface RetryEventRecord extends EventRecordBase {
  /** `'retry'`: a retried delivery. */
  event: 'retry';
  /** Number of this retry, counted from 0; `null` for an empty value. */
  attempt?: number | null;
}
/** A successful delivery; `attempts` = attempts needed, from 0. */
export interface DeliveryEventRecord extends EventRecordBase {
  /** `'delivery'`: a successful delivery. */
  event: 'delivery';
  /** Attempts the delivery needed, counted from 0; `null` for an empty value. */
  attempts?: number | null;
}
/** A failed mail (bounce or error). */
export interface FailureEventRecord extends EventRecordBase {
  /** `'failure'`: a failed mail. */
  event: 'failure';
  /** Kind of error, e.g. `bounce`. */
  type?: string;
  /** SMTP status, e.g. `5.1.1`. */
  status?: string;
  /** Human-readable reason, e.g. `Mailbox full`. */
  description?: string;
  /** Error code, e.g. 550. */
  code?: number | null;
  /** The receiving server's full reply, e.g. `552 5.2.2 Mailbox full`. */
  content?: string;
}
/** An open (impression). */
export interface OpenEventRecord extends EventRecordBase {
  /** `'open'`: an open. */
  event: 'open';
  /** IP address of the opener. */
  ip?: string;
  /** User-Agent of the opener's mail client or browser. */
  'user-agent'?: string;
}
/** A click on a link. */
export interface ClickEventRecord extends EventRecordBase {
  /** `'click'`: a click. */
  event: 'click';
  /** The clicked URL. */
  url?: string;
  /** Link ID. */
  link?: number | null;
  /** IP address of the clicker. */
  ip?: string;
  /** User-Agent of the clicker's browser. */
  'user-agent'?: string;
}
/** An unsubscribe through the mail. */
export interface UnsubscribeEventRecord extends EventRecordBase {
  /** `'unsubscribe'`: an unsubscribe. */
  event: 'unsubscribe';
}
/** An abuse complaint. */
export interface AbuseEventRecord extends EventRecordBase {
  /** `'abuse'`: an abuse complaint. */
  event: 'abuse';
  /** The complaint (feedback report). */
  report?: string;
}
/**
 * An event of a type the SDK does not know (the list of event types is not part of the v1 pages).
 * `event` is `'other'` so that `switch (e.event)` narrows the known types; the server's name is in
 * `originalEvent`.
 */
export interface OtherEventRecord extends EventRecordBase {
  /** `'other'`: a type the SDK does not know; see `originalEvent`. */
  event: 'other';
  /** The event type name the server sent. */
  originalEvent: string;
}

/**
 * One event, discriminated by `event`. Both layouts the pages show are accepted and flattened: flat
 * `{event, time, …}` and nested `{event, data: {time, …}}`; a record that names its type in `type`
 * instead of `event` (the message-events sample) gets it in `event`.
 */
export type EventRecord =
  | AttemptEventRecord
  | RetryEventRecord
  | DeliveryEventRecord
  | FailureEventRecord
  | OpenEventRecord
  | ClickEventRecord
  | UnsubscribeEventRecord
  | AbuseEventRecord
  | OtherEventRecord;

/** The event type names the SDK types. */
export type KnownEventType = Exclude<EventRecord['event'], 'other'>;

const KNOWN_EVENTS: readonly KnownEventType[] = ['attempt', 'retry', 'delivery', 'failure', 'open', 'click', 'unsubscribe', 'abuse'];

/** Flattens `{event, data:{…}}` and takes `type` as the discriminator when `event` is missing. */
function normaliseEvent(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  let rec = raw as Record<string, unknown>;
  if (typeof rec.data === 'object' && rec.data !== null && !Array.isArray(rec.data)) {
    const { data, ...rest } = rec;
    rec = { ...(data as Record<string, unknown>), ...rest };
  }
  if (rec.event === undefined && typeof rec.type === 'string') {
    const { type, ...rest } = rec;
    rec = { event: type, ...rest };
  }
  if (typeof rec.event === 'string' && !(KNOWN_EVENTS as readonly string[]).includes(rec.event)) {
    rec = { ...rec, event: 'other', originalEvent: rec.event };
  }
  return rec;
}

const optId = id.nullable().optional();
const optNum = z
  .union([z.number(), z.string().regex(/^-?\d+$/), z.literal(''), z.null()])
  .transform((v) => (v === '' || v === null ? null : Number(v)))
  .optional();

/**
 * The event record schema in one mode (the model below). Its output type is
 * {@link EventRecordFromSchema}, which test/types/schemas.test-d.ts proves equal to {@link EventRecord}.
 */
function eventRecordSchema(obj: ObjectMaker, mode: Mode) {
  const base = {
    time: timestamp.optional(),
    message: z.string().optional(),
    mailing: id.optional(),
    template: optId,
    document: optId,
    email: z.string().optional(),
    profile: optId,
    subprofile: optId,
    database: optId,
    collection: optId,
    destination: optId,
    tags: z.string().optional(),
  };
  const tracked = { ip: z.string().optional(), 'user-agent': z.string().optional() };
  const known = z.discriminatedUnion('event', [
    obj({ event: z.literal('attempt'), ...base }),
    obj({ event: z.literal('retry'), ...base, attempt: optNum }),
    obj({ event: z.literal('delivery'), ...base, attempts: optNum }),
    obj({
      event: z.literal('failure'),
      ...base,
      type: z.string().optional(),
      status: z.string().optional(),
      description: z.string().optional(),
      code: optNum,
      content: z.string().optional(),
    }),
    obj({ event: z.literal('open'), ...base, ...tracked }),
    obj({ event: z.literal('click'), ...base, ...tracked, url: z.string().optional(), link: optId }),
    obj({ event: z.literal('unsubscribe'), ...base }),
    obj({ event: z.literal('abuse'), ...base, report: z.string().optional() }),
    // Unknown types always pass through loosely (nothing is known about their properties); the
    // known ones degrade in the default mode like every other record.
    mode === 'loose'
      ? obj({ event: z.literal('other'), originalEvent: z.string(), ...base }, ['originalEvent']) // always set by normaliseEvent
      : z.looseObject({ event: z.literal('other'), originalEvent: z.string(), ...base }),
  ]);
  return z.preprocess(normaliseEvent, known);
}

/** @internal What the event schema parses to, for the type test that ties it to {@link EventRecord}. */
export type EventRecordFromSchema = z.output<ReturnType<typeof eventRecordSchema>>;

// The one cast: the mode-dependent `other` branch widens the inferred union (test/types proves the rest).
const EventRecordModel: Model<EventRecord> = model((obj, _use, mode) => eventRecordSchema(obj, mode) as unknown as z.ZodType<EventRecord>);

const EventListModel: Model<EventRecord[]> = model((_obj, use) => listOf(use(EventRecordModel)));

// ---------------------------------------------------------------------------------------------
// Windows

/** A day, `YYYY-MM-DD` (UTC) or a Date (its UTC day). */
export type EventDate = string | Date;

/** The date window of an event call (UTC days; `start` inclusive, `end` exclusive). */
export interface EventWindowParams {
  /** First day (inclusive, UTC). Without `end`: up to one month later. */
  start?: EventDate;
  /**
   * Day after the last one (exclusive, UTC). Without `start`: one month before `end`. With both,
   * a window longer than one month is fetched month by month (one request per month).
   */
  end?: EventDate;
}

/** Window plus the `tags` filter, for the endpoints whose page documents it. */
export interface EventFilterParams extends EventWindowParams {
  /** Only events of mails carrying all these tags (sent joined with `;`). */
  tags?: string | readonly string[];
}

/** One request's window, as sent. */
export interface EventRequestWindow {
  /** First day sent, `YYYY-MM-DD` (inclusive, UTC); absent when the call sent none. */
  start?: string;
  /** Day after the last one sent, `YYYY-MM-DD` (exclusive, UTC); absent when the call sent none. */
  end?: string;
}

const dateInput = z.union([z.string(), z.date()]).optional();
const windowSchema = z.strictObject({ start: dateInput, end: dateInput });
const filterSchema = z.strictObject({ start: dateInput, end: dateInput, tags: z.union([z.string(), z.array(z.string())]).optional() });

function ymd(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The same day one calendar month later, clamped to the month's last day (Jan 31 → Feb 28). */
function addMonth(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const ny = m === 12 ? y + 1 : y;
  const nm = m === 12 ? 1 : m + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return ymd(ny, nm, Math.min(d, last));
}

/** Splits `[start, end)` into windows of at most one calendar month each, in order. */
function splitEventWindow(start: string | undefined, end: string | undefined): EventRequestWindow[] {
  if (start === undefined || end === undefined) {
    const w: EventRequestWindow = {};
    if (start !== undefined) w.start = start;
    if (end !== undefined) w.end = end;
    return [w];
  }
  const out: EventRequestWindow[] = [];
  for (let from = start; from < end; ) {
    const next = addMonth(from);
    const to = next < end ? next : end;
    out.push({ start: from, end: to });
    from = to;
  }
  return out;
}

function tagsText(tags: string | readonly string[], name: string): string {
  // param.tags validates every tag (no ';', '/', control characters, …) and encodes it;
  // the query encoder encodes again, so decode the segment back to the plain `a;b` text.
  const seg = param.tags(tags, name);
  return decodeURIComponent(path`${seg}`);
}

// ---------------------------------------------------------------------------------------------
// The stream

/**
 * The events of a window, fetched lazily (nothing is sent until you iterate), one request per month,
 * in order. `for await` over it, or `toArray({ limit })`.
 */
export class EventStream implements AsyncIterable<EventRecord> {
  readonly #fetch: (w: EventRequestWindow) => Promise<EventRecord[]>;
  /** The windows that will be requested, one request each, in order (none when the input was refused). */
  readonly windows: readonly EventRequestWindow[];
  /** Why nothing can be requested (bad input): thrown by the first read, never by the method. */
  #error: unknown;

  /** @internal */
  constructor(fetch: (w: EventRequestWindow) => Promise<EventRecord[]>, windows: EventRequestWindow[]) {
    this.#fetch = fetch;
    this.windows = windows;
  }

  /** @internal A stream whose first read (iteration, `months()`, `toArray()`) fails with `error`. */
  static failed(error: unknown): EventStream {
    const stream = new EventStream(() => Promise.reject(error as Error), []);
    stream.#error = error;
    return stream;
  }

  /** Every event of every window, in order; one month is held in memory at a time. */
  async *[Symbol.asyncIterator](): AsyncGenerator<EventRecord> {
    if (this.#error !== undefined) throw this.#error;
    for (const w of this.windows) yield* await this.#fetch(w);
  }

  /** The events month by month: one array per request. */
  async *months(): AsyncGenerator<{
    /** The window of this request. */
    window: EventRequestWindow;
    /** The events the request returned, in the server's order. */
    events: EventRecord[];
  }> {
    if (this.#error !== undefined) throw this.#error;
    for (const w of this.windows) yield { window: w, events: await this.#fetch(w) };
  }

  /** Every event, up to `limit` (required, so a long window cannot fill memory by accident). Stops requesting once the cap is reached. */
  async toArray(options: { limit: number }): Promise<EventRecord[]> {
    return collectItems(this, options);
  }
}

// ---------------------------------------------------------------------------------------------
// The resource

/**
 * Events by profile, subprofile, address, message, template, document or tags. Every method
 * returns an {@link EventStream}; windows longer than a month are split into monthly calls. Bad
 * input never throws where the method is called: the stream's first read rejects with the
 * ValidationError (one failure contract).
 */
export class Events extends APIResource {
  /** The stream of `where()`'s path; bad input (the path's ID, the window) makes a stream that fails on first read. */
  #stream(where: () => string, params: EventFilterParams | undefined, withTags: boolean, options: RequestOptions | undefined): EventStream {
    try {
      return this.#checkedStream(where(), params, withTags, options);
    } catch (error) {
      return EventStream.failed(error);
    }
  }

  #checkedStream(p: string, params: EventFilterParams | undefined, withTags: boolean, options: RequestOptions | undefined): EventStream {
    const input = checkInput(withTags ? filterSchema : windowSchema, params ?? {}, 'params') as EventFilterParams;
    const start = input.start === undefined ? undefined : toDate(input.start, 'params.start');
    const end = input.end === undefined ? undefined : toDate(input.end, 'params.end');
    if (start !== undefined && end !== undefined && end <= start) {
      throw new ValidationError(`params.end must be after params.start (end is exclusive), got ${start} .. ${end}`);
    }
    const tags = input.tags === undefined ? undefined : tagsText(input.tags, 'params.tags');
    const fetch = (w: EventRequestWindow) => this._json('GET', p, EventListModel, { query: { start: w.start, end: w.end, tags }, options });
    return new EventStream(fetch, splitEventWindow(start, end));
  }

  /**
   * Events of one profile (including mails to its subprofiles on the fake; the page does not say).
   *
   * @example
   * for await (const e of client.events.byProfile(4567, { start: '2024-01-01', end: '2024-04-01' })) {
   *   if (e.event === 'click') console.log(e.time, e.url);
   * }
   */
  byProfile(profileId: Id, params?: EventFilterParams, options?: RequestOptions): EventStream {
    return this.#stream(() => path`/profile/${param.id(profileId, 'profileId')}/events`, params, true, options);
  }

  /**
   * Events of one subprofile.
   *
   * @example const events = await client.events.bySubprofile(88, { start: '2024-03-01' }).toArray({ limit: 1000 });
   */
  bySubprofile(subprofileId: Id, params?: EventFilterParams, options?: RequestOptions): EventStream {
    return this.#stream(() => path`/subprofile/${param.id(subprofileId, 'subprofileId')}/events`, params, true, options);
  }

  /**
   * Events of one e-mail address (sent percent-encoded as one path segment).
   *
   * @example const events = await client.events.byEmail('john@example.com').toArray({ limit: 500 });
   */
  byEmail(email: string, params?: EventFilterParams, options?: RequestOptions): EventStream {
    return this.#stream(() => path`/email/${param.email(email, 'email')}/events`, params, true, options);
  }

  /**
   * Events of one Marketing Suite message (opaque string ID). Without a window the server answers
   * from sending until one month later.
   *
   * @example const events = await client.events.byMessage('dkJDF343Df').toArray({ limit: 10_000 });
   */
  byMessage(messageId: string, params?: EventFilterParams, options?: RequestOptions): EventStream {
    return this.#stream(() => path`/message/${param.text(messageId, 'messageId')}/events`, params, true, options);
  }

  /**
   * Events of every mail built from one Marketing Suite template.
   *
   * @example for await (const e of client.events.byTemplate(877, { start: '2024-01-01', end: '2024-07-01' })) count[e.event]++;
   */
  byTemplate(templateId: Id, params?: EventFilterParams, options?: RequestOptions): EventStream {
    return this.#stream(() => path`/template/${param.id(templateId, 'templateId')}/events`, params, true, options);
  }

  /**
   * Events of one Publisher (legacy) template.
   *
   * @example const events = await client.events.byOldTemplate(12, { start: '2024-05-01' }).toArray({ limit: 1000 });
   */
  byOldTemplate(templateId: Id, params?: EventFilterParams, options?: RequestOptions): EventStream {
    return this.#stream(() => path`/old/template/${param.id(templateId, 'templateId')}/events`, params, true, options);
  }

  /**
   * Events of one Publisher message. Its page documents no `tags` filter, so none is offered.
   *
   * @example const events = await client.events.byOldMessage('dkJDF343Df').toArray({ limit: 1000 });
   */
  byOldMessage(messageId: string, params?: EventWindowParams, options?: RequestOptions): EventStream {
    return this.#stream(() => path`/old/message/${param.text(messageId, 'messageId')}/events`, params, false, options);
  }

  /**
   * Events of one Publisher document.
   *
   * @example const events = await client.events.byOldDocument(2201, { start: '2024-05-01' }).toArray({ limit: 1000 });
   */
  byOldDocument(documentId: Id, params?: EventFilterParams, options?: RequestOptions): EventStream {
    return this.#stream(() => path`/old/document/${param.id(documentId, 'documentId')}/events`, params, true, options);
  }

  /**
   * Events of mails carrying all the given tags (joined with `;` in one path segment).
   *
   * @example const events = await client.events.byTags(['summer', 'sale'], { start: '2024-06-01' }).toArray({ limit: 1000 });
   */
  byTags(tags: string | readonly string[], params?: EventWindowParams, options?: RequestOptions): EventStream {
    return this.#stream(() => path`/tags/${param.tags(tags, 'tags')}/events`, params, false, options);
  }
}
