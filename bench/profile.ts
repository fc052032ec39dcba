// CPU profile of Tally under one scenario's load: `npx tsx bench/profile.ts logsale|leaderboard|modal [seconds] [--pglite] [--no-profile]`
// against the bench database (or PGlite folder) as the last `npm run bench` left it (run that first). Starts the
// fake Slack and `node --cpu-prof dist/src/main.js`, sends the load, stops the app, and prints
// where its CPU went (self time by function and by package). The .cpuprofile file is kept in
// bench/results/tmp/ for Chrome DevTools or speedscope.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DB_URL, BOT_TOKEN, SIGNING_SECRET, TIMEZONE, TMP_DIR } from './config.js';
import { runLoad, type RequestKind } from './load.js';
import { AppProcess, SlackStandIn, freePort, postgresCpu, postgresCpuSince } from './processes.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

const KINDS: Record<string, RequestKind> = {
  logsale: { type: 'command', command: '/logsale', text: '1200 Acme {n}' },
  leaderboard: { type: 'command', command: '/leaderboard', text: 'month' },
  modal: { type: 'modal', amount: '1200' },
};

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const pglite = process.argv.includes('--pglite');
/** --no-profile: only the throughput and the app's CPU time a request, without the profiler's cost. */
const measureOnly = process.argv.includes('--no-profile');
const scenario = args[0] ?? 'logsale';
const seconds = Number(args[1] ?? 10);
const kind = KINDS[scenario];
if (!kind) throw new Error(`usage: bench/profile.ts ${Object.keys(KINDS).join('|')} [seconds] [--pglite] [--no-profile]`);

const dir = join(TMP_DIR, 'profile');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const slack = await SlackStandIn.start();
const port = await freePort();
const app = AppProcess.start({
  name: 'tally-profile',
  command: process.execPath,
  args: [
    ...(process.env.NODE_FLAGS ? process.env.NODE_FLAGS.split(' ') : []),
    ...(measureOnly ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`]),
    'dist/src/main.js',
  ],
  env: {
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.url,
    PORT: String(port),
    DEFAULT_TIMEZONE: TIMEZONE,
    LOG_LEVEL: 'warn',
    ...(pglite ? { DATA_DIR: join(TMP_DIR, 'pglite-data') } : { DATABASE_URL: BENCH_DB_URL }),
  },
});
try {
  const baseUrl = `http://127.0.0.1:${port}`;
  await app.waitHealthy(`${baseUrl}/healthz`);
  await slack.loadMode(true);
  const cpuBefore = app.cpuSeconds();
  const pgBefore = postgresCpu();
  const result = await runLoad(baseUrl, kind, `${slack.baseUrl}/respond/bench`, seconds);
  // Give background work (App Home refreshes, celebrations) a moment to finish: it is part of the cost.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const cpuMs = (app.cpuSeconds() - cpuBefore) * 1000;
  const pgMs = postgresCpuSince(pgBefore) * 1000;
  const metrics = await fetch(`${baseUrl}/metrics`).then((r) => r.text());
  const heap = (name: string) =>
    Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+(?:\\.\\d+)?(?:e\\+\\d+)?)`, 'm').exec(metrics)?.[1] ?? 0) / 2 ** 20;
  console.log(
    `heap: used ${heap('nodejs_heap_size_used_bytes').toFixed(0)} MB of ${heap('nodejs_heap_size_total_bytes').toFixed(0)} MB, external ${heap('nodejs_external_memory_bytes').toFixed(0)} MB`,
  );
  console.log(
    `${scenario}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms; app CPU ${(cpuMs / result.requests).toFixed(2)} ms and PostgreSQL CPU ${(pgMs / result.requests).toFixed(2)} ms a request, peak RSS ${app.memory().peakRssMb.toFixed(0)} MB`,
  );
} finally {
  await app.stop();
  await slack.stop();
}

if (measureOnly) process.exit(0);
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error('no .cpuprofile written');
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: ProfileNode[] };
const total = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  if (hits === 0) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url
    .replace(/^file:\/\//, '')
    .replace(/.*\/node_modules\//, 'node_modules/')
    .replace(/.*\/dist\//, 'dist/');
  const name = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
  const pkg =
    /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where)?.[1] ??
    (where.startsWith('dist/')
      ? where.split('/').slice(0, 3).join('/')
      : where.startsWith('node:')
        ? 'node internals'
        : functionName.startsWith('(')
          ? functionName
          : 'other');
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + hits);
}
const top = (map: Map<string, number>, n: number) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, hits]) => `  ${((hits / total) * 100).toFixed(1).padStart(5)}%  ${name}`)
    .join('\n');
// Inclusive time of Tally's own functions (each counted once per stack).
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inclusive = new Map<string, number>();
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  if (hits === 0) continue;
  const seen = new Set<string>();
  for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
    const frame = nodes.get(id)!.callFrame;
    if (!frame.url.includes('/dist/src/') || !frame.functionName) continue;
    const name = `${frame.functionName} ${frame.url.replace(/.*\/dist\//, '')}`;
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + hits);
  }
}
console.log(`\nInclusive time of Tally's functions:\n${top(inclusive, 30)}`);
console.log(
  `\nSelf time by package:\n${top(byPackage, 20)}\n\nSelf time by function:\n${top(byFunction, 30)}\n\nProfile: ${join(dir, file)}`,
);
