// The two reference apps the benchmark compares Tally with, configured as Tally configures
// Bolt (HTTP receiver, the same signing secret, the same Web API base URL, no conversation store):
//   ack     a slash command that only acks: the framework's limit;
//   insert  a slash command that does one INSERT of the sale into the same PostgreSQL table
//           (same pool size) and acks: the floor of one durable write.
// Usage: node --import tsx bench/apps/bolt-floor.ts ack|insert  (PORT, SLACK_API_URL, DATABASE_URL)
import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import pg from 'pg';
import { BOT_TOKEN, SIGNING_SECRET } from '../config.js';

const mode = process.argv[2];
if (mode !== 'ack' && mode !== 'insert') throw new Error('usage: bolt-floor.ts ack|insert');
const port = Number(process.env.PORT ?? 3000);
const pool =
  mode === 'insert' ? new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10) }) : undefined;

const receiver = new HTTPReceiver({
  signingSecret: SIGNING_SECRET,
  endpoints: '/slack/events',
  unhandledRequestTimeoutMillis: 3001,
  customRoutes: [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req: IncomingMessage, res: ServerResponse) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"status":"ok"}');
      },
    },
  ],
});
const app = new App({
  receiver,
  token: BOT_TOKEN,
  logLevel: LogLevel.WARN,
  convoStore: false,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});

const INSERT = `insert into sales (team_id, rep_id, amount_minor, currency, original_amount_minor, original_currency, closed_on, customer, source, idempotency_key, created_by)
  values ($1, $2, 120000, 'USD', 120000, 'USD', current_date, 'Acme', 'command', $3, $2)`;

app.command(/.*/, async ({ command, ack }) => {
  if (pool) await pool.query(INSERT, [command.team_id, command.user_id, `command:${command.trigger_id}`]);
  await ack({ response_type: 'ephemeral', text: 'ok' });
});

await app.start(port);
const stop = async () => {
  await app.stop();
  await pool?.end();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
