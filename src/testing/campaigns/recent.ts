/**
 * `seedRecentMailings`: a few finished mailings in the recent past, so a freshly started fake
 * (`copernica fake`, `copernica-fake`, or `createFakeCopernica({ mailings: n })`) already has
 * events, logfiles, impressions and messages to show.
 */
import type { FakeAccountContext, FakeMailingTarget } from '../contract.js';
import { campaignState } from './state.js';
import { sendMailing, type MailingSummary } from './mailing.js';

const DAY = 86_400_000;

/** The most mailings {@link seedRecentMailings} makes per account. */
export const MAX_RECENT_MAILINGS = 30;

/**
 * Sends `count` mailings to `target`, the newest at 08:00 UTC yesterday, each older one two days
 * before the one after it (yesterday, 3 days ago, 5 days ago, …). Every third one (the 3rd, 6th, …)
 * is a Publisher mailing, the others Marketing Suite. Their events never lie after the account's
 * clock (see `sendMailing`). Deterministic for one `seed` and one day.
 */
export function seedRecentMailings(account: FakeAccountContext, target: FakeMailingTarget, count: number, seed: number): MailingSummary[] {
  if (!Number.isSafeInteger(count) || count < 0 || count > MAX_RECENT_MAILINGS) {
    throw new TypeError(`mailings must be an integer from 0 to ${MAX_RECENT_MAILINGS}`);
  }
  const now = campaignState(account).now().getTime();
  const today = now - (now % DAY);
  const out: MailingSummary[] = [];
  // oldest first, so mailing IDs grow with the send time
  for (let i = count - 1; i >= 0; i--) {
    const at = new Date(today - (2 * i + 1) * DAY + 8 * 3_600_000);
    const publisher = (i + 1) % 3 === 0;
    out.push(
      sendMailing(account, {
        target,
        at,
        kind: publisher ? 'publisher' : 'marketing-suite',
        subject: publisher ? `Member update ${count - i}` : `Newsletter ${count - i}`,
        tags: publisher ? ['members'] : i === 0 ? ['newsletter', 'sale'] : ['newsletter'],
        seed: (seed * 31 + account.id * 1_009 + i) >>> 0,
        rates: { open: 0.5, click: 0.25 },
      }),
    );
  }
  return out;
}
