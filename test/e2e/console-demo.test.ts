/**
 * The one-command demo, end to end in a real browser: `startDev` (sandbox with the demo scenario, a private
 * redis-server, worker, bot, web console) and Debian's Chromium, used the way a person would — type commands,
 * read the report, click the buttons, ask a question in the thread. It also takes a screenshot of the console
 * mid-migration into test-output/ (ignored by git; copy it over docs/console-demo.png, the README's screenshot, by
 * hand when the console changes), so a test run leaves the tracked tree as it was.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevApp } from '../../src/app/dev-app.js';
import { until } from '../support/wait.js';
import { launchChromium } from './support/browser.js';
import { ConsolePage } from './support/console-page.js';
import { removeDataDir, startDemo } from './support/dev-harness.js';

/** 0.004: a demo batch takes 1–2 s (the PDB-held drains of batches 4–6 about 7 s), the migration ~35 s. */
const TIME_SCALE = 0.004;
/** Screenshots go to test-output/ (ignored by git) or CONSOLE_SHOTS_DIR; never over docs/console-demo.png. */
const SHOTS = process.env.CONSOLE_SHOTS_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-output');
/** The longest a single batch (or its approval question) may take to show up at this time scale. */
const BATCH_MS = 30_000;

async function inViewport(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const list = el.ownerDocument.getElementById('messages')!.getBoundingClientRect();
    return box.top < list.bottom && box.bottom > list.top;
  });
}

describe('web console demo in Chromium', () => {
  let app: DevApp | undefined;
  let dataDir: string | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let ui: ConsolePage;
  let migrationId = '';

  beforeAll(async () => {
    const demo = await startDemo({ timeScale: TIME_SCALE });
    app = demo.app;
    dataDir = demo.dataDir;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
    ui = new ConsolePage(page);
    await ui.open(app.url);
  }, 60_000);

  const shot = async (name: string) => {
    mkdirSync(SHOTS, { recursive: true });
    const path = join(SHOTS, `${name}.png`);
    await page.screenshot({ path });
    console.log(`[console-demo] screenshot written to ${path}`);
  };

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    removeDataDir(dataDir);
  });

  it('types a precheck and sees the report with the planted problems', async () => {
    await ui.command('/migrate precheck pool-a');
    const summaryId = await ui.topLevelId('Precheck: pool-a');
    const summary = ui.parent(summaryId);
    expect(await summary.locator('.field', { hasText: 'Verdict' }).textContent()).toMatch(/blocked/);
    // The thread is collapsed to "1 reply", as in Slack, until it is clicked.
    const toggle = ui.thread(summaryId).locator('.replies-toggle');
    await toggle.filter({ hasText: /^1 reply$/ }).waitFor();
    const report = ui.threadEntry(summaryId, 'Precheck report: pool-a');
    expect(await report.isVisible()).toBe(false);
    await toggle.click();
    await report.waitFor();
    const text = await report.textContent();
    expect(text).toMatch(/Blockers \(\d+\)/);
    expect(text).toContain('monitoring/node-agent');
    expect(text).toContain('docker-socket');
    expect(text).toContain('payments/ledger');
  });

  it('starts the migration, overrides the blockers, approves every batch by clicking, and it completes', async () => {
    await ui.command('/migrate start pool-a');
    migrationId = await ui.topLevelId('Migration of pool-a');
    await ui.openThread(migrationId);
    await ui.threadEntry(migrationId, 'precheck blockers need an override').waitFor();
    await ui.clickInThread(migrationId, 'Override blockers', BATCH_MS);

    // The planted PDB payments/ledger (maxUnavailable 0) holds one node's drain until ACK ends that upgrade;
    // the thread names it. As an SRE would with kubectl, the test relaxes the PDB, then clicks Retry.
    let held = false;
    const retryIfHeld = async (next: string): Promise<void> => {
      const thread = ui.thread(migrationId);
      const retry = thread.locator('button[data-label="Retry"]');
      await thread.locator(`button[data-label="${next}"]`).or(retry).first().waitFor({ timeout: BATCH_MS });
      if (held || !(await retry.isVisible())) return;
      held = true;
      expect(await thread.textContent()).toContain('payments/ledger');
      await relaxLedgerPdb();
      await retry.click();
    };
    /** Questions asked in the thread bury the approval; the parent's link finds it again. */
    const followTheParentsLink = async (batch: number) => {
      const approval = ui.threadEntry(migrationId, `Batch ${batch} of 6 · pool-a: approval needed`);
      await approval.waitFor({ timeout: BATCH_MS });
      for (const question of ['how long does a batch take?', 'will the node IP change?']) {
        await ui.reply(migrationId, question);
        await ui
          .thread(migrationId)
          .locator('.entry.bot', { hasText: `Q: ${question}` })
          .waitFor();
      }
      const link = ui.thread(migrationId).locator('.current-question');
      expect(await link.textContent()).toContain(`Batch ${batch} of 6 · pool-a: approval needed`);
      await ui.thread(migrationId).locator('.replies-toggle', { hasText: 'Hide replies' }).click();
      await ui
        .thread(migrationId)
        .locator('.replies-toggle', { hasText: /^\d+ replies$/ })
        .waitFor();
      await ui.parent(migrationId).evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await shot('collapsed-thread');
      await page.locator('#messages').evaluate((list) => list.scrollTo(0, 0));
      await link.click();
      await approval.locator('button[data-label="Approve batch 3"]').waitFor();
      expect(await inViewport(approval)).toBe(true);
      await shot('current-approval');
    };
    const relaxLedgerPdb = async () => {
      const res = await fetch(
        `${app!.sandbox.k8s.url}/apis/policy/v1/namespaces/payments/poddisruptionbudgets/ledger`,
        {
          method: 'PATCH',
          headers: { 'content-type': 'application/merge-patch+json' },
          body: JSON.stringify({ spec: { maxUnavailable: 1 } }),
        },
      );
      expect(res.status).toBe(200);
    };

    for (let batch = 1; batch <= 6; batch++) {
      await retryIfHeld(`Approve batch ${batch}`);
      if (batch === 3) await followTheParentsLink(batch);
      await ui.clickInThread(migrationId, `Approve batch ${batch}`, BATCH_MS);
      if (batch === 2) {
        // Mid-migration, the parent's progress and the running batch's node timeline in view: the README's
        // screenshot. Scrolled so the migration message is at the top, whatever came before it.
        const running = ui.threadEntry(migrationId, /Batch 2 of 6 .*(running|finished)/);
        await running.locator('tr[data-node="pool-a-2"]').waitFor({ timeout: BATCH_MS });
        // ACK's estimate, and the demo's own pace: a demo batch takes seconds, not ACK's 8 minutes.
        const eta = await ui.parent(migrationId).locator('.field', { hasText: 'ETA' }).textContent();
        expect(eta).toMatch(/~\d+m (\d+s )?\(ACK's estimate\) · ~\d+s in this demo/);
        await ui.parent(migrationId).evaluate((el) => el.scrollIntoView({ block: 'start' }));
        await shot('console-demo');
      }
    }

    if (!held) {
      // The held node was in the last batch: its Retry comes after the last approval.
      await ui.thread(migrationId).locator('button[data-label="Retry"]').waitFor({ timeout: BATCH_MS });
      await retryIfHeld('Retry');
    }
    expect(held).toBe(true);
    const parent = ui.parent(migrationId);
    await parent.locator('.progress[data-done="6"][data-total="6"]').waitFor({ timeout: BATCH_MS });
    await parent.filter({ hasText: 'completed' }).waitFor({ timeout: BATCH_MS });
    const done = ui.threadEntry(migrationId, 'migration completed');
    await done.waitFor({ timeout: BATCH_MS });
    expect(await done.locator('.field', { hasText: 'Nodes migrated' }).textContent()).toContain('6/6');
    const timeline = done.locator('tr[data-node]');
    expect(await timeline.count()).toBe(6);
    for (const row of await timeline.all()) expect(await row.locator('.step').textContent()).toContain('done');
  }, 120_000);

  it('renders emphasis in a Chinese FAQ answer, wraps long unbroken text and shows local times', async () => {
    await ui.reply(migrationId, '迁移会改变实例IP吗？');
    const thread = ui.thread(migrationId);
    const answer = thread.locator('.entry.bot', { hasText: '节点 IP 会不会变' }).last();
    await answer.waitFor();
    expect(await answer.locator('strong').first().textContent()).toBe('不会，实例 IP 地址保持不变');
    expect(await answer.locator('.body').textContent()).not.toContain('*');
    await answer.scrollIntoViewIfNeeded();
    await shot('chinese-faq');

    const long = `pasted-log-line-${'0123456789abcdef'.repeat(40)}`;
    await ui.reply(migrationId, long);
    const mine = thread.locator('.entry.user', { hasText: long.slice(0, 40) });
    await mine.waitFor();
    const fits = await mine.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const thread = el.closest('.thread')!.getBoundingClientRect();
      return el.scrollWidth <= el.clientWidth + 1 && box.right <= thread.right + 1;
    });
    expect(fits).toBe(true);

    const times = await page
      .locator('.meta time')
      .evaluateAll((nodes) => nodes.map((n) => ({ title: n.getAttribute('title') ?? '', text: n.textContent ?? '' })));
    expect(times.length).toBeGreaterThan(5);
    for (const t of times) {
      expect(t.title).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(t.text).toBe(new Date(t.title).toLocaleTimeString('en-US'));
    }
  });

  it('says so when a typed command is too long, instead of cutting it silently', async () => {
    const long = `/migrate faq ${'why '.repeat(300)}`;
    await ui.command(long);
    // All of it reached the bot (the box does not cut at 1,000 characters), and the bot says why it refuses.
    await page.locator('.entry.user', { hasText: long.trim().slice(-40) }).waitFor();
    await page.locator('.entry.ephemeral', { hasText: 'longer than 1000 characters' }).waitFor();
  });

  it('follows a new message when the view is at the bottom', async () => {
    const list = page.locator('#messages');
    await list.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await page.evaluate(() =>
      fetch('/console/command', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: '/migrate status pool-a' }),
      }),
    );
    const status = page.locator('.item > .entry.bot', { hasText: 'Status of pool-a' }).last();
    await status.waitFor();
    await until('the view at the bottom', () =>
      list.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 2),
    );
    expect(await inViewport(status)).toBe(true);

    // Scrolled up, a command typed in the box still brings its answer into view.
    await list.evaluate((el) => el.scrollTo(0, 0));
    await ui.command('/migrate help');
    const answer = page.locator('.item > .entry.bot', { hasText: '/migrate cleanup <pool>' }).last();
    await answer.waitFor();
    await until('the answer in view', () => inViewport(answer));
    // Help, one command per line.
    expect(await answer.locator('li').count()).toBeGreaterThanOrEqual(13);
    await shot('help');
  });

  it('says "pausing…" and pauses in the thread; after a restart it says the migration resumed, steps kept', async () => {
    await ui.command('/migrate start pool-b');
    await ui.command('/migrate pause pool-b');
    const id = await ui.topLevelId('Migration of pool-b');
    await ui.openThread(id);
    const thread = ui.thread(id);
    await thread
      .locator('.entry.bot', { hasText: 'Pause requested by operator: pausing…' })
      .waitFor({ timeout: BATCH_MS });
    await thread.locator('.entry.bot', { hasText: '⏸️ Paused: paused by operator' }).waitFor({ timeout: BATCH_MS });
    await ui.parent(id).locator('.field', { hasText: 'State' }).filter({ hasText: '⏸️ paused' }).waitFor();
    await shot('paused');

    await ui.command('/migrate resume pool-b');
    const world = app!.sandbox.world;
    const stats = app!.sandbox.cloud.state.stats;
    const inFlight = await until(
      'a pool-b node stopped with its disk replacement under way',
      () =>
        world.listNodes('np-b').find((n) => {
          const ops = stats.snapshot().instances[n.instanceId];
          return world.getInstanceByNode(n.name)?.status === 'Stopped' && ops?.['ReplaceSystemDisk'] === 1;
        }),
      BATCH_MS,
      5,
    );
    await app!.close();
    app = (await startDemo({ dataDir: dataDir!, timeScale: TIME_SCALE })).app;
    await ui.open(app.url);
    await ui.openThread(id);
    await thread.locator('.entry.bot', { hasText: '▶️ Resumed at batch' }).waitFor({ timeout: BATCH_MS });
    await ui.parent(id).filter({ hasText: 'completed' }).waitFor({ timeout: BATCH_MS });
    const row = thread.locator(`tr[data-node="${inFlight.name}"] .detail`).first();
    expect(await row.textContent()).toMatch(/drain \d+s › stop \d+s › replace disk/);
    await thread.locator('.entry.bot', { hasText: '▶️ Resumed at batch' }).scrollIntoViewIfNeeded();
    await shot('resumed-after-restart');
  }, 120_000);

  it('answers a question typed in the migration thread', async () => {
    const question = 'can we roll back after the migration?';
    await ui.reply(migrationId, question);
    const thread = ui.thread(migrationId);
    await thread.locator('.entry.user', { hasText: question }).waitFor();
    const answer = thread.locator('.entry.bot', { hasText: /roll(ed)? back/i }).last();
    await answer.waitFor();
    expect(await answer.textContent()).toMatch(/cannot be rolled back/i);
  });
});
