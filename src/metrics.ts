// Prometheus metrics, one registry per app instance (served at GET /metrics).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  requests: Counter<'kind' | 'name' | 'outcome'>;
  requestSeconds: Histogram<'kind' | 'name'>;
  databaseErrors: Counter;
  /** Statements sent to the database (the work per request: divide by the requests). */
  databaseStatements: Counter;
  digestPosts: Counter<'outcome'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new Counter({
      name: 'tally_requests_total',
      help: 'Slack requests handled, by kind (command, view, action, event), name and outcome (ok, user_error, error).',
      labelNames: ['kind', 'name', 'outcome'],
      registers: [registry],
    }),
    requestSeconds: new Histogram({
      name: 'tally_request_duration_seconds',
      help: 'Time from receiving a Slack request to finishing its handler.',
      labelNames: ['kind', 'name'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    databaseErrors: new Counter({
      name: 'tally_database_errors_total',
      help: 'Requests that failed because the database could not be reached or refused the query.',
      registers: [registry],
    }),
    databaseStatements: new Counter({
      name: 'tally_database_statements_total',
      help: 'Statements this process sent to the database.',
      registers: [registry],
    }),
    digestPosts: new Counter({
      name: 'tally_digest_posts_total',
      help: 'Scheduled digest posts, by outcome.',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}

/**
 * Adds the rows the database read (`pg_stat_database`: returned by scans plus fetched by index,
 * for every client of the database) to what /metrics serves, read when it is scraped.
 */
export function watchTuplesRead(metrics: Metrics, tuplesRead: () => Promise<number>): void {
  new Gauge({
    name: 'tally_database_tuples_read',
    help: 'Rows the database read for all its clients since its statistics were reset (pg_stat_database tup_returned + tup_fetched).',
    registers: [metrics.registry],
    async collect() {
      try {
        this.set(await tuplesRead());
      } catch {
        // The database did not answer: the gauge keeps its last value, the rest is served.
      }
    },
  });
}
