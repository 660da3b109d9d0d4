import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createConsolePlatform } from '../../../../src/chat/console/console-platform.js';

describe('console channel across a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ack-migrate-console-'));
  const file = join(dir, 'console.json');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps messages, threads and ids, so the restarted bot can still edit and thread under them', async () => {
    const first = createConsolePlatform({ stateFile: file }).platform;
    const parent = await first.post({ channel: 'console' }, { text: 'Migration of pool-a: running' });
    const reply = await first.post(
      { channel: 'console', threadId: parent.messageId },
      { text: 'Batch 2 awaits approval' },
    );
    await first.stop();

    const second = createConsolePlatform({ stateFile: file }).platform;
    expect(second.state().map((e) => e.message.text)).toEqual([
      'Migration of pool-a: running',
      'Batch 2 awaits approval',
    ]);
    await second.update(parent, { text: 'Migration of pool-a: completed' });
    const next = await second.post({ channel: 'console', threadId: parent.messageId }, { text: 'Batch 3 done' });
    expect(next.messageId).not.toBe(parent.messageId);
    expect(next.messageId).not.toBe(reply.messageId);
    const entries = second.state();
    expect(entries.find((e) => e.id === parent.messageId)?.message.text).toBe('Migration of pool-a: completed');
    expect(entries.find((e) => e.id === next.messageId)?.threadId).toBe(parent.messageId);
    // Versions keep growing, so an open page accepts the new messages without a reload.
    const oldMax = Math.max(
      ...entries.filter((e) => e.id !== next.messageId && e.id !== parent.messageId).map((e) => e.version),
    );
    expect(entries.find((e) => e.id === next.messageId)!.version).toBeGreaterThan(oldMax);
    await second.stop();
  });
});
