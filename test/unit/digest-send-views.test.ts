import { describe, expect, it } from 'vitest';
import { validateMessageBlocks } from '../../slack-standin/block-kit-limits.js';
import { digestSendMessage, messageLink } from '../../src/slack/views/notices.js';

describe('messageLink', () => {
  it.each([
    ['acme', 'C0SALES', '1796288885.883000', 'https://acme.slack.com/archives/C0SALES/p1796288885883000'],
    ['team-t0acme', 'C1', '1.000001', 'https://team-t0acme.slack.com/archives/C1/p1000001'],
    // No domain, or one that is not a Slack subdomain: the link Slack redirects from slack.com.
    [undefined, 'C1', '1.000001', 'https://slack.com/archives/C1/p1000001'],
    ['evil.example/x', 'C1', '1.000001', 'https://slack.com/archives/C1/p1000001'],
  ])('%s, %s, %s -> %s', (domain, channel, ts, link) => {
    expect(messageLink(domain, channel, ts)).toBe(link);
  });
});

describe('digestSendMessage', () => {
  const slot = new Date('2026-11-30T14:00:00Z');
  it.each([
    [{ kind: 'posting' as const }, ':outbox_tray: Posting the digest in this channel now. It appears in a moment.'],
    [
      { kind: 'in_progress' as const, slot },
      ':hourglass_flowing_sand: The digest for Mon 30 Nov 09:00 is being posted right now; it appears in a moment. Nothing more to do.',
    ],
    [
      { kind: 'already_posted' as const, slot, channelId: 'C0SALES', ts: '1796288885.883000' },
      ':white_check_mark: The digest for Mon 30 Nov 09:00 is already posted in <#C0SALES>: <https://acme.slack.com/archives/C0SALES/p1796288885883000|see it>. Each digest is posted once; the next one follows the schedule (`/tally digest`).',
    ],
  ])('%j', (answer, text) => {
    const message = digestSendMessage(answer, 'America/New_York', 'acme');
    expect(message.text).toBe(text);
    expect(validateMessageBlocks(message.blocks)).toEqual([]);
  });
});
