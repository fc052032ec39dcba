// When a table's statistics are stale (src/store/statistics.ts): as autovacuum decides by
// default, more than 50 + 10% of the rows it had then changed since its last ANALYZE; a table never
// analyzed is stale as soon as it holds rows; one that grew by more than a tenth of its pages
// (+10) is stale too, since the change counters may be lost in a restart.
import { describe, expect, it } from 'vitest';
import { isStale, type TableActivity } from '../../src/store/statistics.js';

describe('isStale', () => {
  const cases: Array<[string, Omit<TableActivity, 'table'>, boolean]> = [
    [
      'never analyzed, empty',
      { rows: 0, rowsAtAnalyze: 0, changedSinceAnalyze: 0, analyzedBefore: false, pagesAtAnalyze: 0, pages: 0 },
      false,
    ],
    [
      'never analyzed, one row',
      { rows: 1, rowsAtAnalyze: 0, changedSinceAnalyze: 1, analyzedBefore: false, pagesAtAnalyze: 0, pages: 0 },
      true,
    ],
    [
      'never analyzed, rows deleted again',
      { rows: 0, rowsAtAnalyze: 0, changedSinceAnalyze: 2, analyzedBefore: false, pagesAtAnalyze: 0, pages: 0 },
      true,
    ],
    [
      'analyzed empty, 50 inserted',
      { rows: 50, rowsAtAnalyze: 0, changedSinceAnalyze: 50, analyzedBefore: true, pagesAtAnalyze: 100, pages: 100 },
      false,
    ],
    [
      'analyzed empty, 51 inserted',
      { rows: 51, rowsAtAnalyze: 0, changedSinceAnalyze: 51, analyzedBefore: true, pagesAtAnalyze: 100, pages: 100 },
      true,
    ],
    [
      'analyzed at 1,000 rows, 150 changed (the threshold)',
      { rows: 1_150, rowsAtAnalyze: 1_000, changedSinceAnalyze: 150, analyzedBefore: true, pagesAtAnalyze: 100, pages: 100 },
      false,
    ],
    [
      'analyzed at 1,000 rows, 151 changed',
      { rows: 1_151, rowsAtAnalyze: 1_000, changedSinceAnalyze: 151, analyzedBefore: true, pagesAtAnalyze: 100, pages: 100 },
      true,
    ],
    [
      'analyzed at 1,000 rows, 151 deleted',
      { rows: 849, rowsAtAnalyze: 1_000, changedSinceAnalyze: 151, analyzedBefore: true, pagesAtAnalyze: 100, pages: 100 },
      true,
    ],
    [
      'analyzed at 1M rows, 100,050 changed (the threshold)',
      { rows: 1_100_050, rowsAtAnalyze: 1_000_000, changedSinceAnalyze: 100_050, analyzedBefore: true, pagesAtAnalyze: 100, pages: 100 },
      false,
    ],
    [
      'analyzed at 1M rows, 100,051 changed',
      { rows: 1_100_051, rowsAtAnalyze: 1_000_000, changedSinceAnalyze: 100_051, analyzedBefore: true, pagesAtAnalyze: 100, pages: 100 },
      true,
    ],
    [
      'never analyzed, counters lost in a restart, 3 pages of rows',
      { rows: 0, rowsAtAnalyze: 0, changedSinceAnalyze: 0, analyzedBefore: false, pagesAtAnalyze: 0, pages: 3 },
      true,
    ],
    [
      'analyzed at 100 pages, counters lost, 120 pages (the threshold)',
      { rows: 0, rowsAtAnalyze: 1_000, changedSinceAnalyze: 0, analyzedBefore: true, pagesAtAnalyze: 100, pages: 120 },
      false,
    ],
    [
      'analyzed at 100 pages, counters lost, 121 pages',
      { rows: 0, rowsAtAnalyze: 1_000, changedSinceAnalyze: 0, analyzedBefore: true, pagesAtAnalyze: 100, pages: 121 },
      true,
    ],
  ];
  it.each(cases)('%s → %s', (_, activity, stale) => {
    expect(isStale({ table: 't', ...activity })).toBe(stale);
  });
});
