// Starts a real local hub (dynalite on disk in a temp folder, fauxqs, node:http on port 0) for tests,
// with a small JSON client for its API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../shared/config.ts';
import { silentLogger } from '../../shared/log.ts';
import { startHub, type RunningHub } from '../../local/hub.ts';
import { summaryView } from '../../shared/http/routes-api.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestHub extends RunningHub {
  dataDir: string;
  api(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; json: any; text: string }>;
  /**
   * The secretariat's "poll every feed now" (POST /api/poll), waited for: in the Lambda topology the
   * API queues the feeds (202) and this waits until the poll workers are done. The summary, as the
   * in-process topology's POST /api/poll answers it.
   */
  poll(): Promise<ReturnType<typeof summaryView>>;
  close(): Promise<void>;
}

export async function startTestHub(env: Record<string, string> = {}, options: Parameters<typeof startHub>[1] = {}): Promise<TestHub> {
  const dataDir = mkdtempSync(join(tmpdir(), 'icat-hub-test-'));
  const configEnv = {
    PORT: '0',
    DATA_DIR: dataDir,
    ADMIN_TOKEN,
    ALLOW_PRIVATE_NETWORKS: '127.0.0.1/32',
    LOG_LEVEL: 'error',
    FETCH_TIMEOUT: '5s',
    ...env,
  };
  const config = loadConfig(configEnv);
  // The Lambda handler topology (local/handler-topology.ts), as `npm start` runs; HUB_TOPOLOGY=in-process runs the suite against the other.
  const topology = process.env.HUB_TOPOLOGY === 'in-process' ? 'in-process' : 'lambda';
  const hub = await startHub(config, { log: silentLogger, scheduler: false, topology, env: { ...process.env, ...configEnv }, ...options });
  const api: TestHub['api'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(hub.url + path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, json, text };
  };
  return {
    ...hub,
    dataDir,
    api,
    poll: async () => summaryView(await hub.pollAndWait()),
    async close() {
      await hub.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An RSS 2.0 document from a list of items. */
export function rss(title: string, items: { guid?: string; title: string; link?: string; date?: string; category?: string; pdf?: string; description?: string }[]): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>${esc(title)}</title><link>https://example.org/</link><description>test</description><language>en</language>
${items
  .map(
    (i) => `<item><title>${esc(i.title)}</title>${i.link ? `<link>${esc(i.link)}</link>` : ''}${i.guid ? `<guid isPermaLink="false">${esc(i.guid)}</guid>` : ''}${
      i.date ? `<pubDate>${i.date}</pubDate>` : ''
    }${i.category ? `<category>${esc(i.category)}</category>` : ''}${i.pdf ? `<enclosure url="${esc(i.pdf)}" type="application/pdf" length="12345"/>` : ''}<description>${esc(i.description ?? `About ${i.title}`)}</description></item>`,
  )
  .join('\n')}
</channel></rss>`;
}
