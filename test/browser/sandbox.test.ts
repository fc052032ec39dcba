// The sandbox in a real browser: Debian's Chromium driven by playwright-core, against
// `npm run sandbox -- --seed` started in this process on free ports with a fresh database.
// A rep logs a sale by command and through the modal and finds it on App Home; a manager
// sets a target in the modal and sees the leaderboard change; the digest posts with its chart;
// after the clock is set to Monday and back to real time, replies are stamped now again.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayjs } from '../../src/domain/dayjs.js';
import { WORKSPACE, userByName } from '../../sandbox/directory.js';
import { readManifest } from '../../sandbox/manifest.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/sandbox.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(import.meta.dirname, '..', '..');
// `npm run docs:screenshot` sets this to retake the README's picture; `npm test` never writes it.
const SCREENSHOT = process.env.TALLY_SCREENSHOT;
const WAIT = { timeout: 25_000 };
const manifest = readManifest(join(ROOT, 'manifest.yml'));
const rita = userByName('rita');
const marcus = userByName('marcus');

// CI installs Chromium (.ci/run); a machine without it skips, saying why. The sandbox always
// runs on its embedded database, so the PostgreSQL pass of the suite has nothing new to test here.
const missing = !existsSync(CHROMIUM);
if (missing && process.env.CI) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
if (missing) console.warn(`test/browser skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

describe.skipIf(missing || Boolean(process.env.TEST_DATABASE_URL))('the sandbox in a browser', () => {
  let sandbox: RunningSandbox;
  let context: BrowserContext;
  let page: Page;
  const folders: string[] = [];

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tally-sandbox-'));
    const profile = mkdtempSync(join(tmpdir(), 'tally-chromium-'));
    folders.push(dataDir, profile);
    // Scheduler off: the "Run the digest tick now" button is what posts the digest here.
    sandbox = await startSandbox({
      port: 0,
      appPort: 0,
      dataDir: join(dataDir, 'data'),
      seed: true,
      scheduler: false,
      logFile: join(dataDir, 'tally.log'),
    });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
      viewport: { width: 1440, height: 900 },
      env: browserEnv(),
    });
    context.setDefaultTimeout(WAIT.timeout);
    page = context.pages()[0] ?? (await context.newPage());
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await sandbox?.stop();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  // playwright-core has no web-first `expect`: these wait the way it would (auto-waiting, no sleeps).
  const shows = (locator: Locator, text?: string | RegExp) =>
    (text === undefined ? locator : locator.filter({ hasText: text })).first().waitFor({ state: 'visible', ...WAIT });
  const gone = (locator: Locator) => locator.waitFor({ state: 'hidden', ...WAIT });
  const count = (locator: Locator) => expect.poll(() => locator.count(), WAIT);

  const composer = () => page.getByLabel('Message', { exact: true });
  const ephemerals = (text: string | RegExp) => page.locator('article.message-ephemeral').filter({ hasText: text });

  async function type(text: string): Promise<void> {
    await composer().fill(text);
    await composer().press('Enter');
    await expect.poll(() => composer().inputValue(), WAIT).toBe('');
  }

  async function signInAs(userId: string, channel: string): Promise<void> {
    await page.goto(`${sandbox.url}/#user=${userId}&channel=${channel}`);
    await expect.poll(() => page.getByLabel('Signed in as').inputValue(), WAIT).toBe(userId);
  }

  it('seeds what docs/sandbox.md says: the six full months before this one and this month so far', async () => {
    const now = dayjs(sandbox.clock.now()).tz(WORKSPACE.timezone);
    const from = now.startOf('month').subtract(6, 'month');
    expect(sandbox.seeded).toMatchObject({ from: from.format('YYYY-MM-DD'), fullMonths: 6 });
    const sales = await sandbox.tally.deps.db
      .selectFrom('sales')
      .select((eb) => eb.fn.min('closed_on').as('first'))
      .select((eb) => eb.fn.max('closed_on').as('last'))
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('team_id', '=', WORKSPACE.teamId)
      .executeTakeFirstOrThrow();
    // The first sale falls on a weekday of that month; the last ones are today's /logsale deals.
    expect(String(sales.first).slice(0, 7)).toBe(from.format('YYYY-MM'));
    expect(String(sales.last)).toBe(now.format('YYYY-MM-DD'));
    expect(Number(sales.count)).toBe(sandbox.seeded!.sales);
  });

  it('as a rep, /logsale 1200 Acme shows the confirmation; the message box lists the commands with their usage hints', async () => {
    await signInAs(rita.id, 'C0SALES');
    await composer().fill('/lo');
    const commands = page.getByRole('listbox', { name: 'Slash commands' });
    await shows(commands, '/logsale');
    await shows(commands, manifest.commands.find((c) => c.command === '/logsale')!.usage_hint!);

    await type('/logsale 1200 Acme');
    const confirmation = ephemerals(/Logged \$1,200\.00 from Acme/);
    await shows(confirmation);
    await shows(confirmation, 'Only visible to you');

    // Undo asks first (the button's confirm dialog), then Tally replaces the message (replace_original).
    await type('/logsale 99 Oops Inc');
    const mistake = ephemerals(/Logged \$99\.00 from Oops Inc/);
    await mistake.getByRole('button', { name: 'Undo' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Undo this sale?' });
    await dialog.getByRole('button', { name: 'Undo sale' }).click();
    await shows(ephemerals(/Voided \$99\.00 from Oops Inc/));
    await count(mistake).toBe(0);
    await shows(confirmation);
  });

  it('as a rep, the Log a sale modal shows field errors, then logs the sale, which App Home shows', async () => {
    await type('/logsale');
    const modal = page.getByRole('dialog', { name: 'Log a sale' });
    await shows(modal);
    await modal.getByLabel('Amount').fill('lots');
    await modal.getByRole('button', { name: 'Log sale' }).click();
    await shows(modal.getByRole('alert'));

    await modal.getByLabel('Amount').fill('2,345');
    await modal.getByLabel('Customer').fill('Globex Labs');
    await modal.getByLabel('Product').selectOption('analytics');
    await modal.getByRole('button', { name: 'Log sale' }).click();
    await gone(modal);
    await shows(ephemerals(/Logged \$2,345\.00 from Globex Labs/));

    // App Home, when manifest.yml turns it on: opening it sends app_home_opened and shows the view Tally publishes.
    if (manifest.homeTabEnabled) {
      await page.getByRole('button', { name: manifest.name, exact: true }).click();
      await page.getByRole('tab', { name: 'Home' }).click();
      const home = page.getByRole('region', { name: 'App Home' });
      await shows(home, '$2,345.00');
      await shows(home, 'Globex Labs');
    }
  });

  it('as a manager, setting a target in the Set target modal changes the leaderboard', async () => {
    await signInAs(marcus.id, 'C0SALES');
    await type('/leaderboard');
    const boards = ephemerals(/Leaderboard ·/);
    await count(boards).toBe(1);
    await shows(boards.last(), 'Rita Alvarez');
    await shows(boards.last(), '$40,000.00');

    await type('/target');
    const modal = page.getByRole('dialog', { name: 'Set target' });
    await shows(modal);
    // Picking the rep dispatches block_actions; Tally updates the modal with her current target.
    await modal.getByLabel('Rep', { exact: true }).selectOption(rita.id);
    await shows(modal, 'Now: @Rita Alvarez');
    await shows(modal, '$40,000.00');
    await modal.getByLabel('Amount per period').fill('50k');
    await modal.getByRole('button', { name: 'Save target' }).click();
    await gone(modal);
    await shows(ephemerals(/Target saved for @Rita Alvarez/));

    await type('/leaderboard');
    await count(boards).toBe(2);
    const ritaRow = async (board: Locator) => (await board.innerText()).split('\n').find((line) => line.includes('Rita Alvarez')) ?? '';
    expect(await ritaRow(boards.first())).toContain('/ $40,000.00');
    expect(await ritaRow(boards.last())).toContain('/ $50,000.00');
  });

  it('runs the digest on Monday morning and shows the post with its chart', async () => {
    await type('/tally digest here');
    await shows(ephemerals(/The sales digest will be posted in #sales every Monday at 09:00/));

    // The first Monday after today, 09:30 in the workspace timezone (DEFAULT_TIMEZONE).
    const today = dayjs(sandbox.clock.now()).tz(WORKSPACE.timezone);
    const monday = today
      .add((8 - today.isoWeekday()) % 7 || 7, 'day')
      .hour(9)
      .minute(30);
    const digests = page.locator('article.message:not(.message-ephemeral)').filter({ hasText: 'Weekly digest ·' });
    await shows(digests); // the one the seed posted
    const before = await digests.count();

    await page.getByLabel('Sandbox time').fill(monday.format('YYYY-MM-DDTHH:mm'));
    await page.getByRole('button', { name: 'Set time' }).click();
    await shows(page.locator('.clock-now'), monday.format('ddd, MMM D'));
    await page.getByRole('button', { name: 'Run the digest tick now' }).click();
    await shows(page.getByRole('status').filter({ hasText: /Digest tick at .*: [1-9]\d* posted/ }));

    await count(digests).toBe(before + 1);
    const post = digests.last();
    await shows(post, 'Leaderboard, last week');
    const chart = post.locator('figure.bk-image img');
    await chart.scrollIntoViewIfNeeded();
    await expect
      .poll(() => chart.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth), WAIT)
      .toBeGreaterThan(0);

    // Still on Monday: the screenshot for the README shows the chart and this month's leaderboard.
    await type('/leaderboard');
    await count(ephemerals(/Leaderboard ·/)).toBe(3);
    await page.setViewportSize({ width: 1440, height: 1000 });
    await shows(ephemerals(/Leaderboard ·/).last());
    if (SCREENSHOT) {
      mkdirSync(dirname(resolve(SCREENSHOT)), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, style: '.toasts { display: none; }' });
    }
  });

  it("back on real time, a reply is stamped now under today's day divider, not on the Monday set before", async () => {
    await page.getByRole('button', { name: 'Real time' }).click();
    await shows(page.locator('.clock-now:not(.is-shifted)'));
    expect(sandbox.clock.shifted).toBe(false);
    await shows(page.locator('.clock-now'), dayjs(sandbox.clock.now()).tz(WORKSPACE.timezone).format('ddd, MMM D'));

    const boards = ephemerals(/Leaderboard ·/);
    const stamps = () => boards.evaluateAll((articles) => articles.map((article) => article.getAttribute('data-ts') ?? ''));
    const before = await stamps();
    await type('/leaderboard');
    await count(boards).toBe(before.length + 1);
    const [fresh, ...others] = (await stamps()).filter((ts) => !before.includes(ts));
    expect(others).toEqual([]);
    const reply = page.locator(`article[data-ts="${fresh}"]`);

    // Stamped now, in Marcus's time zone, under today's divider: above Monday's messages, and shown there.
    const now = dayjs(sandbox.clock.now()).tz(marcus.tz);
    expect(Math.abs(Number(fresh) * 1000 - now.valueOf())).toBeLessThan(60_000);
    const dayAbove = await reply.evaluate((article) => {
      let node = article.previousElementSibling;
      while (node !== null && !node.classList.contains('day-divider')) node = node.previousElementSibling;
      return node?.textContent ?? '';
    });
    expect(dayAbove).toBe(now.format('dddd, MMMM D'));
    const shownTime = (await reply.locator('time.message-time').innerText()).replace(/\s/g, ' ');
    expect([now.subtract(1, 'minute').format('h:mm A'), now.format('h:mm A')]).toContain(shownTime);
    await expect
      .poll(
        () =>
          reply.evaluate((article) => {
            const box = article.getBoundingClientRect();
            return box.top < (globalThis as unknown as { innerHeight: number }).innerHeight && box.bottom > 0;
          }),
        WAIT,
      )
      .toBe(true);
  });
});

/**
 * Chromium does not start under faketime (npm run test:timetravel): it runs on the real clock.
 * The page shows only times the sandbox sends it, which follow the sandbox's clock.
 */
function browserEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && name !== 'LD_PRELOAD' && !name.startsWith('FAKETIME')) env[name] = value;
  }
  return env;
}
