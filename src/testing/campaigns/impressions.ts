/**
 * GET /impressions (API §3.24): opens as a paged envelope.
 */
import type { RouteTable } from '../contract.js';
import { impressionRecord } from './records.js';
import { campaignState, type MailEvent } from './state.js';
import { parseBool, parseIntParam, requireId } from './util.js';

const FILTERS = {
  emailing: (ev: MailEvent) => ev.mailing.mailingId,
  destination: (ev: MailEvent) => ev.destination.id,
  profile: (ev: MailEvent) => ev.destination.profile,
  subprofile: (ev: MailEvent) => ev.destination.subprofile,
} as const;

export function registerImpressionRoutes(routes: RouteTable): void {
  routes.add('GET', '/impressions', (req) => {
    const q = req.query;
    const start = parseIntParam(q, 'start', 0);
    const requested = parseIntParam(q, 'limit', 100);
    const limit = Math.min(requested, 100);
    const withTotal = parseBool(q.get('total'), true);
    const filters: [(ev: MailEvent) => number | undefined, number][] = [];
    for (const [name, get] of Object.entries(FILTERS)) {
      const raw = q.get(name);
      if (raw !== null && raw !== '') filters.push([get, requireId(raw.trim(), name)]);
    }
    const all = campaignState(req.account).events.filter((ev) => ev.kind === 'open' && filters.every(([get, want]) => get(ev) === want));
    all.sort((a, b) => (a.impressionId ?? 0) - (b.impressionId ?? 0));
    // Negative start or limit: no items, values echoed back (spec/OBSERVED.md).
    const page = start < 0 || limit <= 0 ? [] : all.slice(start, start + limit);
    return {
      status: 200,
      json: {
        start,
        limit,
        count: page.length,
        ...(withTotal ? { total: all.length } : {}),
        data: page.map(impressionRecord),
      },
    };
  });
}
