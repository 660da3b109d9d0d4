import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI the way a user does: `node bin/ack-migrate.js …`. */
async function cli(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/ack-migrate.js', ...args], {
      cwd: root,
      timeout: 50_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function json(r: CliResult): Record<string, unknown> {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

// Sequential on purpose: each run starts tsx, and the machine has two cores.
describe('ack-migrate faq', { timeout: 60_000 }, () => {
  it('answers "迁移后可以回滚吗" with rollback, in Chinese', async () => {
    const out = json(await cli('faq', '迁移后可以回滚吗', '--json'));
    expect(Object.keys(out).sort()).toEqual(['answer', 'confidence', 'lang', 'topic']);
    expect(out).toMatchObject({ topic: 'rollback', lang: 'zh' });
    expect(out.answer).toMatch(/不支持回退/);
    expect(out.confidence).toBeGreaterThan(0);
    expect(out.confidence).toBeLessThanOrEqual(1);
  });

  it('answers the node IP question with ip-change, in English', async () => {
    const out = json(await cli('faq', 'Will the node IP change after the runtime upgrade?', '--json'));
    expect(out).toMatchObject({ topic: 'ip-change', lang: 'en' });
    expect(out.answer).toMatch(/IP address stays the same/);
  });

  it('answers none for the weather, listing what it can answer', async () => {
    const out = json(await cli('faq', "what's the weather tomorrow", '--json'));
    expect(out.topic).toBe('none');
    expect(out.answer).toMatch(/I can answer questions about:\n- /);
  });

  it('prints the plain answer without --json, and takes an unquoted question', async () => {
    const r = await cli('faq', 'docker', 'ps', '用什么代替');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('`docker ps` → `crictl ps`');
    expect(r.stdout.trimStart().startsWith('{')).toBe(false);
  });

  it('refuses an empty question with one line on stderr and exit 2', async () => {
    const runs = await Promise.all([cli('faq', ''), cli('faq', '   ', '--json'), cli('faq')]);
    for (const r of runs) {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/faq needs a question/);
    }
  });
});
