/**
 * nock 15 (mswjs interceptors) hands reply callbacks a fetch `Request` for undici requests rather
 * than a path string; this reads either into a path-with-query and a header lookup.
 */
export interface Seen {
  path: string;
  header(name: string): string | undefined;
}

export function seen(arg: unknown, ctx?: unknown): Seen {
  const self = ctx as { req?: { headers?: Record<string, string> } } | undefined;
  if (typeof arg === 'string') {
    return { path: arg, header: (n) => self?.req?.headers?.[n.toLowerCase()] };
  }
  const req = arg as Request;
  const url = new URL(req.url);
  return { path: url.pathname + url.search, header: (n) => req.headers.get(n) ?? undefined };
}
