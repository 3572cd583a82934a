/** Reads what a domain publishes to prove that a member controls it. */
export interface DomainVerifier {
  /** The body of https://{domain}/.well-known/icat-hub-verification.txt, or undefined when there is none. */
  wellKnown(domain: string): Promise<string | undefined>;
  /** TXT records of a DNS name ([] when there are none). */
  txt(name: string): Promise<string[]>;
}
