// Structured JSON logs, one object per line, snake_case keys. Never pass e-mail addresses or keys:
// `redact` masks the obvious ones in case a caller slips.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  service?: string;
  /** Where lines go; defaults to stdout (stderr for warn and error). */
  write?: (line: string, level: LogLevel) => void;
}

const EMAIL = /[^\s@<>"']+@[^\s@<>"']+\.[a-z]{2,}/gi;

export function redact(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(EMAIL, '[email]');
  if (value instanceof Error) return { name: value.name, message: redact(value.message), code: (value as { code?: unknown }).code };
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = /email|token|key|secret|password/i.test(k) && typeof v === 'string' ? '[redacted]' : redact(v);
    return out;
  }
  return value;
}

export function createLogger(options: LoggerOptions = {}, base: Record<string, unknown> = {}): Logger {
  const min = LEVELS[options.level ?? 'info'];
  const write =
    options.write ?? ((line: string, level: LogLevel) => (level === 'warn' || level === 'error' ? process.stderr : process.stdout).write(line + '\n'));
  const emit = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < min) return;
    const entry = { level, time: new Date().toISOString(), service: options.service ?? 'icat-hub', message, ...base, ...(fields ? (redact(fields) as object) : {}) };
    write(JSON.stringify(entry), level);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(options, { ...base, ...(redact(fields) as object) }),
  };
}

/** A logger that drops everything (tests that do not look at logs). */
export const silentLogger: Logger = createLogger({ write: () => {} });
