/**
 * Talking to a running NodeBB as a given member: log in through NodeBB's API (session
 * cookie + CSRF token), call its APIs, and hand the session to a real browser.
 */
import type { BrowserContext } from 'playwright-core';

export interface E2EConfig {
  url: string;
  admin: { username: string; password: string };
}

/** Reads NODEBB_URL and the admin's credentials; null when NODEBB_URL is not set. */
export function e2eConfig(): E2EConfig | null {
  const url = process.env.NODEBB_URL;
  if (!url) {
    return null;
  }
  return {
    url: url.replace(/\/+$/, ''),
    admin: {
      username: process.env.NODEBB_ADMIN_USERNAME ?? 'admin',
      password: process.env.NODEBB_ADMIN_PASSWORD ?? '',
    },
  };
}

export function requireE2EConfig(): E2EConfig {
  const config = e2eConfig();
  if (!config) {
    throw new Error('NODEBB_URL is not set');
  }
  return config;
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export class NodeBBSession {
  private readonly cookies = new Map<string, string>();
  private csrfToken = '';

  constructor(readonly baseUrl: string) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private keepCookies(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) {
        this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
      }
    }
  }

  /** Keep the session's cookies and read the body: JSON when it is, else the text (HTML pages, .ics files, errors). */
  private async answer<T>(response: Response): Promise<ApiResponse<T>> {
    this.keepCookies(response);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: keep the text.
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { cookie: this.cookieHeader(), accept: 'application/json' };
    if (method !== 'GET') {
      headers['x-csrf-token'] = this.csrfToken;
    }
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      redirect: 'manual',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return this.answer<T>(response);
  }

  /** A multipart request (FormData), with this session's cookie and CSRF token. */
  async upload<T = unknown>(method: string, path: string, form: FormData): Promise<ApiResponse<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { cookie: this.cookieHeader(), accept: 'application/json', 'x-csrf-token': this.csrfToken },
      redirect: 'manual',
      body: form,
    });
    return this.answer<T>(response);
  }

  /** The raw bytes of a GET (documents), with this session's cookie. */
  async download(path: string): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: { cookie: this.cookieHeader() }, redirect: 'manual' });
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  /** As an admin: make a member a global moderator (not an admin), for reviewer tests. */
  async makeGlobalModerator(uid: number): Promise<void> {
    const result = await this.request('PUT', `/api/v3/groups/global-moderators/membership/${uid}`);
    if (result.status !== 200) {
      throw new Error(`could not make uid ${uid} a global moderator: ${result.status} ${result.text.slice(0, 200)}`);
    }
  }

  /** Send a cookie of our own from now on (e.g. the reader's time zone, `pn_tz`). */
  setCookie(name: string, value: string): void {
    this.cookies.set(name, encodeURIComponent(value));
  }

  async refreshCsrf(): Promise<void> {
    const config = await this.request<{ csrf_token?: string }>('GET', '/api/config');
    this.csrfToken = config.body.csrf_token ?? '';
  }

  /** A guest session: cookies and a CSRF token, nobody logged in. */
  static async guest(baseUrl: string): Promise<NodeBBSession> {
    const session = new NodeBBSession(baseUrl);
    await session.refreshCsrf();
    return session;
  }

  static async login(baseUrl: string, username: string, password: string): Promise<NodeBBSession> {
    const session = await NodeBBSession.guest(baseUrl);
    const result = await session.request('POST', '/api/v3/utilities/login', { username, password });
    if (result.status !== 200) {
      throw new Error(`login as ${username} failed with ${result.status}: ${result.text.slice(0, 200)}`);
    }
    await session.refreshCsrf();
    return session;
  }

  /**
   * As an admin: create a throwaway member for one spec run and log in as them.
   * Names are random so runs never collide; the password meets NodeBB's defaults.
   */
  async createMember(prefix: string): Promise<{ uid: number; username: string; session: NodeBBSession }> {
    const username = `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
    const password = `Pw-${Math.random().toString(36).slice(2)}-9!`;
    const created = await this.request<{ response?: { uid?: number } }>('POST', '/api/v3/users', { username, password });
    const uid = created.body.response?.uid;
    if (created.status !== 200 || typeof uid !== 'number') {
      throw new Error(`could not create member ${username}: ${created.status} ${created.text.slice(0, 200)}`);
    }
    return { uid, username, session: await NodeBBSession.login(this.baseUrl, username, password) };
  }

  /**
   * One file as NodeBB's own upload forms send it (multipart, session cookie + CSRF header).
   * `fields` are extra form fields; the file goes under `fileField`.
   */
  async uploadFile(path: string, file: { bytes: Buffer; name: string; type: string }, fields: Record<string, string> = {}, fileField = 'files[]'): Promise<ApiResponse> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) {
      form.append(name, value);
    }
    form.append(fileField, new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
    return this.upload('POST', path, form);
  }

  /** Put this session's cookies into a browser context, so the browser is logged in as the same member. */
  async shareWith(context: BrowserContext): Promise<void> {
    const { hostname } = new URL(this.baseUrl);
    await context.addCookies([...this.cookies].map(([name, value]) => ({ name, value, domain: hostname, path: '/' })));
  }
}
