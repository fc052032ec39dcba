// Thin node-cron wiring: every minute, in every replica, run the digest tick with the real
// clock. The claim in PostgreSQL (not the cron) makes each post happen once.
import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../deps.js';
import { runDigestTick, type DigestJobDeps } from './digest-job.js';

export interface Scheduler {
  /** Resolves when the catch-up tick that runs at start has finished. */
  started: Promise<void>;
  stop(): Promise<void>;
}

export function startScheduler(deps: DigestJobDeps & { clock: Clock }): Scheduler {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = runDigestTick(deps, deps.clock.now()).catch((error: unknown) => deps.logger.error({ err: error }, 'digest tick failed'));
    return running;
  };
  const task: ScheduledTask = cron.schedule('* * * * *', () => tick(), { name: 'digest', noOverlap: true });
  // A slot missed while Tally was down is posted now, not at the next minute.
  const started = tick().then(() => undefined);
  return {
    started,
    stop: async () => {
      await task.stop();
      await running;
    },
  };
}
