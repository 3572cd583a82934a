// Embedded SNS/SQS (fauxqs 1.x, which runs on Node 20; state lives in memory). Bound to 127.0.0.1:
// fauxqs's own start helper listens on every interface.
import { buildApp } from 'fauxqs';

export interface EmbeddedMessaging {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export async function startFauxqs(options: { port?: number } = {}): Promise<EmbeddedMessaging> {
  const app = buildApp({ logger: false, host: '127.0.0.1' });
  await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('fauxqs did not report a TCP address');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    port: address.port,
    stop: async () => {
      await app.close();
    },
  };
}
