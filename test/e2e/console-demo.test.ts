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
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevApp } from '../../src/app/dev-app.js';
import { launchChromium } from './support/browser.js';
import { ConsolePage } from './support/console-page.js';
import { removeDataDir, startDemo } from './support/dev-harness.js';

/** 0.004: a demo batch takes 1–2 s (the PDB-held drains of batches 4–6 about 7 s), the migration ~35 s. */
const TIME_SCALE = 0.004;
const SCREENSHOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-output', 'console-demo.png');
/** The longest a single batch (or its approval question) may take to show up at this time scale. */
const BATCH_MS = 30_000;

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
    const report = ui.threadEntry(summaryId, 'Precheck report: pool-a');
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
      await ui.clickInThread(migrationId, `Approve batch ${batch}`, BATCH_MS);
      if (batch === 2) {
        // Mid-migration, the parent's progress and the running batch's node timeline in view: the README's
        // screenshot. Scrolled so the migration message is at the top, whatever came before it.
        const running = ui.threadEntry(migrationId, /Batch 2 of 6 .*(running|finished)/);
        await running.locator('tr[data-node="pool-a-2"]').waitFor({ timeout: BATCH_MS });
        await ui.parent(migrationId).evaluate((el) => el.scrollIntoView({ block: 'start' }));
        mkdirSync(dirname(SCREENSHOT), { recursive: true });
        await page.screenshot({ path: SCREENSHOT });
        console.log(`[console-demo] screenshot written to ${SCREENSHOT}`);
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
