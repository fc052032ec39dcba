// A TCP pass-through between Tally and PostgreSQL that a test can cut and restore, to play a
// database outage (network partition, server restart) without touching the server itself.
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { Harness } from './harness.js';
import { createTestDatabase } from './test-database.js';

export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private refusing = false;

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
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
  }

  /** Accepts and forwards connections again. */
  restore(): void {
    this.refusing = false;
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
    const upstream = connect(targetPort, targetHost);
    for (const [socket, other] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.sockets.add(socket);
      socket.on('error', () => other.destroy());
      socket.on('close', () => {
        this.sockets.delete(socket);
        other.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
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
