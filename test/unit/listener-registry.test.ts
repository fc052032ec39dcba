// The listener registry routes a request exactly as one Bolt listener per key did: each
// registered command, action, form, event and options request reaches its handler once,
// with the same arguments and context; a request nothing registered reaches no handler and
// is acknowledged exactly as before (events by Bolt itself, nothing else); errors reach
// app.error as before. Two Bolt apps get the same requests: one with a listener per key (the
// old wiring), one with the registry's dispatchers, both over Tally's real set of keys.
import { App, type Receiver } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import type { ListenerDeps } from '../../src/slack/deps.js';
import { ACTIONS, COMMANDS, SETTINGS_FIELDS, VIEWS } from '../../src/slack/ids.js';
import { listenerRegistry } from '../../src/slack/listeners/index.js';
import {
  type ActionId,
  type CommandName,
  ListenerRegistry,
  type RegisteredKeys,
  type ViewCallbackId,
} from '../../src/slack/listeners/registry.js';

const TEAM = { id: 'T0ACME', domain: 'acme' };
const USER = { id: 'U0REP1', team_id: TEAM.id };
/** Throws in both apps, to show a handler's failure reaches app.error the same way. */
const FAILING_COMMAND = COMMANDS.tally;

interface Outcome {
  /** Each handler call: its key, and the names of the arguments and context it was given. */
  calls: Array<{ key: string; args: string[]; context: string[]; actionIdMatches?: string[] }>;
  acks: number;
  errors: string[];
}

const noReceiver: Receiver = { init: () => {}, start: async () => undefined, stop: async () => undefined };

function newApp(errors: string[]): App {
  const app = new App({
    receiver: noReceiver,
    authorize: async () => ({ botToken: 'xoxb-test', botUserId: 'U0TALLYBOT', botId: 'B0TALLY' }),
  });
  app.error(async (error) => {
    errors.push(error.message);
  });
  return app;
}

/** A handler that records its call and answers as a handler of its kind would. */
function counting(calls: Outcome['calls'], key: string, failing = false) {
  return async (args: { ack?: () => Promise<void>; context: Record<string, unknown>; event?: unknown }) => {
    const matches = args.context.actionIdMatches as string[] | undefined;
    calls.push({
      key,
      args: Object.keys(args).sort(),
      context: Object.keys(args.context).sort(),
      ...(matches ? { actionIdMatches: [...matches] } : {}),
    });
    if (!args.event) await args.ack?.();
    if (failing) throw new Error(`${key} failed`);
  };
}

/** The old wiring: one Bolt listener per key. */
function perKeyApp(keys: RegisteredKeys, outcome: Outcome): App {
  const app = newApp(outcome.errors);
  const h = (kind: string, key: string) => counting(outcome.calls, `${kind} ${key}`, key === FAILING_COMMAND) as never;
  for (const name of keys.commands) app.command(name, h('command', name));
  for (const id of keys.actions) app.action(id, h('action', id));
  for (const pattern of keys.actionPatterns) app.action(pattern, h('action', String(pattern)));
  for (const id of keys.viewSubmissions) app.view({ callback_id: id, type: 'view_submission' }, h('view', id));
  for (const type of keys.events) app.event(type, h('event', type));
  for (const { actionId, blockId } of keys.options)
    app.options({ type: 'block_suggestion', action_id: actionId, ...(blockId ? { block_id: blockId } : {}) }, h('options', actionId));
  return app;
}

/** The new wiring: the registry's dispatchers, over the same keys. */
function registryApp(keys: RegisteredKeys, outcome: Outcome): App {
  const app = newApp(outcome.errors);
  const registry = new ListenerRegistry();
  const h = (kind: string, key: string) => counting(outcome.calls, `${kind} ${key}`, key === FAILING_COMMAND) as never;
  for (const name of keys.commands) registry.command(name as CommandName, h('command', name));
  for (const id of keys.actions) registry.action(id as ActionId, h('action', id));
  for (const pattern of keys.actionPatterns) registry.action(pattern, h('action', String(pattern)));
  for (const id of keys.viewSubmissions) registry.viewSubmission(id as ViewCallbackId, h('view', id));
  for (const type of keys.events) registry.event(type, h('event', type));
  for (const { actionId, blockId } of keys.options)
    registry.options(blockId ? { actionId, blockId } : { actionId }, h('options', actionId));
  registry.attach(app);
  return app;
}

async function send(app: App, outcome: Outcome, body: Record<string, unknown>): Promise<Outcome> {
  const before = { calls: outcome.calls.length, errors: outcome.errors.length };
  let acks = 0;
  await app.processEvent({
    body,
    ack: async () => {
      acks++;
    },
  });
  return { calls: outcome.calls.slice(before.calls), acks, errors: outcome.errors.slice(before.errors) };
}

const command = (name: string) => ({
  command: name,
  text: '',
  team_id: TEAM.id,
  user_id: USER.id,
  channel_id: 'C0SALES',
  trigger_id: '1.2',
});
const blockActions = (actionId: string, type = 'block_actions') => ({
  type,
  team: TEAM,
  user: USER,
  trigger_id: '1.2',
  actions: [{ type: 'button', action_id: actionId, block_id: 'b', value: '1', action_ts: '1' }],
});
const viewPayload = (callbackId: string, type = 'view_submission') => ({
  type,
  team: TEAM,
  user: USER,
  view: { id: 'V0', callback_id: callbackId, state: { values: {} }, private_metadata: '' },
});
const event = (type: string, extra: Record<string, unknown> = {}) => ({
  type: 'event_callback',
  team_id: TEAM.id,
  event: { type, user: USER.id, channel: 'D0REP1', tab: 'home', event_ts: '1', ...extra },
  event_id: 'Ev0',
  event_time: 1,
});
const suggestion = (actionId: string, blockId: string) => ({
  type: 'block_suggestion',
  team: TEAM,
  user: USER,
  action_id: actionId,
  block_id: blockId,
  value: 'ac',
});

/** Every request kind Tally gets, for each key it registers, and the near misses of each. */
function requests(keys: RegisteredKeys): Array<[string, Record<string, unknown>]> {
  return [
    ...keys.commands.map((name): [string, Record<string, unknown>] => [`command ${name}`, command(name)]),
    ...keys.actions.map((id): [string, Record<string, unknown>] => [`action ${id}`, blockActions(id)]),
    ...keys.viewSubmissions.map((id): [string, Record<string, unknown>] => [`view ${id}`, viewPayload(id)]),
    ...keys.events.map((type): [string, Record<string, unknown>] => [`event ${type}`, event(type)]),
    ...keys.options.map(({ actionId, blockId }): [string, Record<string, unknown>] => [
      `options ${actionId}`,
      suggestion(actionId, blockId ?? 'any_block'),
    ]),
    ['unknown command', command('/nope')],
    ['unknown action', blockActions('nope')],
    ['a view callback id as an action', blockActions(VIEWS.logSale)],
    ['unknown view', viewPayload('nope')],
    ['a known view closed (no view_closed handler)', viewPayload(VIEWS.logSale, 'view_closed')],
    ['unknown event', event('reaction_added')],
    ['an event from Tally itself', event('app_home_opened', { user: 'U0TALLYBOT' })],
    ['unknown options action id', suggestion('nope', 'nope')],
    ['a known options action id in another block', suggestion(ACTIONS.targetSubjectChanged, 'target_rep')],
    ["a button's action id in an options request", suggestion(ACTIONS.undoSale, 'b')],
    ['a legacy interactive message naming a known action', blockActions(ACTIONS.undoSale, 'interactive_message')],
    [
      'a dialog suggestion naming a known options action id',
      { ...suggestion(SETTINGS_FIELDS.currency, SETTINGS_FIELDS.currency), type: 'dialog_suggestion', name: 'currency' },
    ],
  ];
}

async function compare(keys: RegisteredKeys) {
  const before: Outcome = { calls: [], acks: 0, errors: [] };
  const after: Outcome = { calls: [], acks: 0, errors: [] };
  const perKey = perKeyApp(keys, before);
  const dispatched = registryApp(keys, after);
  const results: Array<{ name: string; before: Outcome; after: Outcome }> = [];
  for (const [name, body] of requests(keys)) {
    results.push({
      name,
      before: await send(perKey, before, structuredClone(body)),
      after: await send(dispatched, after, structuredClone(body)),
    });
  }
  return results;
}

describe('listener registry', () => {
  const keys = listenerRegistry({} as ListenerDeps).keys();

  it("holds Tally's keys: 4 commands, 12 actions, 9 forms, 3 events, 4 options requests", () => {
    expect(keys).toEqual({
      commands: ['/logsale', '/target', '/leaderboard', '/tally'],
      actions: [
        'undo_sale',
        'confirm_sale',
        'cancel_sale',
        'target_subject_changed',
        'open_log_sale',
        'open_set_target',
        'open_settings',
        'open_add_team',
        'open_add_product',
        'open_digest_channel',
        'sale_menu',
        'commit_import',
      ],
      actionPatterns: [],
      viewSubmissions: [
        'log_sale',
        'set_target',
        'edit_sale',
        'void_sale',
        'settings',
        'import_file',
        'add_team',
        'add_product',
        'digest_channel',
      ],
      events: ['app_home_opened', 'app_uninstalled', 'tokens_revoked'],
      options: [
        { actionId: 'product', blockId: 'product' },
        { actionId: 'target_subject_changed', blockId: 'target_product' },
        { actionId: 'settings_timezone', blockId: undefined },
        { actionId: 'settings_currency', blockId: undefined },
      ],
    });
  });

  it('sends each request to the handler one listener per key sent it to, with the same arguments, acks and errors', async () => {
    const results = await compare(keys);
    for (const { name, before, after } of results) expect(after, name).toEqual(before);

    const handled = (name: string) => results.find((r) => r.name === name)!.after;
    // Each registered key reaches its own handler, once.
    for (const { name } of results.filter((r) => /^(command|action|view|event|options) /.test(r.name)))
      expect(
        handled(name).calls.map((c) => c.key),
        name,
      ).toEqual([name]);
    expect(handled(`command ${FAILING_COMMAND}`).errors).toEqual([`command ${FAILING_COMMAND} failed`]);
    // Events are acknowledged by Bolt before any listener; the others by their handler.
    expect(handled('event app_home_opened').acks).toBe(1);
    expect(handled('action undo_sale').acks).toBe(1);
    expect(handled('event app_home_opened').calls[0]!.context).not.toContain('matches');

    // What nothing registered reaches no handler and is not acknowledged (the receiver
    // answers it as unhandled), except an event, which Bolt acknowledges itself.
    const unhandled = (acks: number): Outcome => ({ calls: [], acks, errors: [] });
    expect(handled('unknown command')).toEqual(unhandled(0));
    expect(handled('unknown action')).toEqual(unhandled(0));
    expect(handled('a view callback id as an action')).toEqual(unhandled(0));
    expect(handled('unknown view')).toEqual(unhandled(0));
    expect(handled('a known view closed (no view_closed handler)')).toEqual(unhandled(0));
    expect(handled('unknown options action id')).toEqual(unhandled(0));
    expect(handled('a known options action id in another block')).toEqual(unhandled(0));
    expect(handled("a button's action id in an options request")).toEqual(unhandled(0));
    expect(handled('a dialog suggestion naming a known options action id')).toEqual(unhandled(0));
    expect(handled('unknown event')).toEqual(unhandled(1));
    expect(handled('an event from Tally itself')).toEqual(unhandled(1));
    // Bolt matched action ids on any action payload; so does the registry.
    expect(handled('a legacy interactive message naming a known action').calls.map((c) => c.key)).toEqual(['action undo_sale']);
  });

  it('matches action ids by pattern after the exact ids, with the match in the context as Bolt puts it', async () => {
    const withPattern: RegisteredKeys = {
      commands: [],
      actions: [ACTIONS.undoSale],
      actionPatterns: [/^pick_(\w+)$/],
      viewSubmissions: [],
      events: [],
      options: [],
    };
    const results = await compare(withPattern);
    for (const { name, before, after } of results) expect(after, name).toEqual(before);

    const before: Outcome = { calls: [], acks: 0, errors: [] };
    const after: Outcome = { calls: [], acks: 0, errors: [] };
    const picked = await send(registryApp(withPattern, after), after, blockActions('pick_red'));
    expect(picked).toEqual(await send(perKeyApp(withPattern, before), before, blockActions('pick_red')));
    expect(picked.calls).toEqual([expect.objectContaining({ key: 'action /^pick_(\\w+)$/', actionIdMatches: ['pick_red', 'red'] })]);
    expect(picked.acks).toBe(1);
    const exact = await send(registryApp(withPattern, after), after, blockActions(ACTIONS.undoSale));
    expect(exact.calls.map((c) => c.key)).toEqual(['action undo_sale']);
    expect(exact.calls[0]!.context).not.toContain('actionIdMatches');
  });

  it('refuses a key registered twice, and an action id that a pattern also matches', () => {
    const registry = new ListenerRegistry();
    const noop = async () => {};
    registry.command(COMMANDS.tally, noop);
    expect(() => registry.command(COMMANDS.tally, noop)).toThrow('command /tally is registered twice');
    registry.action(ACTIONS.openSettings, noop);
    expect(() => registry.action(/^open_/, noop)).toThrow('action pattern /^open_/ also matches open_settings');
    registry.action(/^pick_/, noop);
    expect(() => registry.action(/^pick_/, noop)).toThrow('action pattern /^pick_/ is registered twice');
    expect(() => registry.action('pick_red' as ActionId, noop)).toThrow('action pick_red is also matched by /^pick_/');
    registry.options({ actionId: 'product', blockId: 'product' }, noop);
    expect(() => registry.options({ actionId: 'product' }, noop)).toThrow('options product is registered twice');
  });
});
