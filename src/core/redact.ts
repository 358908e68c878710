/**
 * Redaction of secrets from everything that can leave the SDK as text: URLs in errors and logs,
 * `Location` headers, bodies that echo a request.
 */

const SECRET_PARAMS = /([?&](?:access_token|client_secret|code)=)[^&#\s"'<>]*/gi;

/** Redacts `access_token`, `client_secret` and `code` query values in any text, and every known secret value. */
export function redact(text: string, secrets: readonly string[] = []): string {
  // Fast path (every response header goes through here): no parameter assignment, no secret.
  let out = text.includes('=') ? text.replace(SECRET_PARAMS, '$1***') : text;
  for (const secret of secrets) {
    if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join('***');
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && encoded.length >= 4 && out.includes(encoded)) out = out.split(encoded).join('***');
  }
  return out;
}

/** Redacts every header value. */
export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
  secrets: readonly string[],
): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = Array.isArray(value) ? value.map((v) => redact(v, secrets)) : value === undefined ? undefined : redact(value, secrets);
  }
  return out;
}
