import { describe, expect, it } from 'vitest';
import { clientIp, createPublicGate, RateLimiter } from '../../shared/http/rate-limit.ts';
import type { HttpRequest } from '../../shared/http/types.ts';

/** A clock the test moves by hand (epoch ms). */
function manualClock(start = Date.UTC(2026, 10, 2, 9)) {
  let t = start;
  return { now: () => t, advance: (seconds: number) => void (t += seconds * 1000), set: (ms: number) => void (t = ms) };
}

const request = (over: Partial<HttpRequest> = {}): HttpRequest => ({ method: 'GET', path: '/feeds/all.rss', query: new URLSearchParams(), headers: {}, sourceIp: '198.51.100.7', ...over });

describe('RateLimiter (token bucket)', () => {
  it('allows a burst of `limit`, then refuses with the wait until the next token', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ limit: 3, windowSeconds: 60, now: clock.now });
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, true]);
    const refused = limiter.take('a');
    expect(refused).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 20 });
    // Another key has its own bucket.
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('refills at limit per window, never above the limit', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ limit: 2, windowSeconds: 60, now: clock.now });
    limiter.take('a');
    limiter.take('a');
    clock.advance(29);
    expect(limiter.take('a')).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    clock.advance(1);
    expect(limiter.take('a').allowed).toBe(true);
    clock.advance(3600);
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, false]);
  });

  it('gives refunded tokens back, capped at the limit', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ limit: 1, windowSeconds: 3600, now: clock.now });
    expect(limiter.take('m').allowed).toBe(true);
    limiter.refund('m');
    limiter.refund('m');
    expect(limiter.take('m').allowed).toBe(true);
    expect(limiter.take('m')).toMatchObject({ allowed: false, retryAfterSeconds: 3600 });
  });

  it('neither mints tokens nor locks a key out when the clock steps back', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ limit: 1, windowSeconds: 60, now: clock.now });
    limiter.take('a');
    clock.advance(-3600);
    expect(limiter.take('a')).toMatchObject({ allowed: false, retryAfterSeconds: 60 });
    clock.advance(60);
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('drops buckets idle for a whole window (they would be full again)', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ limit: 5, windowSeconds: 60, now: clock.now });
    for (let i = 0; i < 100; i++) limiter.take(`ip-${i}`);
    expect(limiter.size).toBe(100);
    clock.advance(61);
    limiter.take('late');
    expect(limiter.size).toBe(1);
  });

  it('keeps at most maxKeys, evicting the least recently used first', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ limit: 1, windowSeconds: 60, now: clock.now, maxKeys: 3 });
    limiter.take('a');
    limiter.take('b');
    limiter.take('c');
    limiter.take('a'); // refused, but a is now the most recently used
    limiter.take('d'); // evicts b
    expect(limiter.size).toBe(3);
    expect(limiter.take('a').allowed).toBe(false); // still remembered
    expect(limiter.take('b').allowed).toBe(true); // forgotten, so a fresh bucket
    for (let i = 0; i < 10_000; i++) limiter.take(`flood-${i}`);
    expect(limiter.size).toBe(3);
  });
});

describe('clientIp', () => {
  const apiGateway = request({ sourceIp: '130.176.1.1', headers: { 'x-forwarded-for': '203.0.113.9, 130.176.1.1' } });

  it('uses the connection address and ignores X-Forwarded-For unless proxies are trusted', () => {
    expect(clientIp(request({ headers: { 'x-forwarded-for': '1.2.3.4' } }))).toBe('198.51.100.7');
    expect(clientIp(apiGateway, 0)).toBe('130.176.1.1');
    expect(clientIp(request({ sourceIp: undefined }))).toBe('unknown');
  });

  it('takes the address the outermost trusted proxy saw, so a forged header does not help', () => {
    const behindOne = (xff: string) => clientIp(request({ sourceIp: '10.0.0.5', headers: { 'x-forwarded-for': xff } }), 1);
    expect(behindOne('203.0.113.50')).toBe('203.0.113.50');
    // The client wrote "6.6.6.6"; the proxy appended the address it saw.
    expect(behindOne('6.6.6.6, 203.0.113.50')).toBe('203.0.113.50');
    // CloudFront then API Gateway: both append.
    expect(clientIp(apiGateway, 2)).toBe('203.0.113.9');
  });

  it('falls back to the connection address when the header has nothing usable', () => {
    expect(clientIp(request({ headers: { 'x-forwarded-for': 'not-an-ip' } }), 1)).toBe('198.51.100.7');
    expect(clientIp(request({ headers: {} }), 1)).toBe('198.51.100.7');
    expect(clientIp(request({ headers: { 'x-forwarded-for': '2001:db8::1' } }), 5)).toBe('2001:db8::1');
  });
});

describe('the public gate', () => {
  const valid = 'Bearer good-key';
  const gateWith = (perMinute: number, clock = manualClock()) =>
    createPublicGate({ perMinute, trustProxy: 0, now: clock.now, authenticated: async (req) => req.headers.authorization === valid });

  it('answers 429 with Retry-After and a JSON error once an address has used its requests', async () => {
    const clock = manualClock();
    const gate = gateWith(2, clock);
    expect(await gate(request())).toBeUndefined();
    expect(await gate(request())).toBeUndefined();
    const res = (await gate(request()))!;
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('30');
    expect(JSON.parse(String(res.body))).toEqual({ error: { code: 'rate_limited', message: 'Too many requests from your address; try again in 30 seconds.' } });
    expect(await gate(request({ sourceIp: '198.51.100.8' }))).toBeUndefined();
    clock.advance(30);
    expect(await gate(request())).toBeUndefined();
  });

  it('lets authenticated requests through without counting them, and counts made-up tokens', async () => {
    const gate = gateWith(1);
    for (let i = 0; i < 5; i++) expect(await gate(request({ headers: { authorization: valid } }))).toBeUndefined();
    expect(await gate(request({ headers: { authorization: 'Bearer guessed' } }))).toBeUndefined();
    expect((await gate(request({ headers: { authorization: 'Bearer guessed-again' } })))?.status).toBe(429);
    expect((await gate(request()))?.status).toBe(429);
    expect(await gate(request({ headers: { authorization: valid } }))).toBeUndefined();
  });

  it('is off at 0', async () => {
    const gate = gateWith(0);
    for (let i = 0; i < 500; i++) expect(await gate(request())).toBeUndefined();
  });
});
