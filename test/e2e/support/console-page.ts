/**
 * The web console as a person sees it, through the page's stable hooks: `#command`, `.item[data-message-id]`
 * (a top-level message with its thread), `.entry[data-message-id][data-thread-id]`, `.thread .reply-box input`,
 * `.thread .replies-toggle` ("N replies"), `.thread .current-question` (the parent's link to the question that
 * waits), `button[data-label]`, `.progress[data-done][data-total]`, `tr[data-node]`, `.meta time[title]`.
 */
import type { Locator, Page } from 'playwright-core';

export class ConsolePage {
  constructor(readonly page: Page) {
    // Destructive buttons ask window.confirm first; a person reads it and says yes.
    page.on('dialog', (dialog) => void dialog.accept());
  }

  /** Opens the console and waits until its live stream is connected, so nothing typed next is missed. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.locator('#conn[data-state="live"]').waitFor();
  }

  /** Types into the command box and presses Enter. */
  async command(text: string): Promise<void> {
    const box = this.page.locator('#command');
    await box.fill(text);
    await box.press('Enter');
  }

  /** The top-level bot message whose header contains `header`, once it is on the page; returns its id. */
  async topLevelId(header: string | RegExp, timeout?: number): Promise<string> {
    const entry = this.page
      .locator('.item > .entry.bot')
      .filter({ has: this.page.locator('.msg-header', { hasText: header }) })
      .first();
    await entry.waitFor({ ...(timeout ? { timeout } : {}) });
    const id = await entry.getAttribute('data-message-id');
    if (!id) throw new Error(`the message "${header}" has no data-message-id`);
    return id;
  }

  /** The top-level message itself (not its thread). */
  parent(id: string): Locator {
    return this.page.locator(`.item[data-message-id="${id}"] > .entry[data-message-id="${id}"]`);
  }

  /** The thread under a top-level message. */
  thread(id: string): Locator {
    return this.page.locator(`.item[data-message-id="${id}"] .thread`);
  }

  /** A message in a thread whose header contains `header`. */
  threadEntry(id: string, header: string | RegExp): Locator {
    return this.thread(id)
      .locator('.entry.bot')
      .filter({ has: this.page.locator('.msg-header', { hasText: header }) })
      .first();
  }

  /** Threads are collapsed to "N replies": opens one (as a person clicks it) unless it is open already. */
  async openThread(id: string): Promise<void> {
    const thread = this.thread(id);
    await thread.waitFor();
    if (await thread.evaluate((el) => el.classList.contains('collapsed'))) {
      await thread.locator('.replies-toggle').click();
    }
    await thread.locator('.thread-body').waitFor();
  }

  /** Clicks a button of the thread (opening it) by its label as soon as it appears and can be clicked. */
  async clickInThread(id: string, label: string, timeout: number): Promise<void> {
    await this.openThread(id);
    await this.thread(id).locator(`button[data-label="${label}"]`).click({ timeout });
  }

  /** Types a reply into the thread's reply box (opening the thread) and presses Enter. */
  async reply(id: string, text: string): Promise<void> {
    await this.openThread(id);
    const input = this.thread(id).locator('.reply-box input');
    await input.fill(text);
    await input.press('Enter');
  }
}
