// The processes the benchmark starts (the fake Slack, the apps under test, the digest tick)
// and what it reads of them from /proc: resident memory (now and peak) and CPU time.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../test/support/tally-process.js';
import { REPO_ROOT, TMP_DIR } from './config.js';
import type { DigestStats, SlackServerRequest } from './slack-server.js';

export { freePort };

const TICKS_PER_SECOND = 100;

type Request =
  | { type: 'limit'; burst: number; perSecond: number }
  | { type: 'load'; on: boolean }
  | { type: 'reset' }
  | { type: 'digestStats' };

export class SlackStandIn {
  private nextId = 1;
  private readonly pending = new Map<number, (body: unknown) => void>();
  private constructor(
    private readonly child: ChildProcess,
    /** The fake's Web API base URL. */
    readonly url: string,
    /** The same, through the proxy that adds the workspace-wide post limit. */
    readonly proxyUrl: string,
    readonly baseUrl: string,
  ) {
    child.on('message', (message: { id?: number; body?: unknown }) => {
      if (message.id !== undefined) {
        this.pending.get(message.id)?.(message.body);
        this.pending.delete(message.id);
      }
    });
  }

  static async start(): Promise<SlackStandIn> {
    const child = fork(join(REPO_ROOT, 'bench/slack-server.ts'), [], {
      execArgv: ['--import', 'tsx'],
      cwd: REPO_ROOT,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await new Promise<{ url: string; proxyUrl: string; baseUrl: string }>((resolve, reject) => {
      child.once('message', (message) => resolve(message as { url: string; proxyUrl: string; baseUrl: string }));
      child.once('exit', (code) => reject(new Error(`the fake Slack exited (${code}) before it was ready`)));
    });
    return new SlackStandIn(child, ready.url, ready.proxyUrl, ready.baseUrl);
  }

  private request<T>(request: Request): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve) => {
      this.pending.set(id, resolve as (body: unknown) => void);
      this.child.send({ ...request, id } satisfies SlackServerRequest);
    });
  }

  limitWorkspacePosts(burst: number, perSecond: number): Promise<void> {
    return this.request({ type: 'limit', burst, perSecond });
  }

  /** Under load the fake forgets what it recorded every second (it would grow without end). */
  loadMode(on: boolean): Promise<void> {
    return this.request({ type: 'load', on });
  }

  reset(): Promise<void> {
    return this.request({ type: 'reset' });
  }

  digestStats(): Promise<DigestStats> {
    return this.request({ type: 'digestStats' });
  }

  get pid(): number {
    return this.child.pid!;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await Promise.race([exited, sleep(3_000)]);
  }
}

export interface AppSpec {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** An app under test: its own process, output to a log file, measured through /proc. */
export class AppProcess {
  readonly startedAt = performance.now();
  private exitCode: number | null | undefined;
  private constructor(
    readonly spec: AppSpec,
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    child.on('exit', (code) => (this.exitCode = code));
  }

  static start(spec: AppSpec): AppProcess {
    const logFile = join(TMP_DIR, `${spec.name}.log`);
    const out = openSync(logFile, 'a');
    const child = spawn(spec.command, spec.args, {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...spec.env },
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    return new AppProcess(spec, child, logFile);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Polls GET url until it answers 200; returns the milliseconds since the process was spawned. */
  async waitHealthy(url: string, timeoutMs = 30_000): Promise<number> {
    const deadline = this.startedAt + timeoutMs;
    while (performance.now() < deadline) {
      if (this.exitCode !== undefined)
        throw new Error(`${this.spec.name} exited (${this.exitCode}) before ${url} answered; see ${this.logFile}\n${this.tail()}`);
      const status = await fetch(url).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) return performance.now() - this.startedAt;
      await sleep(10);
    }
    throw new Error(`${this.spec.name}: ${url} did not answer 200 within ${timeoutMs} ms; see ${this.logFile}\n${this.tail()}`);
  }

  tail(lines = 20): string {
    try {
      return readFileSync(this.logFile, 'utf8').trim().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  /** Resident memory now and at its peak (VmHWM), in MB. */
  memory(): { rssMb: number; peakRssMb: number } {
    return processMemory(this.pid);
  }

  cpuSeconds(): number {
    return processCpuSeconds(this.pid);
  }

  async stop(): Promise<void> {
    if (this.exitCode !== undefined) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const done = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
    if (!done) {
      this.child.kill('SIGKILL');
      await exited;
    }
  }

  /** Resolves with the exit code once the process ends. */
  async exited(timeoutMs: number): Promise<number | null> {
    if (this.exitCode !== undefined) return this.exitCode;
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', resolve));
    const result = await Promise.race([exited, sleep(timeoutMs).then(() => 'timeout' as const)]);
    if (result === 'timeout') {
      this.child.kill('SIGKILL');
      throw new Error(`${this.spec.name} did not finish within ${timeoutMs} ms; see ${this.logFile}`);
    }
    return result;
  }
}

export function processMemory(pid: number): { rssMb: number; peakRssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
}

export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by each PostgreSQL server process on the machine, by pid. */
export function postgresCpu(): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (comm === 'postgres') seconds.set(Number(entry), processCpuSeconds(Number(entry)));
    } catch {
      // The process ended while we looked.
    }
  }
  return seconds;
}

/** CPU seconds PostgreSQL used since `before` (processes that ended meanwhile are not counted). */
export function postgresCpuSince(before: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of postgresCpu()) total += seconds - (before.get(pid) ?? 0);
  return total;
}
