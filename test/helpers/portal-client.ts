// A small browser stand-in for the HTML pages over real loopback HTTP: keeps cookies, does not follow
// redirects (tests look at them), and posts forms with the CSRF token from its own cookie, as a page
// of the site would.
export interface PageResult {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
  setCookies: string[];
}

export class PortalClient {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly base: string,
    readonly extraHeaders: Record<string, string> = {},
  ) {}

  get csrf(): string | undefined {
    return this.cookies.get('icat_csrf');
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private async send(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<PageResult> {
    const res = await fetch(this.base + path, {
      method,
      redirect: 'manual',
      headers: { ...this.extraHeaders, ...(this.cookies.size > 0 && { cookie: this.cookieHeader() }), ...(body !== undefined && { 'content-type': 'application/x-www-form-urlencoded' }), ...headers },
      body,
    });
    const setCookies = res.headers.getSetCookie();
    for (const c of setCookies) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/max-age=0\b/i.test(c) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, headers: res.headers, text: await res.text(), location: res.headers.get('location'), setCookies };
  }

  get(path: string, headers?: Record<string, string>): Promise<PageResult> {
    return this.send('GET', path, undefined, headers);
  }

  /** Posts a form; `csrf: false` leaves the token out, a string sends that one instead of the cookie's. */
  post(path: string, fields: Record<string, string | string[]> = {}, options: { csrf?: string | false; headers?: Record<string, string> } = {}): Promise<PageResult> {
    const form = new URLSearchParams();
    const token = options.csrf === undefined ? this.csrf : options.csrf;
    if (token) form.set('csrf', token);
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) form.append(k, one);
    return this.send('POST', path, form.toString(), options.headers);
  }

  /** GET a page first so the visitor has a CSRF cookie, as a browser would have. */
  async visit(path = '/portal'): Promise<PageResult> {
    return this.get(path);
  }
}

/** The text of an HTML page, without tags, whitespace collapsed: for assertions about what a reader sees. */
export function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
