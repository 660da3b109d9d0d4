/**
 * Where a scenario's `manifestFiles` may point (docs/contracts.md#scenario-file-format): relative paths that stay
 * inside the scenario file's folder, after symlinks are resolved. Absolute paths, `..` escapes and symlinks that
 * lead out of the folder are refused before anything is read.
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

export type ManifestPath = { ok: true; path: string } | { ok: false; reason: string };

/** The real path of `entry` under `baseDir`, or why it may not be read. */
export function resolveManifestPath(baseDir: string, entry: string): ManifestPath {
  const shown = JSON.stringify(entry.length > 200 ? `${entry.slice(0, 200)}…` : entry);
  if (isAbsolute(entry))
    return { ok: false, reason: `${shown} is an absolute path (paths are relative to the scenario's folder)` };
  if (entry.includes('\0')) return { ok: false, reason: `${shown} is not a path` };
  const base = realOrSelf(baseDir);
  const lexical = resolve(base, entry);
  if (!inside(base, lexical)) return { ok: false, reason: `${shown} is outside the scenario's folder` };
  let real: string;
  try {
    real = realpathSync(lexical);
  } catch (error) {
    return { ok: false, reason: `cannot read ${lexical}: ${(error as NodeJS.ErrnoException).code ?? 'error'}` };
  }
  if (!inside(base, real)) return { ok: false, reason: `${shown} is outside the scenario's folder (a symlink)` };
  if (!statSync(real).isFile()) return { ok: false, reason: `${shown} is not a file` };
  return { ok: true, path: real };
}

function realOrSelf(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return resolve(dir);
  }
}

function inside(base: string, path: string): boolean {
  const rel = relative(base, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}
