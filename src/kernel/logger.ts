import { type DestinationStream, type Logger as PinoLogger, pino } from 'pino';

export type Logger = PinoLogger;

export interface LoggerOptions {
  level?: string;
  /** Where lines go; stdout by default. Tests pass a stream to read them. */
  destination?: DestinationStream;
  name?: string;
}

/** Keys whose values never reach a log line (secrets and personal data). */
export const REDACTED_PATHS = [
  'password',
  'secret',
  'token',
  'apiKey',
  'authorization',
  '*.password',
  '*.secret',
  '*.token',
  '*.apiKey',
  '*.authorization',
  'headers.authorization',
  '*.email',
  '*.phone',
];

/** JSON lines via pino; a child logger per business transaction carries `correlationid`. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      name: options.name ?? 'crossdock',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}

export function withCorrelation(logger: Logger, correlationid: string | undefined, extra: Record<string, unknown> = {}): Logger {
  return logger.child({ ...(correlationid ? { correlationid } : {}), ...extra });
}

/** A logger that writes nothing; for tests and tools. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
