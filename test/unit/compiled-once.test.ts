// The sale's statement is compiled once per shape and only bound afterwards
// (src/db/compiled-once.ts, src/store/sales.ts boundSaleStatement): what a later sale runs is
// exactly what compiling the statement for that sale gives, text and parameters.
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { CompiledOnce } from '../../src/db/compiled-once.js';
import type { Database, NewSale } from '../../src/db/schema.js';
import { boundGuardRailStatement, guardRailStatement, type GuardRailQuery } from '../../src/store/guard-rails.js';
import { boundSaleStatement, saleStatement, type SaleProgressReads } from '../../src/store/sales.js';

const db = new Kysely<Database>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

const AT = new Date('2026-12-10T12:00:00Z');
const READS: SaleProgressReads = {
  workspaceVersion: 4,
  targetWindows: [
    { kind: 'month', from: '2026-12-01', to: '2027-01-01' },
    { kind: 'quarter', from: '2026-10-01', to: '2027-01-01' },
  ],
  ranges: [
    { from: '2026-12-07', to: '2026-12-14' },
    { from: '2026-12-01', to: '2027-01-01' },
    { from: '2026-11-01', to: '2026-12-01' },
  ],
  milestonePeriods: [
    { kind: 'week', start: '2026-12-07' },
    { kind: 'month', start: '2026-12-01' },
  ],
};

function sale(fields: Partial<NewSale>): NewSale {
  return {
    team_id: 'T0A',
    rep_id: 'U0ANN',
    amount_minor: 120_000n,
    currency: 'USD',
    original_amount_minor: 120_000n,
    original_currency: 'USD',
    fx_rate: null,
    closed_on: '2026-12-10',
    customer: 'Acme',
    product_id: null,
    note: null,
    source: 'command',
    idempotency_key: 'first',
    created_by: 'U0ANN',
    created_at: AT,
    updated_at: AT,
    ...fields,
  };
}

const fresh = (s: NewSale, actor: string, reads: SaleProgressReads) => {
  const { sql: text, parameters } = saleStatement(db, s, actor, reads).compile(db);
  return { sql: text, parameters };
};
const bound = (s: NewSale, actor: string, reads: SaleProgressReads) => {
  const { sql: text, parameters } = boundSaleStatement(db, s, actor, reads);
  return { sql: text, parameters };
};

describe('the sale statement compiled once', () => {
  it('binds a later sale exactly as compiling the statement for it would', () => {
    bound(sale({}), 'U0ANN', READS);
    const second = sale({
      team_id: 'T0B',
      rep_id: 'U0BEN',
      amount_minor: 5n,
      original_amount_minor: 700n,
      original_currency: 'EUR',
      fx_rate: '1.07',
      closed_on: '2026-11-30',
      customer: null,
      product_id: 9n,
      note: "it's 'quoted'",
      source: 'modal',
      idempotency_key: 'second',
      created_by: 'U0MAX',
      created_at: new Date('2026-12-11T08:00:00Z'),
    });
    const actual = bound(second, 'source:zapier:main', { ...READS, workspaceVersion: 9 });
    expect(actual).toEqual(fresh(second, 'source:zapier:main', { ...READS, workspaceVersion: 9 }));
    expect(actual.parameters).toContain('U0BEN');
    expect(actual.parameters).toContain(9);
    expect(actual.parameters).not.toContain('U0ANN');
  });

  it('compiles again for other columns or other periods', () => {
    const withoutNote = { ...sale({ idempotency_key: 'third' }) };
    delete withoutNote.note;
    expect(bound(withoutNote, 'U0ANN', READS)).toEqual(fresh(withoutNote, 'U0ANN', READS));
    const nextDay = { ...READS, milestonePeriods: [{ kind: 'month' as const, start: '2026-12-01' }], ranges: READS.ranges.slice(1) };
    expect(bound(sale({}), 'U0ANN', nextDay)).toEqual(fresh(sale({}), 'U0ANN', nextDay));
    expect(bound(sale({}), 'U0ANN', nextDay).sql).not.toEqual(bound(sale({}), 'U0ANN', READS).sql);
  });

  it('compiles a shape once however many runs it has', () => {
    const statements = new CompiledOnce<{ id: number }, unknown>();
    let compiled = 0;
    const compile = (slots: { id: number }) => {
      compiled++;
      return sql`select ${slots.id}`.compile(db);
    };
    expect(statements.bind('one', { id: 1 }, compile).parameters).toEqual([1]);
    expect(statements.bind('one', { id: 2 }, compile).parameters).toEqual([2]);
    expect(statements.bind('two', { id: 3 }, compile).parameters).toEqual([3]);
    expect(compiled).toBe(2);
  });

  it("binds the guard rails' read of a later sale exactly as compiling it for that sale would", () => {
    const query = (fields: Partial<GuardRailQuery>): GuardRailQuery => ({
      teamId: 'T0A',
      repId: 'U0ANN',
      idempotencyKey: 'first',
      originalAmountMinor: 120_000n,
      originalCurrency: 'USD',
      customer: 'Acme',
      closedOn: '2026-12-10',
      since: new Date('2026-12-10T11:50:00Z'),
      until: AT,
      monthStart: '2026-12-01',
      monthEnd: '2027-01-01',
      ...fields,
    });
    boundGuardRailStatement(db, query({}));
    const later = query({
      teamId: 'T0B',
      repId: 'U0BEN',
      idempotencyKey: 'second',
      originalAmountMinor: 5n,
      originalCurrency: 'EUR',
      customer: '  Globex ',
      closedOn: '2026-11-30',
      since: new Date('2026-11-30T08:00:00Z'),
      until: new Date('2026-11-30T08:10:00Z'),
      monthStart: '2026-11-01',
      monthEnd: '2026-12-01',
    });
    const { sql: text, parameters } = boundGuardRailStatement(db, later);
    const expected = guardRailStatement(db, { ...later, customer: 'globex' }).compile();
    expect({ sql: text, parameters }).toEqual({ sql: expected.sql, parameters: expected.parameters });
    expect(parameters).toContain('globex');
    expect(boundGuardRailStatement(db, query({ customer: null })).parameters).toContain('');
  });
});
