// Sales from other systems: sources that admins connect from Slack (a signed generic webhook,
// or Pipedrive), and the deliveries they send. A delivery goes through the same rules as
// /logsale (logSale, checkSale) and is keyed by the source and the deal, so a retried,
// doubled or reordered delivery never doubles or resurrects a sale. Slack-free: what must be
// said in Slack afterwards comes back as notices for the caller.
import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Config } from '../config.js';
import type { Database, Sale, Source, SourceDeal, SourceDelivery, SourceKind, Workspace } from '../db/schema.js';
import { parseBasicAuth, sameCredentials, verifyTallySignature, type BasicCredentials } from '../domain/webhook-auth.js';
import { readGenericDelivery, readPipedriveDelivery, type DealChange, type WonDeal } from '../domain/webhook-deals.js';
import { localDate } from '../domain/periods.js';
import { UserError, isUserError } from '../errors.js';
import { deriveSealingKey, seal, unseal } from '../sealing.js';
import { insertAudit } from '../store/audit.js';
import { findSale, findSaleForUpdate, updateSale, type MilestonesSeen } from '../store/sales.js';
import {
  claimOwnerNotice,
  deleteSource,
  findSourceById,
  findSourceByName,
  insertDelivery,
  insertSource,
  listSources,
  lockSourceDeal,
  mapOwner,
  ownerUser,
  recentDeliveries,
  updateSourceDeal,
  updateSourceSecret,
  waitingDealsOfOwner,
} from '../store/sources.js';
import type { SlackDirectory } from './slack-directory.js';
import { requireAdmin, type Actor } from './actor.js';
import type { ServiceDeps } from './deps.js';
import { assertOpenPeriod, checkSale, isSaleQuestion, logSale } from './sales.js';
import type { TargetProgress } from './targets.js';
import { withCurrentWorkspace } from './workspaces.js';

/** The Slack Web API client the sale rules take (to check people); passed through, never called here. */
export type SlackClient = SlackDirectory;

export const MAX_DELIVERY_BYTES = 1024 * 1024;
export const DELIVERY_LOG_SIZE = 20;

const NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export type SourceSecret = { kind: 'webhook'; secret: string } | { kind: 'pipedrive'; user: string; password: string };

/** The key that seals source secrets, derived from the app's own Slack secret. */
export function sourceSealingKey(config: Config): Buffer {
  const appSecret = config.slack.oauth?.clientSecret ?? config.slack.signingSecret ?? config.slack.botToken ?? config.slack.appToken ?? '';
  return deriveSealingKey(appSecret, 'sources');
}

function newSecret(kind: SourceKind, name: string): SourceSecret {
  const random = () => randomBytes(24).toString('base64url');
  return kind === 'webhook' ? { kind, secret: `whsec_${random()}` } : { kind, user: `tally-${name}`, password: random() };
}

function sourceName(name: string): string {
  const normalized = name.trim().toLowerCase();
  if (!NAME.test(normalized))
    throw new UserError(
      `\`${name}\` can't name a source: use up to 40 letters, digits, \`-\` or \`_\`, like \`hubspot\` or \`pipedrive-eu\`.`,
    );
  return normalized;
}

export interface ConnectRequest {
  name: string;
}

export async function connectSource(
  deps: ServiceDeps,
  actor: Actor,
  request: ConnectRequest & { kind: SourceKind },
): Promise<{ source: Source; secret: SourceSecret }> {
  const { teamId, userId: actorId } = actor;
  await requireAdmin(actor, 'connect sources');
  const name = sourceName(request.name);
  const secret = newSecret(request.kind, name);
  const now = deps.clock.now();
  // The workspace exists before a source points at it.
  await actor.workspace();
  const source = await deps.db.transaction().execute(async (trx) => {
    const inserted = await insertSource(trx, {
      id: `src_${randomBytes(12).toString('hex')}`,
      team_id: teamId,
      kind: request.kind,
      name,
      secret_sealed: seal(sourceSealingKey(deps.config), JSON.stringify(secret)),
      created_by: actorId,
      created_at: now,
      rotated_at: null,
    });
    if (!inserted)
      throw new UserError(
        `There is already a source called \`${name}\`. Pick another name, or \`/tally connect rotate ${name}\` for new credentials.`,
      );
    await insertAudit(trx, {
      teamId,
      actorId,
      action: 'source.connected',
      entityType: 'source',
      entityId: inserted.id,
      after: { name, kind: request.kind },
      at: now,
    });
    return inserted;
  });
  return { source, secret };
}

async function requireSource(deps: ServiceDeps, actor: Actor, request: ConnectRequest, doing: string, kind?: SourceKind): Promise<Source> {
  await requireAdmin(actor, doing);
  const source = await findSourceByName(deps.db, actor.teamId, request.name.trim().toLowerCase(), kind);
  if (!source)
    throw new UserError(
      `There is no ${kind === 'pipedrive' ? 'Pipedrive ' : ''}source called \`${request.name}\`. \`/tally connect\` lists them.`,
    );
  return source;
}

export async function sourcesOf(deps: ServiceDeps, actor: Actor) {
  await requireAdmin(actor, 'see connected sources');
  return listSources(deps.db, actor.teamId);
}

/** New credentials for a source; the old ones stop working at once. */
export async function rotateSource(
  deps: ServiceDeps,
  actor: Actor,
  request: ConnectRequest,
): Promise<{ source: Source; secret: SourceSecret }> {
  const source = await requireSource(deps, actor, request, 'rotate source credentials');
  const secret = newSecret(source.kind, source.name);
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await updateSourceSecret(trx, actor.teamId, source.id, seal(sourceSealingKey(deps.config), JSON.stringify(secret)), now);
    await insertAudit(trx, {
      teamId: actor.teamId,
      actorId: actor.userId,
      action: 'source.rotated',
      entityType: 'source',
      entityId: source.id,
      after: { name: source.name },
      at: now,
    });
  });
  return { source, secret };
}

/** Disconnects a source: its URL stops answering; the sales it made stay. */
export async function removeSource(deps: ServiceDeps, actor: Actor, request: ConnectRequest): Promise<Source> {
  const source = await requireSource(deps, actor, request, 'remove sources');
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await deleteSource(trx, actor.teamId, source.id);
    await insertAudit(trx, {
      teamId: actor.teamId,
      actorId: actor.userId,
      action: 'source.removed',
      entityType: 'source',
      entityId: source.id,
      before: { name: source.name, kind: source.kind },
      at: now,
    });
  });
  return source;
}

export async function sourceLog(
  deps: ServiceDeps,
  actor: Actor,
  request: ConnectRequest,
): Promise<{ source: Source; deliveries: SourceDelivery[] }> {
  const source = await requireSource(deps, actor, request, 'read source logs');
  return { source, deliveries: await recentDeliveries(deps.db, source.id, DELIVERY_LOG_SIZE) };
}

/** What the Slack side says after a delivery: confirmations, celebrations, a DM to map an owner. */
export type SourceNotice =
  | {
      kind: 'sale';
      change: 'created' | 'edited' | 'voided';
      source: Source;
      workspace: Workspace;
      sale: Sale;
      productName: string | null;
      progress: readonly TargetProgress[];
      /** What the statement that stored the sale saw of the rep's milestones; null: read them again. */
      milestones: MilestonesSeen | null;
    }
  | { kind: 'unmapped owner'; source: Source; ownerId: string; dealId: string };

export interface DeliveryAnswer {
  status: number;
  body: Record<string, unknown>;
  notices: SourceNotice[];
  teamId?: string;
}

export interface SourceDeps extends ServiceDeps {
  /** The Web API client of a workspace, or undefined without an installation. */
  clientFor(teamId: string): Promise<SlackClient | undefined>;
  /** The Slack user with this email in the workspace (cached), or null. */
  userByEmail(client: SlackClient, teamId: string, email: string): Promise<string | null>;
}

export interface Delivery {
  sourceId: string;
  signature: string | undefined;
  authorization: string | undefined;
  body: Buffer;
}

/** A refusal that stores nothing: answered with `status`, written to the source's log. */
class Refused extends Error {
  constructor(
    readonly status: number,
    readonly outcome: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Receives one delivery: authenticates it, reads it, applies it once, and logs what came of it. */
export async function receiveDelivery(deps: SourceDeps, delivery: Delivery): Promise<DeliveryAnswer> {
  const source = /^src_[0-9a-f]{24}$/.test(delivery.sourceId) ? await findSourceById(deps.db, delivery.sourceId) : undefined;
  if (!source)
    return {
      status: 404,
      body: { ok: false, error: 'There is no source at this URL: it was removed, or the URL is mistyped.' },
      notices: [],
    };
  const receivedAt = deps.clock.now();
  let dealId: string | null = null;
  const log = (status: number, outcome: string, reason: string | null, saleId: bigint | null = null) =>
    insertDelivery(deps.db, {
      source_id: source.id,
      team_id: source.team_id,
      received_at: receivedAt,
      deal_id: dealId,
      status,
      outcome,
      sale_id: saleId,
      reason,
    });
  try {
    const signedAt = authenticate(deps, source, delivery, receivedAt);
    const json = readJson(delivery.body);
    const client = await deps.clientFor(source.team_id);
    if (!client) throw new Refused(503, 'failed', 'Tally is not installed in this workspace any more.');
    const applied = await withRules(deps, source.team_id, async (workspace) => {
      const context = {
        workspaceCurrency: workspace.currency,
        timezone: workspace.timezone,
        today: localDate(receivedAt, workspace.timezone),
      };
      const reading = source.kind === 'webhook' ? readGenericDelivery(json, context) : readPipedriveDelivery(json, context);
      if (!reading.ok) throw new Refused(422, 'rejected', reading.error, reading.field);
      if ('ignored' in reading) return { outcome: 'ignored', reason: reading.ignored, sale: null, notices: [] };
      dealId = reading.change.dealId;
      const at = reading.change.at ?? signedAt ?? receivedAt;
      const repId = reading.change.won ? await resolveRep(deps, client, source, reading.change.won) : null;
      return applyChange(deps, client, workspace, source, reading.change, at, repId);
    });
    // A delivery that changed a sale says so in its notices.
    if (applied.notices.length > 0) deps.caches.leaderboards.forget(source.team_id);
    const status = applied.outcome === 'waiting' || applied.outcome === 'refused' ? 202 : 200;
    await log(status, applied.outcome, applied.reason, applied.sale?.id ?? null);
    const body = {
      ok: status === 200,
      outcome: applied.outcome,
      ...(dealId ? { deal_id: dealId } : {}),
      ...(applied.sale ? { sale_id: String(applied.sale.id) } : {}),
      ...(applied.reason ? { reason: applied.reason } : {}),
    };
    return { status, body, notices: applied.notices, teamId: source.team_id };
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    await log(error.status, error.outcome, error.message);
    const body =
      error.status === 202
        ? { ok: false, outcome: error.outcome, ...(dealId ? { deal_id: dealId } : {}), reason: error.message }
        : { ok: false, error: error.message, ...(error.field ? { field: error.field } : {}) };
    return { status: error.status, body, notices: [], teamId: source.team_id };
  }
}

/** Checks the delivery's signature or credentials; returns the signed time of a signed one. */
function authenticate(deps: Pick<SourceDeps, 'config'>, source: Source, delivery: Delivery, now: Date): Date | null {
  let secret: SourceSecret;
  try {
    secret = JSON.parse(unseal(sourceSealingKey(deps.config), source.secret_sealed)) as SourceSecret;
  } catch {
    // Sealed under another key: the app's Slack secret changed since the source was connected.
    throw new Refused(
      401,
      'unauthorized',
      `The credentials of this source can't be read since the app's Slack secret changed: an admin runs /tally connect rotate ${source.name}.`,
    );
  }
  if (secret.kind === 'webhook') {
    const check = verifyTallySignature(delivery.signature, delivery.body, secret.secret, Math.floor(now.getTime() / 1000));
    if (!check.ok) throw new Refused(401, 'unauthorized', check.error);
    return new Date(check.timestamp * 1000);
  }
  const expected: BasicCredentials = { user: secret.user, password: secret.password };
  if (!sameCredentials(parseBasicAuth(delivery.authorization), expected))
    throw new Refused(
      401,
      'unauthorized',
      'The HTTP Basic credentials are missing or wrong: use the user and password `/tally connect` gave.',
    );
  return null;
}

function readJson(body: Buffer): unknown {
  if (body.length > MAX_DELIVERY_BYTES) throw new Refused(413, 'rejected', `The body is over ${MAX_DELIVERY_BYTES} bytes.`, 'body');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new Refused(400, 'rejected', 'The body is not valid JSON.', 'body');
  }
}

/** The Slack user a won deal counts for; null: a Pipedrive owner nobody mapped yet. */
async function resolveRep(deps: SourceDeps, client: SlackClient, source: Source, won: WonDeal): Promise<string | null> {
  if ('ownerId' in won.rep) return ownerUser(deps.db, source.id, won.rep.ownerId);
  if ('email' in won.rep) {
    const userId = await deps.userByEmail(client, source.team_id, won.rep.email);
    if (!userId)
      throw new Refused(422, 'rejected', `rep.email: no member of this Slack workspace has the email ${won.rep.email}.`, 'rep.email');
    return userId;
  }
  try {
    await deps.roles.requireMember(client, source.team_id, won.rep.slackId);
  } catch (error) {
    if (isUserError(error))
      throw new Refused(422, 'rejected', `rep.slack_id: ${won.rep.slackId} is not a member of this Slack workspace.`, 'rep.slack_id');
    throw error;
  }
  return won.rep.slackId;
}

interface Applied {
  outcome: string;
  reason: string | null;
  sale: Sale | null;
  notices: SourceNotice[];
}

/** The sale of a deal is keyed by its source and its id. */
const saleKey = (source: Source, dealId: string) => `source:${source.id}:${dealId}`;
/** How the audit names a source as the actor. */
const auditActor = (source: Source) => `source:${source.kind}:${source.name}`;

/**
 * Applies what a delivery says about a deal, in one transaction holding the deal's row: so the
 * same delivery arriving twice at once (two replicas) is applied once, and a delivery older
 * than the last one applied changes nothing. A refusal (a closed period) stores nothing.
 */
async function applyChange(
  deps: SourceDeps,
  client: SlackClient,
  workspace: Workspace,
  source: Source,
  change: DealChange,
  at: Date,
  repId: string | null,
): Promise<Applied> {
  return deps.db.transaction().execute(async (trx) => {
    const deal = await lockSourceDeal(trx, source, change.dealId, deps.clock.now());
    if (deal.last_event_at && at < deal.last_event_at) {
      return {
        outcome: 'stale',
        reason: `older than the delivery of ${deal.last_event_at.toISOString()} already applied: nothing changed`,
        sale: null,
        notices: [],
      };
    }
    return applyToDeal(deps, trx, client, workspace, source, deal, change, at, repId);
  });
}

/**
 * Runs `apply` with the workspace's current settings; a rule the deal breaks (thrown as a
 * UserError, nothing stored) becomes a refusal. A closed period is not the sender's mistake:
 * the delivery is taken (202) and refused. (A date after today was refused when it was read.)
 */
async function withRules<T>(deps: SourceDeps, teamId: string, apply: (workspace: Workspace) => Promise<T>): Promise<T> {
  try {
    return await withCurrentWorkspace(deps, teamId, apply);
  } catch (error) {
    if (!isUserError(error)) throw error;
    const message = error.message.replaceAll('`', '');
    if (error.field === 'closed_on') throw new Refused(202, 'refused', message);
    throw new Refused(422, 'rejected', message, error.field);
  }
}

async function applyToDeal(
  deps: SourceDeps,
  trx: Transaction<Database>,
  client: SlackClient,
  workspace: Workspace,
  source: Source,
  deal: SourceDeal,
  change: DealChange,
  at: Date,
  repId: string | null,
): Promise<Applied> {
  const now = deps.clock.now();
  const current = deal.sale_id === null ? undefined : await findSaleForUpdate(trx, workspace.team_id, deal.sale_id);
  const record = (state: SourceDeal['state'], sale: Sale | null | undefined, pending: unknown = null, ownerId: string | null = null) =>
    updateSourceDeal(trx, source.id, change.dealId, {
      state,
      sale_id: sale?.id ?? deal.sale_id,
      owner_id: ownerId,
      pending,
      last_event_at: at,
      updated_at: now,
    });

  if (!change.won) {
    if (!current || current.voided_at) {
      await record('void', current);
      return { outcome: 'unchanged', reason: current ? 'already voided' : 'no sale to void', sale: current ?? null, notices: [] };
    }
    assertOpenPeriod(workspace, current.closed_on);
    const voided = await updateSale(trx, workspace.team_id, current.id, {
      voided_at: now,
      voided_by: auditActor(source),
      void_reason: `The deal left "won" in ${source.name}`,
      updated_at: now,
    });
    await insertAudit(trx, {
      teamId: workspace.team_id,
      actorId: auditActor(source),
      action: 'sale.voided',
      entityType: 'sale',
      entityId: String(voided.id),
      before: current,
      after: voided,
      at: now,
    });
    await record('void', voided);
    return { outcome: 'voided', reason: null, sale: voided, notices: [await saleNotice(trx, 'voided', source, workspace, voided, [])] };
  }

  const won = change.won;
  if (repId === null) {
    const ownerId = 'ownerId' in won.rep ? won.rep.ownerId : '';
    await record('waiting', current, { ...won, amountMinor: String(won.amountMinor) }, ownerId);
    const notify = await claimOwnerNotice(trx, source.id, ownerId, now);
    const reason = `Pipedrive owner ${ownerId} is not mapped to a Slack user: /tally connect pipedrive ${source.name} map ${ownerId} @rep logs this deal`;
    return {
      outcome: 'waiting',
      reason,
      sale: null,
      notices: notify ? [{ kind: 'unmapped owner', source, ownerId, dealId: change.dealId }] : [],
    };
  }

  if (!current) {
    // The rep logs their own sale: no role is asked.
    const logged = await logSale(
      { ...deps, db: trx },
      client,
      deps.roles.acting(client, workspace.team_id, repId),
      {
        repId,
        amountMinor: won.amountMinor,
        currency: won.currency,
        customer: won.customer,
        productName: won.productName,
        closedOn: won.closedOn,
        note: won.note,
        source: 'api',
        idempotencyKey: saleKey(source, change.dealId),
        auditActorId: auditActor(source),
        // A deal won in the CRM was checked there: the guard rails ask people, not systems.
        confirmed: true,
      },
      workspace,
    );
    if (isSaleQuestion(logged)) throw new Error('a confirmed sale was asked about');
    await record('won', logged.sale);
    if (!logged.created) return { outcome: 'unchanged', reason: 'already logged', sale: logged.sale, notices: [] };
    const notice: SourceNotice = {
      kind: 'sale',
      change: 'created',
      source,
      workspace,
      sale: logged.sale,
      productName: logged.productName,
      progress: logged.snapshot.progress,
      milestones: logged.milestones,
    };
    return { outcome: 'created', reason: null, sale: logged.sale, notices: [notice] };
  }

  // The deal's sale exists: change it when the deal changed (or bring it back when won again).
  const checked = await checkSale({ ...deps, db: trx }, client, workspace, { teamId: workspace.team_id, actorId: repId, repId, ...won });
  const next = {
    ...checked.counted,
    rep_id: repId,
    closed_on: checked.closedOn,
    customer: won.customer,
    product_id: checked.product?.id ?? null,
    note: won.note,
  };
  const same = (Object.keys(next) as Array<keyof typeof next>).every((key) => String(next[key]) === String(current[key]));
  if (same && !current.voided_at) {
    await record('won', current);
    return { outcome: 'unchanged', reason: 'the sale already reads so', sale: current, notices: [] };
  }
  assertOpenPeriod(workspace, current.closed_on);
  const restored = current.voided_at ? { voided_at: null, voided_by: null, void_reason: null } : {};
  const after = await updateSale(trx, workspace.team_id, current.id, { ...next, ...restored, updated_at: now });
  await insertAudit(trx, {
    teamId: workspace.team_id,
    actorId: auditActor(source),
    action: 'sale.edited',
    entityType: 'sale',
    entityId: String(after.id),
    before: current,
    after,
    at: now,
  });
  await record('won', after);
  return {
    outcome: current.voided_at ? 'restored' : 'edited',
    reason: null,
    sale: after,
    notices: [await saleNotice(trx, current.voided_at ? 'created' : 'edited', source, workspace, after, [])],
  };
}

async function saleNotice(
  trx: Transaction<Database>,
  change: 'created' | 'edited' | 'voided',
  source: Source,
  workspace: Workspace,
  sale: Sale,
  progress: readonly TargetProgress[],
): Promise<SourceNotice> {
  const productName = sale.product_id === null ? null : ((await findSale(trx, workspace.team_id, sale.id))?.product_name ?? null);
  return { kind: 'sale', change, source, workspace, sale, productName, progress, milestones: null };
}

/**
 * Maps a Pipedrive owner to a Slack user, then logs the deals of that owner that were waiting,
 * each as its delivery would have.
 */
export async function mapPipedriveOwner(
  deps: SourceDeps,
  client: SlackClient,
  actor: Actor,
  request: ConnectRequest & { ownerId: string; userId: string },
): Promise<{ source: Source; logged: Sale[]; refused: Array<{ dealId: string; reason: string }>; notices: SourceNotice[] }> {
  const source = await requireSource(deps, actor, request, 'map Pipedrive owners', 'pipedrive');
  await deps.roles.requireMember(client, actor.teamId, request.userId);
  if (!/^[0-9A-Za-z_-]{1,100}$/.test(request.ownerId))
    throw new UserError(`\`${request.ownerId}\` is not a Pipedrive owner id: it is the number in the deal's owner_id, like \`12345\`.`);
  await mapOwner(deps.db, source.id, request.ownerId, request.userId, deps.clock.now());
  const logged: Sale[] = [];
  const refused: Array<{ dealId: string; reason: string }> = [];
  const notices: SourceNotice[] = [];
  for (const waiting of await waitingDealsOfOwner(deps.db, source.id, request.ownerId)) {
    const pending = waiting.pending as Omit<WonDeal, 'amountMinor'> & { amountMinor: string };
    const change: DealChange = {
      dealId: waiting.deal_id,
      at: waiting.last_event_at,
      won: { ...pending, amountMinor: BigInt(pending.amountMinor) },
    };
    const receivedAt = deps.clock.now();
    let outcome: Applied;
    try {
      outcome = await withRules(deps, actor.teamId, (workspace) =>
        applyChange(deps, client, workspace, source, change, waiting.last_event_at ?? receivedAt, request.userId),
      );
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      outcome = { outcome: error.outcome, reason: error.message, sale: null, notices: [] };
    }
    await insertDelivery(deps.db, {
      source_id: source.id,
      team_id: source.team_id,
      received_at: receivedAt,
      deal_id: waiting.deal_id,
      status: outcome.sale ? 200 : 202,
      outcome: outcome.outcome,
      sale_id: outcome.sale?.id ?? null,
      reason: outcome.reason ?? `owner ${request.ownerId} mapped to a Slack user by an admin`,
    });
    if (outcome.sale && outcome.outcome !== 'unchanged') logged.push(outcome.sale);
    else if (!outcome.sale) refused.push({ dealId: waiting.deal_id, reason: outcome.reason ?? outcome.outcome });
    notices.push(...outcome.notices);
  }
  return { source, logged, refused, notices };
}
