// npm run sandbox [-- --seed] [--reset] [--port 3000] [--app-port 3001]
// Starts Tally with a local Slack stand-in and prints the URL of a page that works like a
// Slack workspace with Tally installed. Ctrl-C stops both.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox } from './sandbox.js';

const USAGE = `Usage: npm run sandbox -- [--seed] [--reset] [--port 3000] [--app-port 3001] [--data .sandbox/data]

  --seed       fill a fresh workspace with teams, products, targets and sales: the six
               months before this one and this month so far
  --reset      delete the sandbox's database first and start over
  --port       port of the page (and of the Slack stand-in); default 3000
  --app-port   port of the Tally app; default the page's port + 1
  --data       folder of the embedded database; default .sandbox/data`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'boolean', default: false },
      reset: { type: 'boolean', default: false },
      port: { type: 'string', default: '3000' },
      'app-port': { type: 'string' },
      data: { type: 'string', default: '.sandbox/data' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  const appPort = values['app-port'] === undefined ? (port === 0 ? 0 : port + 1) : Number(values['app-port']);
  if (!Number.isInteger(port) || !Number.isInteger(appPort)) {
    console.error(`--port and --app-port take port numbers.\n\n${USAGE}`);
    process.exit(2);
  }
  const dataDir = resolve(values.data);
  const logFile = resolve(dataDir, '..', 'tally.log');
  mkdirSync(resolve(dataDir, '..'), { recursive: true });

  console.log(
    `Starting the Tally sandbox${values.reset ? ' (reset)' : ''}${values.seed ? ', seeding the six months before this one and this month so far' : ''}...`,
  );
  const sandbox = await startSandbox({ port, appPort, dataDir, logFile, reset: values.reset, seed: values.seed });
  if (values.seed && sandbox.seeded === undefined) console.log('This workspace was seeded before; run with --reset --seed to start over.');
  if (sandbox.seeded) {
    const { sales, from, fullMonths, targets } = sandbox.seeded;
    console.log(`Seeded ${sales} sales from ${from} (${fullMonths} full months, then this month up to today) and ${targets} targets.`);
  }
  console.log(`
  Tally sandbox:  ${sandbox.url}
  Tally app:      ${sandbox.appUrl}/slack/events  (logs: ${logFile})
  Database:       ${dataDir}

Open the page, pick who you are at the top left and type a slash command, e.g. /logsale 1200 Acme.
Ctrl-C stops the sandbox.`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the sandbox...`);
    sandbox.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'EADDRINUSE') console.error(`That port is taken: ${String((error as Error).message)}. Pick another with --port.`);
  else console.error(error);
  process.exit(1);
});
