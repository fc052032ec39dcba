// Thin node-cron wiring: every minute, in every replica, run the digest tick with the real
// clock. The claim in PostgreSQL (not the cron) makes each post happen once. Every five
// minutes, the tables whose statistics went stale are analyzed (src/services/statistics.ts).
import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../deps.js';
import { refreshStatistics } from '../services/statistics.js';
import { runDigestTick, type DigestJobDeps } from './digest-job.js';

export interface Scheduler {
  /** Resolves when the catch-up tick that runs at start has finished. */
  started: Promise<void>;
  stop(): Promise<void>;
}

export function startScheduler(deps: DigestJobDeps & { clock: Clock }): Scheduler {
  const inFlight = new Set<Promise<unknown>>();
  const tick = () => {
    const running = runDigestTick(deps, deps.clock.now())
      .catch((error: unknown) => deps.logger.error({ err: error }, 'digest tick failed'))
      .finally(() => inFlight.delete(running));
    inFlight.add(running);
    return running;
  };
  const task: ScheduledTask = cron.schedule('* * * * *', () => tick(), { name: 'digest', noOverlap: true });
  const statistics: ScheduledTask = cron.schedule(
    '*/5 * * * *',
    () => {
      const running = refreshStatistics(deps)
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'table statistics not refreshed'))
        .finally(() => inFlight.delete(running));
      inFlight.add(running);
      return running;
    },
    { name: 'statistics', noOverlap: true },
  );
  // A slot missed while Tally was down is posted now, not at the next minute.
  const started = tick().then(() => undefined);
  return {
    started,
    stop: async () => {
      await task.stop();
      await statistics.stop();
      await Promise.all(inFlight);
    },
  };
}
