// A small router: method + path pattern with `{name}` segments. Unknown paths are 404, known paths with
// another method are 405 with Allow.
import { HubError } from '../errors.ts';
import { errorResponse, isServerError, json, type HttpRequest, type HttpResponse } from './types.ts';
import type { Logger } from '../log.ts';

/** `decodeURIComponent` would throw on it. */
export function decodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

export const invalidPath = () => new HubError('validation', 'invalid_path', 'The address has a malformed percent-encoding (such as "%ZZ" or a lone "%").');

export type Handler = (req: HttpRequest, params: Record<string, string>) => Promise<HttpResponse>;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  constructor(private readonly log: Logger) {}

  on(method: string, path: string, handler: Handler): this {
    const names: string[] = [];
    const source = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  async handle(req: HttpRequest): Promise<HttpResponse> {
    // Parameters are percent-decoded below: a path that cannot be decoded (`%ZZ`, a lone `%`, an
    // encoded UTF-16 surrogate) is the client's mistake whichever route it would reach.
    if (!decodable(req.path)) return errorResponse(invalidPath());
    const allowed: string[] = [];
    for (const route of this.routes) {
      const m = route.pattern.exec(req.path);
      if (!m) continue;
      if (route.method !== req.method && !(route.method === 'GET' && req.method === 'HEAD')) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      route.names.forEach((n, i) => {
        params[n] = decodeURIComponent(m[i + 1] ?? '');
      });
      try {
        const res = await route.handler(req, params);
        return req.method === 'HEAD' ? { ...res, body: '' } : res;
      } catch (err) {
        if (isServerError(err)) this.log.error('request failed', { method: req.method, path: req.path, error: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined });
        return errorResponse(err);
      }
    }
    if (allowed.length > 0) return json(405, { error: { code: 'method_not_allowed', message: `Use ${allowed.join(' or ')} for ${req.path}.` } }, { allow: allowed.join(', ') });
    return errorResponse(new HubError('not_found', 'not_found', `Nothing at ${req.path}.`));
  }
}
