import { describe, expect, it } from 'vitest';
import { cleanupScript, parseCleanupOutput } from '../../../../src/domain/migration/cleanup.js';

describe('cleanup script', () => {
  it('removes the Docker directory only where dockerd no longer runs, and reports the bytes freed', () => {
    const script = cleanupScript();
    expect(script).toMatch(/systemctl is-active --quiet docker/);
    expect(script).toMatch(/rm -rf --one-file-system \/var\/lib\/docker\/\*/);
    expect(script).toMatch(/echo "freed_bytes=\$freed"/);
  });

  it('reads the bytes freed, a refusal, or an unexpected exit', () => {
    expect(parseCleanupOutput('freed_bytes=1234\n', 0)).toEqual({ ok: true, freedBytes: 1234 });
    expect(parseCleanupOutput('ack-migrate-error=dockerd is still running\n', 3)).toEqual({
      ok: false,
      reason: 'dockerd is still running',
    });
    expect(parseCleanupOutput('rm: cannot remove', 1)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('1'),
    });
  });
});
