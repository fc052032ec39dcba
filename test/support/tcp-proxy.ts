// A TCP pass-through between Tally and PostgreSQL that a test can cut, stall or make lose the
// server's answers, to play a database outage (network partition, server restart, a network
// that goes silent) without touching the server itself.
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { Harness } from './harness.js';
import { createTestDatabase } from './test-database.js';

/** One client connection and the connection to the server it is forwarded to. */
interface Link {
  client: Socket;
  upstream: Socket;
  /** Bytes held while stalled, each way. */
  toServer: Buffer[];
  toClient: Buffer[];
  /** The client hung up while its bytes were held: they still reach the server on resume. */
  clientGone: boolean;
}

/**
 * Forwards bytes both ways, unless the test breaks the network: cut() resets every connection
 * and refuses new ones; reset() resets the open ones only; stall() holds every byte (a network
 * that goes silent) until resume() delivers them late; dropAnswers() loses whatever the server
 * sends while the client's bytes still reach it.
 */
export class TcpProxy {
  private readonly links = new Set<Link>();
  private refusing = false;
  private mode: 'forward' | 'stall' | 'drop answers' = 'forward';

  private constructor(private readonly server: Server) {}

  /** Listens on a free port of 127.0.0.1 and forwards every connection to target:port. */
  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server);
    server.on('connection', (client) => proxy.accept(client, targetHost, targetPort));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Drops every open connection (both sides reset) and resets new ones until restore(). */
  cut(): void {
    this.refusing = true;
    this.reset();
  }

  /** Drops every open connection (both sides reset); new ones are forwarded. */
  reset(): void {
    this.mode = 'forward';
    for (const link of this.links) {
      link.client.resetAndDestroy();
      link.upstream.resetAndDestroy();
    }
    this.links.clear();
  }

  /** Accepts and forwards connections again. */
  restore(): void {
    this.refusing = false;
    this.mode = 'forward';
  }

  /** Holds every byte, both ways, on open and new connections, until resume(). */
  stall(): void {
    this.mode = 'stall';
  }

  /** Delivers what was held, late, and forwards again. */
  resume(): void {
    this.mode = 'forward';
    for (const link of this.links) {
      for (const chunk of link.toServer.splice(0)) link.upstream.write(chunk);
      for (const chunk of link.toClient.splice(0)) if (!link.clientGone) link.client.write(chunk);
      if (link.clientGone) link.upstream.end();
    }
  }

  /** Loses every byte the server sends, until reset() or restore(); the client's bytes still reach it. */
  dropAnswers(): void {
    this.mode = 'drop answers';
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, targetHost: string, targetPort: number): void {
    if (this.refusing) {
      client.resetAndDestroy();
      return;
    }
    const link: Link = { client, upstream: connect(targetPort, targetHost), toServer: [], toClient: [], clientGone: false };
    const { upstream } = link;
    this.links.add(link);
    client.on('data', (chunk: Buffer) => {
      if (this.mode === 'stall') link.toServer.push(chunk);
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (this.mode === 'stall') link.toClient.push(chunk);
      else if (this.mode === 'forward' && !link.clientGone) client.write(chunk);
    });
    const close = () => {
      this.links.delete(link);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', () => undefined);
    upstream.on('error', close);
    upstream.on('close', close);
    client.on('close', () => {
      // Bytes held in a stall were sent: like a network that delivers them late, the server gets them.
      if (this.mode === 'stall' && link.toServer.length > 0) link.clientGone = true;
      else close();
    });
  }
}

/** A whole Tally on a fresh PostgreSQL database reached through a TcpProxy the test can cut. */
export async function startBehindProxy(): Promise<{ h: Harness; proxy: TcpProxy; stop(): Promise<void> }> {
  const target = await createTestDatabase();
  const direct = new URL(target.env.DATABASE_URL!);
  const proxy = await TcpProxy.start(direct.hostname, Number(direct.port || 5432));
  const proxied = new URL(direct);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  const h = await Harness.start({ env: { DATABASE_URL: proxied.toString() } });
  return {
    h,
    proxy,
    stop: async () => {
      proxy.restore();
      await h.stop();
      await proxy.stop();
      await target.drop();
    },
  };
}
