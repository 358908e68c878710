/** Fault injection: rules matched per request, deterministic (`times`) or seeded-random (`probability`). */

export type FaultKind =
  | 'latency'
  | 'status'
  | 'reset-before-headers'
  | 'reset-mid-body'
  | 'stall-body'
  | 'malformed-json'
  | 'truncated-json';

/** A fault to inject (option `faults` or {@link FakeCopernica.inject}); see README.md in `src/testing` for each kind. */
export interface FaultRule {
  /**
   * Which requests: a route pattern (`/database/{databaseId}/profiles`), or method + pattern
   * (`GET /identity`). A concrete path below `/v1` (`/profile/12`) matches too. Absent: every API request.
   */
  route?: string;
  /**
   * What goes wrong: `latency` (wait `ms`), `status` (429 or a 5xx page; the handler does not run),
   * `reset-before-headers` (socket destroyed before any byte), `reset-mid-body` (half the body, then
   * reset), `stall-body` (half the body, then silence), `malformed-json` (a body that does not
   * parse) or `truncated-json` (a complete reply with half the JSON).
   */
  kind: FaultKind;
  /** For `status`: 429, 502, 503 or 504 (default 503). 5xx bodies are HTML like a load balancer's. */
  status?: 429 | 502 | 503 | 504;
  /** `Retry-After` value (seconds or HTTP date). Default 1 for 429, none otherwise. */
  retryAfter?: number | string;
  /** For `latency`: delay in milliseconds before the request is handled. */
  ms?: number;
  /** Apply to the next N matching requests only, then drop the rule. Default: every match. */
  times?: number;
  /** Apply with this probability (0–1), drawn from the fake's seeded PRNG. Default 1. */
  probability?: number;
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
  method?: string;
  target?: string;
}

export const FAULT_KINDS: readonly FaultKind[] = [
  'latency',
  'status',
  'reset-before-headers',
  'reset-mid-body',
  'stall-body',
  'malformed-json',
  'truncated-json',
];

export interface TriggeredFaults {
  latencyMs: number;
  fault?: FaultRule;
}

export class Faults {
  private rules: ActiveRule[] = [];

  constructor(private readonly random: () => number) {}

  inject(rule: FaultRule): void {
    if (!FAULT_KINDS.includes(rule.kind)) throw new TypeError(`Unknown fault kind: ${String(rule.kind)}`);
    if (rule.status !== undefined && ![429, 502, 503, 504].includes(rule.status))
      throw new TypeError('fault status must be 429, 502, 503 or 504');
    if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1))
      throw new TypeError('fault probability must be between 0 and 1');
    if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times >= 0))
      throw new TypeError('fault times must be a non-negative integer');
    const active: ActiveRule = { rule: { ...rule }, remaining: rule.times ?? Infinity };
    if (rule.route) {
      const m = /^(GET|POST|PUT|DELETE)\s+(\S+)$/i.exec(rule.route.trim());
      if (m) {
        active.method = (m[1] as string).toUpperCase();
        active.target = normalise(m[2] as string);
      } else active.target = normalise(rule.route.trim());
    }
    this.rules.push(active);
  }

  clear(): void {
    this.rules = [];
  }

  get active(): FaultRule[] {
    return this.rules.map((r) => r.rule);
  }

  /** The faults for one request; consumes `times` of the rules that fire. */
  pick(method: string, pattern: string | null, path: string): TriggeredFaults {
    const out: TriggeredFaults = { latencyMs: 0 };
    for (const r of this.rules) {
      if (r.remaining <= 0) continue;
      if (r.method && r.method !== method) continue;
      if (r.target && r.target !== pattern && r.target !== path) continue;
      if (r.rule.kind !== 'latency' && out.fault) continue;
      if (r.rule.probability !== undefined && this.random() >= r.rule.probability) continue;
      r.remaining--;
      if (r.rule.kind === 'latency') out.latencyMs += r.rule.ms ?? 0;
      else out.fault = r.rule;
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return out;
  }
}

function normalise(p: string): string {
  let s = p.replace(/^https?:\/\/[^/]+/, '');
  s = s.split('?')[0] as string;
  const segs = s.split('/').filter(Boolean);
  if (segs[0] === 'v1') segs.shift();
  return `/${segs.join('/')}`;
}

export function loadBalancerPage(status: number): string {
  const title = status === 502 ? '502 Bad Gateway' : status === 504 ? '504 Gateway Time-out' : '503 Service Temporarily Unavailable';
  return `<!DOCTYPE html>\n<html><head><title>${title}</title></head>\n<body><center><h1>${title}</h1></center>\n<p>The server is handling too many requests at the moment. Please try again later.</p>\n<hr><center>nginx</center></body></html>\n`;
}
