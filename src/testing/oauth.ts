/**
 * The browser half of OAuth (the authorize pages at `/{en|nl}/authorize`) and the token exchange
 * (`GET /v1/token`). State between the login and consent steps travels in hidden form fields and an
 * HMAC-signed session field; nothing is stored until a code is issued.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { escapeHtml } from './util.js';

/** An OAuth application registered with the fake. */
export interface OAuthApp {
  /** Client key (`client_id`). */
  clientId: string;
  /** Secret key (`client_secret`), checked by `GET /v1/token`. */
  clientSecret: string;
  /** The registered callback: the authorize page refuses any other `redirect_uri`. */
  redirectUri: string;
  /** Name shown on the consent page (default: the client ID). */
  name?: string;
}

/** A web login of the fake's authorize page. */
export interface FakeWebUser {
  /** Login name, e.g. `demo@example.com`. */
  username: string;
  /** Password, e.g. `demo-password`. */
  password: string;
  /** IDs of the accounts this user may grant access to. */
  accounts: number[];
}

interface CodeGrant {
  clientId: string;
  redirectUri: string;
  accountId: number;
  expires: number;
  used: boolean;
}

export interface HtmlReply {
  status: number;
  headers?: Record<string, string>;
  html?: string;
}

export interface OAuthDeps {
  accountName(id: number): string | undefined;
  mintToken(accountId: number): string;
  codeTtlMs: number;
}

const PARAMS = ['client_id', 'redirect_uri', 'state', 'response_type'] as const;
type AuthParams = Record<(typeof PARAMS)[number], string>;

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class OAuthServer {
  readonly apps = new Map<string, OAuthApp>();
  readonly users: FakeWebUser[] = [];
  private readonly codes = new Map<string, CodeGrant>();
  private readonly key = randomBytes(32);

  constructor(private readonly deps: OAuthDeps) {}

  registerApp(app: { clientId?: string; clientSecret?: string; redirectUri: string; name?: string }): OAuthApp {
    const a: OAuthApp = {
      clientId: app.clientId ?? `client-${randomBytes(8).toString('hex')}`,
      clientSecret: app.clientSecret ?? randomBytes(20).toString('hex'),
      redirectUri: app.redirectUri,
      ...(app.name ? { name: app.name } : {}),
    };
    new URL(a.redirectUri); // throws on a relative or malformed URI
    this.apps.set(a.clientId, a);
    return a;
  }

  // ---- pages -------------------------------------------------------------------------------

  private page(lang: string, title: string, body: string, status = 200): HtmlReply {
    const html = `<!DOCTYPE html>
<html lang="${lang}">
<head><meta charset="utf-8"><title>${escapeHtml(title)} – Copernica (fake)</title></head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
    return { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }, html };
  }

  private errorPage(lang: string, message: string): HtmlReply {
    return this.page(lang, 'Authorization error', `<p role="alert">${escapeHtml(message)}</p>`, 400);
  }

  private hidden(p: AuthParams): string {
    return PARAMS.map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(p[k])}">`).join('\n');
  }

  /** Check the four authorize parameters; an error page (no redirect) when they are not acceptable. */
  private validate(lang: string, src: URLSearchParams): AuthParams | HtmlReply {
    const p = {} as AuthParams;
    for (const k of PARAMS) {
      const v = src.get(k);
      if (v === null || v === '') return this.errorPage(lang, `Missing parameter: ${k}`);
      p[k] = v;
    }
    if (p.response_type !== 'code') return this.errorPage(lang, 'Unsupported response_type: only "code" is supported');
    const app = this.apps.get(p.client_id);
    if (!app) return this.errorPage(lang, 'Unknown client_id');
    if (app.redirectUri !== p.redirect_uri)
      return this.errorPage(lang, 'The redirect_uri does not match the one registered for this application');
    return p;
  }

  private loginPage(lang: string, p: AuthParams, error?: string): HtmlReply {
    const app = this.apps.get(p.client_id);
    return this.page(
      lang,
      'Log in to Copernica',
      `
<p>The application <strong>${escapeHtml(app?.name ?? p.client_id)}</strong> wants access to your Copernica account.</p>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/${lang}/authorize">
${this.hidden(p)}
<input type="hidden" name="step" value="login">
<p><label for="username">Username</label> <input id="username" name="username" type="text" autocomplete="username" required></p>
<p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Log in</button></p>
</form>`,
      error ? 401 : 200,
    );
  }

  private sign(parts: string[]): string {
    return createHmac('sha256', this.key).update(parts.join('\n')).digest('base64url');
  }

  private consentPage(lang: string, p: AuthParams, user: FakeWebUser): HtmlReply {
    const exp = String(Date.now() + 15 * 60_000);
    const session = `${Buffer.from(user.username).toString('base64url')}.${exp}.${this.sign([user.username, exp, ...PARAMS.map((k) => p[k])])}`;
    const options = user.accounts
      .map(
        (id, i) =>
          `<p><input type="radio" id="account-${id}" name="account" value="${id}"${i === 0 ? ' checked' : ''}> <label for="account-${id}">${escapeHtml(this.deps.accountName(id) ?? String(id))}</label></p>`,
      )
      .join('\n');
    return this.page(
      lang,
      'Grant access',
      `
<p>Choose the account that <strong>${escapeHtml(this.apps.get(p.client_id)?.name ?? p.client_id)}</strong> may use.</p>
<form method="post" action="/${lang}/authorize">
${this.hidden(p)}
<input type="hidden" name="step" value="consent">
<input type="hidden" name="session" value="${escapeHtml(session)}">
<fieldset><legend>Account</legend>
${options}
</fieldset>
<p><button type="submit" name="decision" value="approve">Approve</button> <button type="submit" name="decision" value="deny">Deny</button></p>
</form>`,
    );
  }

  private redirect(p: AuthParams, extra: Record<string, string>): HtmlReply {
    const u = new URL(p.redirect_uri);
    for (const [k, v] of Object.entries(extra)) u.searchParams.set(k, v);
    return { status: 302, headers: { Location: u.toString(), 'Cache-Control': 'no-store' } };
  }

  /** GET or POST `/{lang}/authorize`. */
  authorize(lang: string, method: string, query: URLSearchParams, form: URLSearchParams): HtmlReply {
    if (method === 'GET') {
      const p = this.validate(lang, query);
      return 'status' in p ? p : this.loginPage(lang, p);
    }
    if (method !== 'POST') return this.errorPage(lang, 'Method not allowed');
    const p = this.validate(lang, form);
    if ('status' in p) return p;
    const step = form.get('step');
    if (step === 'login') {
      const username = form.get('username') ?? '';
      const password = form.get('password') ?? '';
      const user = this.users.find((u) => u.username.toLowerCase() === username.toLowerCase());
      if (!user || !safeEqual(user.password, password)) return this.loginPage(lang, p, 'Unknown username or wrong password.');
      return this.consentPage(lang, p, user);
    }
    if (step === 'consent') {
      const [u64, exp, sig] = (form.get('session') ?? '').split('.');
      const username = Buffer.from(u64 ?? '', 'base64url').toString();
      const user = this.users.find((x) => x.username === username);
      if (!user || !exp || !sig || Number(exp) < Date.now() || !safeEqual(sig, this.sign([username, exp, ...PARAMS.map((k) => p[k])]))) {
        return this.loginPage(lang, p, 'Your session has expired. Please log in again.');
      }
      const decision = form.get('decision');
      if (decision === 'deny') return this.redirect(p, { error: 'access_denied', state: p.state });
      if (decision !== 'approve') return this.errorPage(lang, 'Choose Approve or Deny');
      const accountId = Number(form.get('account'));
      if (!user.accounts.includes(accountId)) return this.consentPage(lang, p, user);
      // Copernica refuses a weak state: the redirect then carries no code (spec/OBSERVED.md).
      if (p.state.length < 32) return this.redirect(p, { state: p.state });
      const code = randomBytes(24).toString('base64url');
      this.codes.set(code, {
        clientId: p.client_id,
        redirectUri: p.redirect_uri,
        accountId,
        expires: Date.now() + this.deps.codeTtlMs,
        used: false,
      });
      return this.redirect(p, { state: p.state, code });
    }
    return this.errorPage(lang, 'Unknown step');
  }

  /** `GET /v1/token`. Returns the access token or an error message (never echoing the secret or code). */
  exchange(q: URLSearchParams): { token: string } | { error: string } {
    const get = (k: string) => q.get(k) ?? '';
    for (const k of ['client_id', 'client_secret', 'redirect_uri', 'code']) if (!get(k)) return { error: `Missing parameter: ${k}` };
    const app = this.apps.get(get('client_id'));
    if (!app || !safeEqual(app.clientSecret, get('client_secret'))) return { error: 'Invalid client credentials' };
    const grant = this.codes.get(get('code'));
    if (!grant || grant.clientId !== app.clientId) return { error: 'Invalid authorization code' };
    if (grant.used) return { error: 'Authorization code has already been used' };
    if (grant.expires < Date.now()) {
      this.codes.delete(get('code'));
      return { error: 'Authorization code has expired' };
    }
    if (grant.redirectUri !== get('redirect_uri')) return { error: 'The redirect_uri does not match' };
    grant.used = true;
    return { token: this.deps.mintToken(grant.accountId) };
  }
}
