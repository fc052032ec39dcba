// Every listener registers here by its key (command name, action_id, callback_id, event type,
// options action_id), and the app gets one Bolt listener per kind of request that looks the
// key up. Bolt runs each listener's matchers on every request, so one listener per key made
// every request pay for every command, form and button Tally has; a lookup does not grow.
// A request whose key nothing registered reaches no handler and is not acknowledged, as when
// no Bolt listener matched: Bolt acknowledges events itself, and the receiver answers the
// rest as unhandled after its timeout.
import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackOptionsMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import type { ACTIONS, COMMANDS, VIEWS } from '../ids.js';

type Handler<Args> = (args: Args & AllMiddlewareArgs) => Promise<void>;

export type CommandName = (typeof COMMANDS)[keyof typeof COMMANDS];
export type ActionId = (typeof ACTIONS)[keyof typeof ACTIONS];
export type ViewCallbackId = (typeof VIEWS)[keyof typeof VIEWS];

type CommandHandler = Handler<SlackCommandMiddlewareArgs>;
type ActionHandler = Handler<SlackActionMiddlewareArgs>;
type ViewSubmissionHandler = Handler<SlackViewMiddlewareArgs<ViewSubmitAction>>;
type EventHandler = Handler<SlackEventMiddlewareArgs>;
type OptionsHandler = Handler<SlackOptionsMiddlewareArgs<'block_suggestion'>>;

/** Every key registered, by kind, in the order registered. */
export interface RegisteredKeys {
  commands: string[];
  actions: string[];
  actionPatterns: RegExp[];
  viewSubmissions: string[];
  events: string[];
  options: Array<{ actionId: string; blockId: string | undefined }>;
}

export class ListenerRegistry {
  private readonly byCommand = new Map<string, CommandHandler>();
  private readonly byActionId = new Map<string, ActionHandler>();
  /** Action ids matched by a pattern, tried in order after the exact ids. */
  private readonly actionPatterns: Array<{ pattern: RegExp; handler: ActionHandler }> = [];
  private readonly byCallbackId = new Map<string, ViewSubmissionHandler>();
  private readonly byEventType = new Map<string, EventHandler>();
  /** External selects' options requests (block_suggestion) by action_id, and by block_id too when given. */
  private readonly optionsByActionId = new Map<string, { blockId: string | undefined; handler: OptionsHandler }>();

  /** A slash command, by its name (`/logsale`). */
  command(name: CommandName, handler: CommandHandler): void {
    add(this.byCommand, 'command', name, handler);
  }

  /**
   * A block action, by its action_id, or by a pattern that the action_id matches (its match
   * is in `context.actionIdMatches`, as Bolt puts it). `A` is the action the element sends.
   */
  action<A extends BlockAction>(actionId: ActionId | RegExp, handler: Handler<SlackActionMiddlewareArgs<A>>): void {
    // The dispatcher hands over whatever action came with the id; the element that sends it decides its type.
    const general = handler as unknown as ActionHandler;
    if (typeof actionId === 'string') {
      const pattern = this.actionPatterns.find((p) => actionId.match(p.pattern));
      if (pattern) throw new Error(`action ${actionId} is also matched by ${pattern.pattern}`);
      add(this.byActionId, 'action', actionId, general);
      return;
    }
    const shadowed = [...this.byActionId.keys()].find((id) => id.match(actionId));
    if (shadowed) throw new Error(`action pattern ${actionId} also matches ${shadowed}`);
    if (this.actionPatterns.some((p) => String(p.pattern) === String(actionId)))
      throw new Error(`action pattern ${actionId} is registered twice`);
    this.actionPatterns.push({ pattern: actionId, handler: general });
  }

  /** A modal's submission (view_submission), by the view's callback_id. */
  viewSubmission(callbackId: ViewCallbackId, handler: ViewSubmissionHandler): void {
    add(this.byCallbackId, 'view submission', callbackId, handler);
  }

  /** An Events API event, by its type. */
  event<T extends string>(type: T, handler: Handler<SlackEventMiddlewareArgs<T>>): void {
    add(this.byEventType, 'event', type, handler as unknown as EventHandler);
  }

  /** The options of an external select (block_suggestion), by its action_id and, when given, its block_id. */
  options(key: { actionId: string; blockId?: string }, handler: OptionsHandler): void {
    add(this.optionsByActionId, 'options', key.actionId, { blockId: key.blockId, handler });
  }

  keys(): RegisteredKeys {
    return {
      commands: [...this.byCommand.keys()],
      actions: [...this.byActionId.keys()],
      actionPatterns: this.actionPatterns.map((p) => p.pattern),
      viewSubmissions: [...this.byCallbackId.keys()],
      events: [...this.byEventType.keys()],
      options: [...this.optionsByActionId].map(([actionId, { blockId }]) => ({ actionId, blockId })),
    };
  }

  /**
   * Adds one Bolt listener for each kind that has a handler. Each passes Bolt's arguments on
   * unchanged, so a handler sees what it saw as a listener of its own, and what it throws
   * goes to app.error as before.
   */
  attach(app: App): void {
    if (this.byCommand.size > 0)
      app.command(/^/, async (args) => {
        await this.byCommand.get(args.command.command)?.(args);
      });

    if (this.byActionId.size > 0 || this.actionPatterns.length > 0)
      app.action({}, async (args) => {
        // Bolt's action listeners match on the payload's action_id whatever the request's type.
        const actionId = (args.payload as { action_id?: unknown }).action_id;
        if (typeof actionId !== 'string') return;
        const exact = this.byActionId.get(actionId);
        if (exact) return exact(args);
        for (const { pattern, handler } of this.actionPatterns) {
          const found = actionId.match(pattern);
          if (found) {
            args.context.actionIdMatches = found;
            return handler(args);
          }
        }
      });

    if (this.byCallbackId.size > 0)
      app.view({}, async (args) => {
        if (args.body.type !== 'view_submission') return;
        await this.byCallbackId.get(args.view.callback_id)?.(args as Parameters<ViewSubmissionHandler>[0]);
      });

    if (this.byEventType.size > 0)
      app.event(/^/, async (args) => {
        // The pattern that lets every event in leaves its match in the context; no handler reads it.
        delete args.context.matches;
        await this.byEventType.get(args.event.type)?.(args);
      });

    if (this.optionsByActionId.size > 0)
      app.options({}, async (args) => {
        const { body } = args;
        if (body.type !== 'block_suggestion') return;
        const entry = this.optionsByActionId.get(body.action_id);
        if (!entry || (entry.blockId !== undefined && entry.blockId !== body.block_id)) return;
        await entry.handler(args as Parameters<OptionsHandler>[0]);
      });
  }
}

function add<T>(map: Map<string, T>, kind: string, key: string, value: T): void {
  // Bolt ran every listener that matched; here a key has one handler.
  if (map.has(key)) throw new Error(`${kind} ${key} is registered twice`);
  map.set(key, value);
}
