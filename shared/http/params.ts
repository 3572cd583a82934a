import { HubError } from '../errors.ts';

export function parseLimit(raw: string | null, fallback: number, max: number): number {
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new HubError('validation', 'invalid_limit', `limit must be a whole number from 1 to ${max}.`);
  return n;
}
