// manifest.yml is what Slack installs: every command in it must exist in the app and answer,
// every command the app registers must be in it, and every URL must reach POST /slack/events.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMANDS } from '../../src/slack/ids.js';
import { TRY_AGAIN } from '../../src/slack/listeners/handle.js';
import { Harness, replyText, users } from '../support/harness.js';
import { REPO_ROOT } from '../support/tally-process.js';

interface ManifestCommand {
  command: string;
  url: string;
  description: string;
  usage_hint?: string;
  should_escape?: boolean;
}

interface Manifest {
  features: { slash_commands: ManifestCommand[] };
  oauth_config: { redirect_urls?: string[] };
  settings: {
    interactivity: { is_enabled: boolean; request_url: string };
    event_subscriptions: { request_url: string };
    socket_mode_enabled?: boolean;
  };
}

const manifest = parse(readFileSync(`${REPO_ROOT}/manifest.yml`, 'utf8')) as Manifest;
const manifestCommands = manifest.features.slash_commands;
const EVENTS_PATH = '/slack/events';

describe('manifest.yml', () => {
  it('lists exactly the slash commands the app registers (src/slack/ids.ts COMMANDS)', () => {
    expect(manifestCommands.map((c) => c.command).sort()).toEqual(Object.values(COMMANDS).sort());
  });

  it.each(manifestCommands.map((c) => [c.command, c] as const))('sends %s to POST /slack/events', (_name, command) => {
    expect(new URL(command.url).pathname).toBe(EVENTS_PATH);
    expect(command.url.startsWith('https://')).toBe(true);
  });

  it('enables interactivity, with its request URL on POST /slack/events like the commands', () => {
    const { interactivity } = manifest.settings;
    expect(interactivity.is_enabled).toBe(true);
    expect(new URL(interactivity.request_url).pathname).toBe(EVENTS_PATH);
    expect(new Set(manifestCommands.map((c) => new URL(c.url).origin))).toEqual(new Set([new URL(interactivity.request_url).origin]));
  });

  it('names the OAuth redirect URL Tally serves (/slack/oauth_redirect), on the host of the commands', () => {
    const origin = new URL(manifest.settings.interactivity.request_url).origin;
    expect(manifest.oauth_config.redirect_urls).toEqual([`${origin}/slack/oauth_redirect`]);
  });

  it('is set up for HTTP (socket_mode_enabled: false), with events sent to POST /slack/events', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.settings.event_subscriptions.request_url).toBe(manifest.settings.interactivity.request_url);
  });

  it.each(manifestCommands.map((c) => [c.command, c] as const))(
    'has should_escape: true on %s, so mentions arrive as <@U…> for the parsers',
    (_name, command) => {
      expect(command.should_escape).toBe(true);
    },
  );
});

describe('every command in manifest.yml, sent to the real app', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());
  beforeEach(() => h.slack.reset());

  // `<command> help` must get a non-empty reply in the ack body. /logsale with no text opens the
  // "Log a sale" modal instead: its ack is empty and its answer is a views.open call.
  const opensModalWithoutText = new Set<string>([COMMANDS.logsale]);

  it.each(manifestCommands.map((c) => [c.command] as const))('%s answers a signed request with 200', async (command) => {
    if (opensModalWithoutText.has(command)) {
      const reply = await h.command(users.rep, command, '');
      expect(reply.status).toBe(200);
      const call = await h.slack.waitForCall('views.open');
      expect(call.error).toBeUndefined();
    } else {
      const reply = await h.command(users.rep, command, 'help');
      expect(reply.status).toBe(200);
      expect(reply.json).toMatchObject({ response_type: 'ephemeral' });
      expect(replyText(reply.json).trim()).not.toBe('');
      expect(replyText(reply.json)).not.toContain(TRY_AGAIN);
    }
  });
});
