/**
 * Per-account state of the campaign part of the fake: mailings (messages), the events they
 * produced, impressions, data requests and synthetic logfiles. Lives in
 * `FakeAccountContext.campaignState`, created lazily by {@link campaignState}.
 */
import type { FakeAccountContext } from '../contract.js';
import type { LogfileType } from './logfile-types.js';

/** Which Copernica product sends a fake mailing: the Marketing Suite or Publisher (each has its own events, logfiles and IDs). */
export type MailingKind = 'marketing-suite' | 'publisher';

/** Internal event kinds. The public `event` names are in {@link EVENT_NAMES}. */
export type EventKind = 'attempt' | 'retry' | 'delivery' | 'error' | 'open' | 'click' | 'unsubscribe' | 'abuse';

/** Name in the `event` property of event records. */
export const EVENT_NAMES: Record<EventKind, string> = {
  attempt: 'attempt',
  retry: 'retry',
  delivery: 'delivery',
  error: 'failure',
  open: 'open',
  click: 'click',
  unsubscribe: 'unsubscribe',
  abuse: 'abuse',
};

export interface Link {
  /** `linkinfo` column of click logfiles. */
  id: number;
  url: string;
}

/** One mailing = one message (the brief's model: a message ID per mailing). */
export interface Mailing {
  kind: MailingKind;
  messageId: string;
  mailingId: number;
  /** Publisher only: the mailing group (`groupid` column). */
  groupId: number;
  templateId: number;
  documentId: number;
  subject: string;
  fromAddress: string;
  senderDomain: string;
  tags: string[];
  sentAt: Date;
  links: Link[];
  recipientCount: number;
  html: string;
  text: string;
  mime: string;
}

/** One addressed recipient of one mailing. */
export interface Destination {
  id: number;
  profile: number;
  database: number;
  subprofile?: number;
  collection?: number;
  email: string;
}

/** Everything one event needs to be shown as an event record, a logfile row or an impression. */
export interface MailEvent {
  seq: number;
  kind: EventKind;
  time: Date;
  mailing: Mailing;
  destination: Destination;
  /** Kind-specific details. */
  attempts?: number;
  attempt?: number;
  link?: Link;
  ip?: string;
  userAgent?: string;
  geo?: { countrycode: string; countryname: string; regioncode: string; city: string };
  error?: { type: string; status: string; description: string; code: number; content: string };
  abuseReport?: string;
  /** Open events: the impression ID. */
  impressionId?: number;
}

/** A logfile made up on demand, row by row, from (seed, index). */
export interface SyntheticLogfile {
  type: LogfileType;
  date: string;
  rows: number;
  seed: number;
}

export interface DataRequestRecord {
  id: number;
  type: 'profile' | 'subprofile' | 'email';
  subject: number | string;
  report?: string;
  createdAt: number;
  statusPolls: number;
  /** Sticky: once available, always available. */
  ready: boolean;
  /** The export, gathered when the request was made. */
  file: { info: { type: string; id: number | string }; data: unknown[][] };
  fileBytes: number;
}

/** Campaign settings of an account, for {@link FakeCopernica.configureCampaigns}. */
export interface CampaignOptions {
  /** Clock for default windows and data-request timing. Default `() => new Date()`. */
  now?: () => Date;
  /**
   * What a window longer than one month does. `'cut'` (default, API §3.19): cut to one month
   * counted from `start`. `'reject'`: answer 400.
   */
  windowMode?: 'cut' | 'reject';
  /** A data request becomes available on this status poll (1-based). Default 2. */
  dataRequestReadyAfterPolls?: number;
  /** …or this many milliseconds after it was made, whichever comes first. Default 300. */
  dataRequestReadyAfterMs?: number;
}

export class CampaignState {
  readonly mailings: Mailing[] = [];
  readonly messages = new Map<string, Mailing>();
  readonly events: MailEvent[] = [];
  readonly synthetic = new Map<string, SyntheticLogfile>();
  readonly dataRequests = new Map<number, DataRequestRecord>();
  nextMailing = 1;
  nextDestination = 88_001;
  nextImpression = 770_001;
  nextDataRequest = 9_001;
  nextSeq = 1;
  options: Required<CampaignOptions>;
  /** Logfile records cache, invalidated whenever events are added. */
  logfileIndex?: Map<string, MailEvent[]>;

  constructor(options: CampaignOptions = {}) {
    this.options = {
      now: () => new Date(),
      windowMode: 'cut',
      dataRequestReadyAfterPolls: 2,
      dataRequestReadyAfterMs: 300,
    };
    this.configure(options);
  }

  configure(options: CampaignOptions): void {
    for (const [k, v] of Object.entries(options)) {
      if (!(k in this.options)) throw new TypeError(`Unknown campaign option: ${k}`);
      if (v !== undefined) (this.options as Record<string, unknown>)[k] = v;
    }
  }

  now(): Date {
    return this.options.now();
  }
}

/** The account's campaign state, created on first use. */
export function campaignState(account: FakeAccountContext): CampaignState {
  if (!(account.campaignState instanceof CampaignState)) account.campaignState = new CampaignState();
  return account.campaignState as CampaignState;
}

/** Change the campaign behaviour of one account (clock, window rule, data-request timing). */
export function configureCampaigns(account: FakeAccountContext, options: CampaignOptions): void {
  campaignState(account).configure(options);
}
