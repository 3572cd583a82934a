// A DNS lookup for http.request / net.connect that refuses internal addresses. Because the socket
// connects to exactly the address this function hands back, the check and the connection cannot
// disagree: a name that resolves to a public address for a check and to 10.0.0.1 a moment later
// (DNS rebinding) never gets a second, unchecked resolution.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { FetchError } from '../errors.ts';
import { isAddressAllowed, type CidrList } from './addresses.ts';

// The resolved address stays out of the message: it is shown to members and would reveal how
// names resolve inside the hub's own network. `instead` is the same feed on a loopback address that
// ALLOW_PRIVATE_NETWORKS allows (see allowedLoopbackAlternative), for a hub run on one machine.
export function blockedAddressError(host: string, instead?: string): FetchError {
  return new FetchError(
    'blocked_address',
    instead
      ? `The host ${host} is this machine, which ALLOW_PRIVATE_NETWORKS lets the hub read only at ${new URL(instead).hostname}: use ${instead}`
      : `The host ${host} points at a private or internal address; the hub only fetches feeds from the public internet.`,
    { details: { host, ...(instead && { instead }) } },
  );
}

/**
 * Wraps `resolve` (default dns.lookup): asks for every address of the name and fails with
 * FetchError 'blocked_address' unless all of them are allowed, so no fallback address is left
 * for the connection to wander to. Answers in whichever shape the caller asked for (`all` or not).
 */
export function createGuardedLookup(allow: CidrList, resolve: LookupFunction = dnsLookup as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, result, family) => {
      if (err) {
        callback(err, '', 0);
        return;
      }
      // A resolver that ignores `all` answers with one address.
      const addresses: LookupAddress[] = typeof result === 'string' ? [{ address: result, family: family ?? 4 }] : result;
      const first = addresses[0];
      if (!first) {
        const none: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
        none.code = 'ENOTFOUND';
        callback(none, '', 0);
        return;
      }
      const refused = addresses.find((a) => !isAddressAllowed(a.address, allow));
      if (refused) {
        callback(blockedAddressError(hostname), '', 0);
        return;
      }
      if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}
