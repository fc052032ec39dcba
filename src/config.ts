// The environment, parsed once at start-up (docs/rules.md#running). A bad value stops the process with one
// message naming every bad variable and how to fix it; values are never printed.
import { z } from 'zod';
import { isTimeZone } from './domain/timezone.js';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const timezone = z.string().trim().refine(isTimeZone, 'must be an IANA time zone such as UTC or America/New_York');

const currency = z
  .string()
  .trim()
  .refine((code) => Intl.supportedValuesOf('currency').includes(code), 'must be an ISO 4217 code such as USD or EUR');

const envSchema = z.object({
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_BOT_TOKEN: optionalText.refine(
    (token) => token === undefined || token.startsWith('xoxb-'),
    'must be a bot token starting with xoxb-',
  ),
  SLACK_APP_TOKEN: optionalText.refine(
    (token) => token === undefined || token.startsWith('xapp-'),
    'must be an app-level token starting with xapp-',
  ),
  SLACK_CLIENT_ID: optionalText,
  SLACK_CLIENT_SECRET: optionalText,
  SLACK_STATE_SECRET: optionalText,
  SLACK_API_URL: z.url({ message: 'must be a URL such as https://slack.com/api/' }).default('https://slack.com/api/'),
  DATABASE_URL: optionalText.refine(
    (url) => url === undefined || /^postgres(ql)?:\/\//.test(url),
    'must be a postgres:// connection string (or unset for the embedded database)',
  ),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  PORT: z.coerce.number({ message: 'must be a port number' }).int().min(0).max(65535).default(3000),
  ADMIN_USER_IDS: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .refine((ids) => ids.every((id) => /^[UW][A-Z0-9]+$/.test(id)), 'must be comma-separated Slack user ids such as U012ABC,U034DEF'),
  DEFAULT_TIMEZONE: timezone.default('UTC'),
  DEFAULT_CURRENCY: currency.default('USD'),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
});

/**
 * Rules between variables, checked on the raw values so they are reported together with
 * every other bad variable (a zod refinement would only run once the rest had passed).
 */
function crossFieldProblems(env: Record<string, string | undefined>): Array<[string, string]> {
  const set = (key: string) => Boolean(env[key]?.trim());
  const problems: Array<[string, string]> = [];
  const oauthKeys = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'];
  const oauthConfigured = oauthKeys.every(set);
  if (oauthKeys.some(set) && !oauthConfigured) {
    for (const key of oauthKeys.filter((k) => !set(k))) problems.push([key, 'is required when any of the OAuth variables is set']);
  }
  if (!set('SLACK_BOT_TOKEN') && !oauthConfigured)
    problems.push(['SLACK_BOT_TOKEN', 'is required (an xoxb- token) unless OAuth is configured']);
  if (!set('SLACK_APP_TOKEN') && !set('SLACK_SIGNING_SECRET')) {
    problems.push(['SLACK_SIGNING_SECRET', 'is required in HTTP mode (Basic Information > Signing Secret)']);
  }
  return problems;
}

export type Env = z.infer<typeof envSchema>;

export interface Config {
  slack: {
    signingSecret: string | undefined;
    botToken: string | undefined;
    appToken: string | undefined;
    oauth: { clientId: string; clientSecret: string; stateSecret: string } | undefined;
    apiUrl: string;
  };
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  adminUserIds: ReadonlySet<string>;
  defaults: { timezone: string; currency: string };
  logLevel: (typeof LOG_LEVELS)[number];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment once. Throws a ConfigError naming every bad variable, never a value. */
export function loadConfig(rawEnv: Record<string, string | undefined>): Config {
  // An empty variable (PORT=) means "not set": its default applies.
  const env = Object.fromEntries(Object.entries(rawEnv).map(([key, value]) => [key, value?.trim() === '' ? undefined : value]));
  const parsed = envSchema.safeParse(env);
  const problems: Array<[string, string]> = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue): [string, string] => [issue.path.join('.') || 'environment', issue.message])),
    ...crossFieldProblems(env),
  ];
  if (!parsed.success || problems.length > 0) {
    const lines = problems.sort(([a], [b]) => a.localeCompare(b)).map(([key, message]) => `  - ${key}: ${message}`);
    throw new ConfigError(`Tally cannot start: fix these environment variables.\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    slack: {
      signingSecret: e.SLACK_SIGNING_SECRET,
      botToken: e.SLACK_BOT_TOKEN,
      appToken: e.SLACK_APP_TOKEN,
      oauth:
        e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && e.SLACK_STATE_SECRET
          ? { clientId: e.SLACK_CLIENT_ID, clientSecret: e.SLACK_CLIENT_SECRET, stateSecret: e.SLACK_STATE_SECRET }
          : undefined,
      apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
    },
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    port: e.PORT,
    adminUserIds: new Set(e.ADMIN_USER_IDS),
    defaults: { timezone: e.DEFAULT_TIMEZONE, currency: e.DEFAULT_CURRENCY },
    logLevel: e.LOG_LEVEL,
  };
}

/** For entry points: parse the environment, or print the one message and exit with code 1. */
export function loadConfigOrExit(env: Record<string, string | undefined>): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
