// The hub's Logger (shared/log.ts) on Powertools for AWS Lambda: the same snake_case fields and the
// same redaction (no e-mail addresses, tokens or keys), written as Powertools JSON so CloudWatch Logs
// Insights, the Lambda context keys (request id, cold start) and X-Ray trace ids line up.
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { redact, type Logger, type LogLevel } from '../shared/log.ts';

const LEVEL_NAMES = { debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' } as const;

export function createPowertoolsLogger(options: { serviceName: string; level: LogLevel }): PowertoolsLogger {
  return new PowertoolsLogger({ serviceName: options.serviceName, logLevel: LEVEL_NAMES[options.level] });
}

function clean(fields: Record<string, unknown> | undefined): Record<string, unknown>[] {
  return fields ? [redact(fields) as Record<string, unknown>] : [];
}

/** Adapts a Powertools Logger to the hub's Logger interface. */
export function powertoolsLogger(pt: PowertoolsLogger): Logger {
  // Messages are redacted too: a message built from an error text can carry an address.
  const text = (message: string) => redact(message) as string;
  return {
    debug: (m, f) => pt.debug(text(m), ...clean(f)),
    info: (m, f) => pt.info(text(m), ...clean(f)),
    warn: (m, f) => pt.warn(text(m), ...clean(f)),
    error: (m, f) => pt.error(text(m), ...clean(f)),
    child: (fields) => powertoolsLogger(pt.createChild({ persistentKeys: redact(fields) as Record<string, unknown> })),
  };
}
