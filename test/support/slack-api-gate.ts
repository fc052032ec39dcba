// An HTTP pass-through in front of a FakeSlack that can hold one Web API call until the test
// releases it. Pointing SLACK_API_URL here makes "a request is in flight" a state a test can
// reach on purpose: the app is waiting for Slack, exactly until the test says otherwise.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HeldCall {
  /** Resolves when the app has sent the call and the gate is holding it. */
  arrived: Promise<void>;
  /** Lets the held call (and any later one) through to the fake. */
  release(): void;
}

interface Hold {
  method: string;
  arrive: () => void;
  released: Promise<void>;
  release: () => void;
}

export class SlackApiGate {
  private hold: Hold | undefined;

  private constructor(
    private readonly server: Server,
    private readonly origin: string,
    private readonly targetOrigin: string,
  ) {}

  /** Forwards everything to `targetApiUrl` (FakeSlack.url, ending in /api/). */
  static async start(targetApiUrl: string): Promise<SlackApiGate> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const gate = new SlackApiGate(server, `http://127.0.0.1:${port}`, new URL(targetApiUrl).origin);
    server.on('request', (req, res) => void gate.forward(req, res));
    return gate;
  }

  /** The Web API base URL to give the app as SLACK_API_URL. */
  get url(): string {
    return `${this.origin}/api/`;
  }

  /** Holds the next call to `method` (e.g. `users.info`) until `release()`. */
  holdNext(method: string): HeldCall {
    let arrive!: () => void;
    let release!: () => void;
    const arrived = new Promise<void>((resolve) => (arrive = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.hold = { method, arrive, released, release };
    return { arrived, release };
  }

  async stop(): Promise<void> {
    this.hold?.release();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const hold = this.hold;
      if (hold !== undefined && req.url === `/api/${hold.method}`) {
        this.hold = undefined;
        hold.arrive();
        await hold.released;
      }
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'authorization']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const upstream = await fetch(`${this.targetOrigin}${req.url ?? '/'}`, {
        method: req.method ?? 'POST',
        headers,
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      });
      const body = Buffer.from(await upstream.arrayBuffer());
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      res.end(body);
    } catch (error) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: 'gate_failure', detail: String(error) }));
    }
  }
}
