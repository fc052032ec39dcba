// The Slack the benchmark's apps talk to, in a child process of its own so that its work
// does not share an event loop with the load generator: slack-standin's FakeSlack (1 post a
// second per channel), behind a small proxy that adds Slack's workspace-wide limit on
// chat.postMessage (a burst, then a steady rate; beyond it 429 with Retry-After).
//
// Run by bench/slack.ts through fork(); it answers messages on the IPC channel.
import { createServer, request as httpRequest, Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeSlack } from '../slack-standin/fake-slack.js';
import { BOT_TOKEN, BOT_USER, DIGEST, GENERAL_CHANNEL, LOAD, SCALE, TEAM, digestChannel, repId, teamChannel } from './config.js';

export type SlackServerRequest =
  | { id: number; type: 'limit'; burst: number; perSecond: number }
  | { id: number; type: 'load'; on: boolean }
  | { id: number; type: 'reset' }
  | { id: number; type: 'digestStats' };

export interface DigestStats {
  channels: number;
  channelsWithOnePost: number;
  channelsWithMorePosts: number;
  channelsWithoutPost: number;
  postsMade: number;
  /** 429 answers: from the workspace limit (proxy) and the per-channel limit (fake). */
  workspace429: number;
  channel429: number;
  firstPostAt: number | null;
  lastPostAt: number | null;
}

class WorkspaceLimit {
  private tokens = 0;
  private last = Date.now();
  rejected = 0;
  constructor(
    readonly burst: number,
    readonly perSecond: number,
  ) {
    this.tokens = burst;
  }

  /** Seconds to wait (Slack's integer Retry-After), or 0 when the post may go. */
  take(): number {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    this.rejected++;
    return Math.max(1, Math.ceil((1 - this.tokens) / this.perSecond));
  }
}

async function main(): Promise<void> {
  const fake = await FakeSlack.start({ postRateLimitPerChannelPerSecond: DIGEST.perChannelPerSecond, strictTriggers: false });
  fake.addToken(BOT_TOKEN, { team_id: TEAM, bot_user_id: BOT_USER });
  const reps = Array.from({ length: SCALE.reps }, (_, i) => repId(i));
  for (const id of reps) fake.addUser({ id, team_id: TEAM, name: id.toLowerCase(), tz: 'America/New_York' });
  fake.addChannel({ id: GENERAL_CHANNEL, name: 'general', team_id: TEAM, members: [BOT_USER, ...reps.slice(0, LOAD.reps)] });
  for (let i = 0; i < SCALE.teams; i++) fake.addChannel({ id: teamChannel(i), name: `team-${i}`, team_id: TEAM, members: [BOT_USER] });
  for (let i = 0; i < DIGEST.channels; i++)
    fake.addChannel({ id: digestChannel(i), name: `digest-${i}`, team_id: TEAM, members: [BOT_USER] });

  let limit: WorkspaceLimit | undefined;
  let load = false;
  // Under load the fake's record of every call (kept for tests) would grow without end: forget it.
  setInterval(() => load && fake.reset(), 1000).unref();

  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL(fake.baseUrl);
  const proxy = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (limit && req.url?.startsWith('/api/chat.postMessage')) {
      const wait = limit.take();
      if (wait > 0) {
        req.resume();
        res.writeHead(429, { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(wait) });
        res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
    }
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  proxy.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/api/`;

  process.on('message', (message: SlackServerRequest) => {
    const reply = (body: unknown) => process.send?.({ id: message.id, body });
    switch (message.type) {
      case 'limit':
        limit = new WorkspaceLimit(message.burst, message.perSecond);
        return reply({ ok: true });
      case 'load':
        load = message.on;
        fake.reset();
        return reply({ ok: true });
      case 'reset':
        fake.reset();
        return reply({ ok: true });
      case 'digestStats': {
        const posts = fake.callsTo('chat.postMessage');
        const made = posts.filter((c) => c.status === 200 && !c.error && String(c.args.channel).startsWith('CDIGEST'));
        const counts = Array.from({ length: DIGEST.channels }, (_, i) => fake.messages(digestChannel(i)).length);
        const stats: DigestStats = {
          channels: DIGEST.channels,
          channelsWithOnePost: counts.filter((n) => n === 1).length,
          channelsWithMorePosts: counts.filter((n) => n > 1).length,
          channelsWithoutPost: counts.filter((n) => n === 0).length,
          postsMade: made.length,
          workspace429: limit?.rejected ?? 0,
          channel429: posts.filter((c) => c.status === 429).length,
          firstPostAt: made[0]?.at.getTime() ?? null,
          lastPostAt: made.at(-1)?.at.getTime() ?? null,
        };
        return reply(stats);
      }
    }
  });
  process.send?.({ ready: true, url: fake.url, proxyUrl, baseUrl: fake.baseUrl });
  process.on('disconnect', () => process.exit(0));
}

await main();
