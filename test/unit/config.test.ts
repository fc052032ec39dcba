// loadConfig(env): the run contract of docs/rules.md#running. Defaults for what is unset; one ConfigError
// naming every bad variable, and never the value it was given.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const MINIMAL = { SLACK_SIGNING_SECRET: 'signing-secret-1234', SLACK_BOT_TOKEN: 'xoxb-1-2-abc' } as const;
const OAUTH = { SLACK_CLIENT_ID: '111.222', SLACK_CLIENT_SECRET: 'client-secret-abc', SLACK_STATE_SECRET: 'state-secret-abc' } as const;

/** The ConfigError loadConfig throws for this env (fails the test when it does not throw one). */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('loadConfig accepted the environment');
}

/** The variables a ConfigError names, one per `  - NAME: how to fix it` line. */
function namedVariables(error: ConfigError): string[] {
  return [...error.message.matchAll(/^ {2}- ([A-Z_]+): \S/gm)].map((match) => match[1]!).sort();
}

describe('loadConfig with a minimal valid environment', () => {
  it('applies the defaults of docs/rules.md#running', () => {
    const config = loadConfig({ ...MINIMAL });
    expect(config).toEqual({
      slack: {
        signingSecret: MINIMAL.SLACK_SIGNING_SECRET,
        botToken: MINIMAL.SLACK_BOT_TOKEN,
        appToken: undefined,
        oauth: undefined,
        apiUrl: 'https://slack.com/api/',
      },
      databaseUrl: undefined,
      dataDir: './data',
      port: 3000,
      adminUserIds: new Set(),
      defaults: { timezone: 'UTC', currency: 'USD' },
      logLevel: 'info',
    });
  });

  it('reads every variable that is set', () => {
    const config = loadConfig({
      ...MINIMAL,
      SLACK_API_URL: 'http://127.0.0.1:4000/api',
      DATABASE_URL: 'postgresql://tally@db:5432/tally',
      DATA_DIR: '/var/lib/tally',
      PORT: '8080',
      ADMIN_USER_IDS: 'U012ABC, W034DEF ,',
      DEFAULT_TIMEZONE: 'America/New_York',
      DEFAULT_CURRENCY: 'EUR',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      slack: { apiUrl: 'http://127.0.0.1:4000/api/' },
      databaseUrl: 'postgresql://tally@db:5432/tally',
      dataDir: '/var/lib/tally',
      port: 8080,
      defaults: { timezone: 'America/New_York', currency: 'EUR' },
      logLevel: 'debug',
    });
    expect(config.adminUserIds).toEqual(new Set(['U012ABC', 'W034DEF']));
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig({ ...MINIMAL, SLACK_APP_TOKEN: '', DATABASE_URL: '  ', SLACK_CLIENT_ID: '' });
    expect(config.slack.appToken).toBeUndefined();
    expect(config.databaseUrl).toBeUndefined();
    expect(config.slack.oauth).toBeUndefined();
  });
});

describe('loadConfig with one bad variable', () => {
  // [what is wrong, env overrides, the variables the message must name, a value it must not repeat]
  it.each<[string, Record<string, string | undefined>, string[], string]>([
    ['PORT is not a number', { PORT: 'abc' }, ['PORT'], 'abc'],
    ['PORT is out of range', { PORT: '70000' }, ['PORT'], '70000'],
    ['SLACK_BOT_TOKEN is a user token', { SLACK_BOT_TOKEN: 'xoxp-SECRETVALUE' }, ['SLACK_BOT_TOKEN'], 'SECRETVALUE'],
    ['SLACK_APP_TOKEN is not an xapp- token', { SLACK_APP_TOKEN: 'bad-APPSECRET' }, ['SLACK_APP_TOKEN'], 'APPSECRET'],
    ['DEFAULT_TIMEZONE is not an IANA zone', { DEFAULT_TIMEZONE: 'Mars/Base' }, ['DEFAULT_TIMEZONE'], 'Mars'],
    ['DEFAULT_CURRENCY is not ISO 4217', { DEFAULT_CURRENCY: 'XYZ' }, ['DEFAULT_CURRENCY'], 'XYZ'],
    ['LOG_LEVEL is not a level', { LOG_LEVEL: 'loud' }, ['LOG_LEVEL'], 'loud'],
    ['DATABASE_URL is not PostgreSQL', { DATABASE_URL: 'mysql://tally:DBPASSWORD@db/tally' }, ['DATABASE_URL'], 'DBPASSWORD'],
    ['ADMIN_USER_IDS holds a name', { ADMIN_USER_IDS: 'U1, bob' }, ['ADMIN_USER_IDS'], 'bob'],
    ['SLACK_API_URL is not a URL', { SLACK_API_URL: 'not a url' }, ['SLACK_API_URL'], 'not a url'],
    [
      'only SLACK_CLIENT_ID of the OAuth variables is set',
      { SLACK_CLIENT_ID: '999.CLIENTID' },
      ['SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'],
      'CLIENTID',
    ],
    [
      'only SLACK_CLIENT_SECRET of the OAuth variables is set',
      { SLACK_CLIENT_SECRET: 'CLIENTSECRET' },
      ['SLACK_CLIENT_ID', 'SLACK_STATE_SECRET'],
      'CLIENTSECRET',
    ],
    [
      'SLACK_SIGNING_SECRET is missing in HTTP mode',
      { SLACK_SIGNING_SECRET: undefined },
      ['SLACK_SIGNING_SECRET'],
      MINIMAL.SLACK_BOT_TOKEN,
    ],
    ['SLACK_BOT_TOKEN is missing without OAuth', { SLACK_BOT_TOKEN: undefined }, ['SLACK_BOT_TOKEN'], MINIMAL.SLACK_SIGNING_SECRET],
  ])('throws a ConfigError when %s, naming it and not its value', (_case, overrides, names, secret) => {
    const error = configError({ ...MINIMAL, ...overrides });
    expect(namedVariables(error)).toEqual(names);
    expect(error.message).not.toContain(secret);
  });

  it('never repeats the values of the other, valid variables either', () => {
    const error = configError({ ...MINIMAL, PORT: 'abc' });
    expect(error.message).not.toContain(MINIMAL.SLACK_SIGNING_SECRET);
    expect(error.message).not.toContain(MINIMAL.SLACK_BOT_TOKEN);
  });
});

describe('loadConfig with several bad variables', () => {
  it('names them all in one message, each with how to fix it', () => {
    const error = configError({
      SLACK_SIGNING_SECRET: 'topsecret123',
      PORT: 'abc',
      LOG_LEVEL: 'loud',
      DEFAULT_CURRENCY: 'XYZ',
    });
    expect(namedVariables(error)).toEqual(['DEFAULT_CURRENCY', 'LOG_LEVEL', 'PORT', 'SLACK_BOT_TOKEN']);
    expect(error.message).toMatch(/^Tally cannot start: fix these environment variables\.\n/);
    expect(error.message).toContain('LOG_LEVEL: must be one of debug, info, warn, error');
    expect(error.message).not.toContain('topsecret123');
  });
});

describe('loadConfig modes', () => {
  it('needs no SLACK_SIGNING_SECRET in Socket Mode (SLACK_APP_TOKEN set)', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_APP_TOKEN: 'xapp-1-A0-xyz' });
    expect(config.slack).toMatchObject({ signingSecret: undefined, appToken: 'xapp-1-A0-xyz' });
  });

  it('makes SLACK_BOT_TOKEN optional when all three OAuth variables are set', () => {
    const config = loadConfig({ SLACK_SIGNING_SECRET: 'signing-secret-1234', ...OAUTH });
    expect(config.slack.botToken).toBeUndefined();
    expect(config.slack.oauth).toEqual({
      clientId: OAUTH.SLACK_CLIENT_ID,
      clientSecret: OAUTH.SLACK_CLIENT_SECRET,
      stateSecret: OAUTH.SLACK_STATE_SECRET,
    });
  });

  it('parses ADMIN_USER_IDS into a Set of trimmed ids', () => {
    const config = loadConfig({ ...MINIMAL, ADMIN_USER_IDS: ' U012ABC,U034DEF , U012ABC ' });
    expect(config.adminUserIds).toBeInstanceOf(Set);
    expect([...config.adminUserIds]).toEqual(['U012ABC', 'U034DEF']);
  });
});
