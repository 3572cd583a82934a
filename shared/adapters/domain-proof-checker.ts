// Domain proof over the network: the well-known file through the hub's guarded fetcher (so the same
// address rules apply), and DNS TXT records through the system resolver.
import { Resolver } from 'node:dns/promises';
import type { DomainVerifier } from '../ports/domain-verifier.ts';
import type { FeedFetcher } from '../ports/fetcher.ts';

export const WELL_KNOWN_PATH = '/.well-known/icat-hub-verification.txt';

export interface DomainVerifierOptions {
  fetcher: FeedFetcher;
  /** https in production; tests on loopback use http, since the hub accepts no self-signed certificate. */
  scheme?: 'https' | 'http';
  /** A port other than the scheme's own (tests on loopback). */
  port?: number;
  /** DNS servers ("127.0.0.1:5353"); the system's when absent. */
  dnsServers?: string[];
}

export function createDomainVerifier(options: DomainVerifierOptions): DomainVerifier {
  const resolver = new Resolver({ timeout: 5000, tries: 2 });
  if (options.dnsServers?.length) resolver.setServers(options.dnsServers);
  return {
    async wellKnown(domain) {
      try {
        const host = options.port ? `${domain}:${options.port}` : domain;
        const res = await options.fetcher.fetch(`${options.scheme ?? 'https'}://${host}${WELL_KNOWN_PATH}`);
        return res.status === 200 ? res.body.subarray(0, 4096).toString('utf8') : undefined;
      } catch {
        return undefined;
      }
    },
    async txt(name) {
      try {
        return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
      } catch {
        return [];
      }
    },
  };
}
