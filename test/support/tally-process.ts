// Runs Tally as a real process (tsx src/main.ts, or npm start) for start-up and shutdown tests:
// an explicit environment, captured output, and waits that poll with a deadline.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

/** The checkout the tests run in (where package.json and src/ are). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What a child needs from the test's own environment to run node and npm: nothing about Tally. */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir() };
  // Under `npm run test:timetravel` a child reads the same shifted clock as the test that signs its requests.
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && (name === 'LD_PRELOAD' || name.startsWith('FAKETIME'))) env[name] = value;
  }
  return env;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class TallyProcess {
  private out = '';
  private err = '';
  private exit: Exit | undefined;
  private outputClosed = false;
  readonly exited: Promise<Exit>;

  private constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.out += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.err += chunk));
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
    // 'close' comes once every process holding the output pipes (npm's children too) has gone.
    child.on('close', () => (this.outputClosed = true));
  }

  /** Starts `command args` in the checkout with exactly `env`, in a process group of its own. */
  static start(command: string, args: string[], env: Record<string, string>): TallyProcess {
    const child = spawn(command, args, { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    return new TallyProcess(child);
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('the process did not start');
    return this.child.pid;
  }

  get stdout(): string {
    return this.out;
  }

  get stderr(): string {
    return this.err;
  }

  get hasExited(): boolean {
    return this.exit !== undefined;
  }

  /** The pino JSON lines printed on stdout (other lines are skipped). */
  logs(): Array<Record<string, unknown>> {
    return this.out
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
  }

  /** Log messages (`msg`) in the order printed. */
  logMessages(): string[] {
    return this.logs().map((entry) => String(entry.msg));
  }

  /** Sends a signal to the process itself (as a container runtime does to PID 1). */
  signal(signal: NodeJS.Signals): void {
    process.kill(this.pid, signal);
  }

  /** Sends a signal to every process of the group (as Ctrl-C in a terminal or systemd does). */
  signalGroup(signal: NodeJS.Signals): void {
    process.kill(-this.pid, signal);
  }

  /** Whether any process of the group (the command and anything it started) is still running. */
  get groupIsAlive(): boolean {
    try {
      process.kill(-this.pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  /** Waits until every process of the group has exited and all output has been read. */
  async waitUntilGone(timeoutMs: number): Promise<void> {
    await waitUntil(
      () => !this.groupIsAlive && this.outputClosed,
      timeoutMs,
      () => `every process to exit\n${this.describe()}`,
    );
  }

  /** Resolves with the exit, or fails after `timeoutMs` saying what was printed. */
  async waitForExit(timeoutMs: number): Promise<Exit> {
    const timedOut = sleep(timeoutMs).then(() => undefined);
    const exit = await Promise.race([this.exited, timedOut]);
    if (exit === undefined) throw new Error(`the process did not exit within ${timeoutMs} ms\n${this.describe()}`);
    return exit;
  }

  /** Kills the whole process group (tsx and npm start children of their own). Safe to call twice. */
  async kill(): Promise<void> {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
    if (!this.hasExited) await this.waitForExit(5_000);
  }

  describe(): string {
    return `exit: ${JSON.stringify(this.exit)}\n--- stdout ---\n${this.out}\n--- stderr ---\n${this.err}`;
  }
}

/** A TCP port nobody listens on right now (bound to port 0, read, released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls GET /healthz until it answers 200; fails early if the process exits first. */
export async function waitUntilHealthy(tally: TallyProcess, baseUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (tally.hasExited) throw new Error(`the process exited before /healthz answered 200\n${tally.describe()}`);
    const status = await fetch(`${baseUrl}/healthz`).then(
      (response) => response.status,
      () => undefined,
    );
    if (status === 200) return;
    await sleep(100);
  }
  throw new Error(`/healthz did not answer 200 within ${timeoutMs} ms\n${tally.describe()}`);
}

/** Polls until `condition` holds, or fails after `timeoutMs` saying what it waited for. */
export async function waitUntil(condition: () => boolean, timeoutMs: number, what: string | (() => string)): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await sleep(10);
  }
}
