// FakeSlack serves a person's uploaded file (file_input) as Slack does: the bytes to a bot
// token of the file's workspace, the sign-in page to anyone else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../../slack-standin/fake-slack.js';

let slack: FakeSlack;

beforeAll(async () => {
  slack = await FakeSlack.start();
  slack.addToken('xoxb-acme', { team_id: 'T0ACME', bot_user_id: 'U0BOT' });
  slack.addToken('xoxb-other', { team_id: 'T0OTHER', bot_user_id: 'U0BOT2' });
});
afterAll(() => slack.stop());

describe('FakeSlack.addUserFile', () => {
  it('describes the file as a file_input state does', () => {
    const file = slack.addUserFile({ team_id: 'T0ACME', user: 'U0MAX', filename: 'sales.csv', content: 'a,b\n' });
    expect(file).toMatchObject({
      name: 'sales.csv',
      title: 'sales.csv',
      filetype: 'csv',
      mimetype: 'text/csv',
      size: 4,
      user: 'U0MAX',
      user_team: 'T0ACME',
    });
    expect(file.id).toMatch(/^F[0-9A-F]{10}$/);
    expect(file.url_private_download).toMatch(new RegExp(`^${slack.baseUrl}/files-pri/T0ACME-${file.id}/download/sales.csv$`));
  });

  it.each([
    ['the workspace bot token', 'xoxb-acme', 'text/csv', 'date,rep\n'],
    ['no token', undefined, 'text/html', 'Sign in'],
    ["another workspace's token", 'xoxb-other', 'text/html', 'Sign in'],
  ])('answers %s', async (_who, token, type, body) => {
    const file = slack.addUserFile({ team_id: 'T0ACME', user: 'U0MAX', filename: 'sales.csv', content: 'date,rep\n' });
    for (const url of [file.url_private, file.url_private_download]) {
      const response = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain(type);
      expect(await response.text()).toContain(body);
    }
  });
});
