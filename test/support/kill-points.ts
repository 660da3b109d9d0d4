/**
 * The kill points the code actually calls: every `kill('<step>:<point>')` of the kill switch in src/** and jobs/**
 * (wherever the pipeline's files live), read from the source, so the crash test derives its cases from the code
 * and not from a hand-kept copy.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

export interface KillCall {
  point: string;
  /** The calling file, relative to the repository root. */
  file: string;
}

/** `kill(` with a string literal (quoted or template) as its only argument. */
const CALL = /\bkill\(\s*(['"`])((?:(?!\1).)*)\1\s*\)/g;
const POINT = /^[a-z][a-z-]*:[a-z][a-z-]*$/;

function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

export interface KillScan {
  calls: KillCall[];
  /** Calls whose point is not a plain `<step>:<point>` literal (e.g. built with `${…}`): not derivable. */
  unreadable: KillCall[];
}

export function scanKillCalls(roots: string[] = ['src', 'jobs']): KillScan {
  const calls: KillCall[] = [];
  const unreadable: KillCall[] = [];
  for (const root of roots) {
    const files = readdirSync(join(ROOT, root), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .sort();
    for (const rel of files) {
      const file = `${root}/${rel}`;
      const text = withoutComments(readFileSync(join(ROOT, file), 'utf8'));
      for (const m of text.matchAll(CALL)) {
        const point = m[2]!;
        if (POINT.test(point)) calls.push({ point, file });
        // Signals (child.kill('SIGKILL')) are not kill points; anything else shaped like one but not literal is.
        else if (point.includes(':') || point.includes('${')) unreadable.push({ point, file });
      }
    }
  }
  return { calls, unreadable };
}
