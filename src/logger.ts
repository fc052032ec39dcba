// Structured JSON logs (pino). Bolt gets the same logger through a small adapter.
// Log context (team, user, command), never tokens, secrets or request bodies.
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'tally' },
      redact: { paths: ['token', '*.token', 'headers.authorization', 'authorization', 'body'], censor: '[redacted]' },
    },
    // Synchronous writes by default: lines come out in order and none is lost at exit.
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

export function boltLogger(logger: Logger): BoltLogger {
  const log = logger.child({ component: 'bolt' });
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...parts: unknown[]) => {
      const [first, ...rest] = parts;
      if (first instanceof Error) log[level]({ err: first }, rest.map(String).join(' '));
      else log[level](parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' '));
    };
  return {
    // Bolt and the Web API client log request and response bodies at debug (message text,
    // customer names, users.info answers): never forwarded, whatever LOG_LEVEL says.
    debug: () => {},
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (level) => {
      log.level = level;
    },
    getLevel: () => (log.level as LogLevel) ?? LogLevel.INFO,
    setName: () => {},
  };
}
