// Deterministic documents for the benchmarks: a feed shaped like a member's publication feed.

export function publicationFeed(items: number, format: 'rss' | 'atom' = 'rss'): string {
  const rows: string[] = [];
  for (let i = 0; i < items; i += 1) {
    const date = new Date(Date.UTC(2026, 0, 1) + i * 3_600_000);
    const title = `Report ${i}: trafficking in persons &amp; forced labour in supply chains`;
    const link = `https://www.example.org/publications/${i}?utm_source=rss&amp;utm_medium=feed`;
    const html = `&lt;p&gt;A &lt;strong&gt;study&lt;/strong&gt; of case ${i}, with &lt;a href="/cases/${i}"&gt;annexes&lt;/a&gt; and recommendations for prosecutors, labour inspectors and victim services.&lt;/p&gt;`;
    rows.push(
      format === 'rss'
        ? `<item><title>${title}</title><link>${link}</link><guid isPermaLink="false">pub-${i}</guid><pubDate>${date.toUTCString()}</pubDate><category>Research</category><category>Forced labour</category><enclosure url="https://www.example.org/files/${i}.pdf" type="application/pdf" length="${100000 + i}"/><description>${html}</description></item>`
        : `<entry><title>${title}</title><link rel="alternate" href="${link}"/><id>tag:example.org,2026:pub-${i}</id><published>${date.toISOString()}</published><updated>${date.toISOString()}</updated><category term="Research"/><link rel="enclosure" type="application/pdf" href="https://www.example.org/files/${i}.pdf" length="${100000 + i}"/><summary type="html">${html}</summary></entry>`,
    );
  }
  return format === 'rss'
    ? `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Member publications</title><link>https://www.example.org/</link><description>Papers</description><language>en</language>${rows.join('')}</channel></rss>`
    : `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Member publications</title><id>tag:example.org,2026:feed</id><updated>2026-02-01T00:00:00Z</updated><link rel="self" href="https://www.example.org/feed.atom"/>${rows.join('')}</feed>`;
}
