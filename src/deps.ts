// The small set of things every part of Tally is handed by the composition root (main.ts).
import type { Kysely } from 'kysely';
import type { Config } from './config.js';
import type { Database } from './db/schema.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface Deps {
  config: Config;
  db: Kysely<Database>;
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
}
