// The order App Home pages are published in: a page built before a newer page of the same
// person was published is dropped; publishes of one person reach Slack one after the other.
import { describe, expect, it } from 'vitest';
import { HomeRefreshes } from '../../src/slack/listeners/home-refreshes.js';

/** A promise the test settles when it chooses. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('HomeRefreshes.publishNewest', () => {
  it('drops a page that finishes building after a newer page was published', async () => {
    const pages = new HomeRefreshes();
    const shown: string[] = [];
    const publish = async (page: string) => {
      shown.push(page);
    };
    const older = deferred<string>();
    const first = pages.publishNewest('T:U', () => older.promise, publish);
    const second = pages.publishNewest('T:U', async () => 'newer', publish);
    expect(await second).toBe(true);
    older.resolve('older');
    expect(await first).toBe(false);
    expect(shown).toEqual(['newer']);
    expect(pages.busyPeople()).toBe(0);
  });

  it('publishes an older page that finished first, then the newer one, in that order', async () => {
    const pages = new HomeRefreshes();
    const shown: string[] = [];
    const olderPublish = deferred<void>();
    const older = pages.publishNewest(
      'T:U',
      async () => 'older',
      async (page) => {
        await olderPublish.promise;
        shown.push(page);
      },
    );
    await flush();
    // The newer page is built while the older one is still being published: it waits its turn.
    const newer = pages.publishNewest(
      'T:U',
      async () => 'newer',
      async (page) => void shown.push(page),
    );
    await flush();
    expect(shown).toEqual([]);
    olderPublish.resolve();
    expect(await Promise.all([older, newer])).toEqual([true, true]);
    expect(shown).toEqual(['older', 'newer']);
  });

  it("keeps people apart, and a failed publish does not hold up the person's next page", async () => {
    const pages = new HomeRefreshes();
    const shown: string[] = [];
    const slow = deferred<string>();
    const rita = pages.publishNewest(
      'T:RITA',
      () => slow.promise,
      async (page) => void shown.push(page),
    );
    expect(
      await pages.publishNewest(
        'T:RAJ',
        async () => 'raj',
        async (page) => void shown.push(page),
      ),
    ).toBe(true);
    expect(pages.busyPeople()).toBe(1);
    slow.resolve('rita');
    expect(await rita).toBe(true);
    await expect(
      pages.publishNewest(
        'T:RITA',
        async () => 'fails',
        async () => {
          throw new Error('ratelimited');
        },
      ),
    ).rejects.toThrow('ratelimited');
    expect(
      await pages.publishNewest(
        'T:RITA',
        async () => 'rita again',
        async (page) => void shown.push(page),
      ),
    ).toBe(true);
    expect(shown).toEqual(['raj', 'rita', 'rita again']);
    expect(pages.busyPeople()).toBe(0);
  });
});
