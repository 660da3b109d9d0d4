/**
 * The three PATCH flavours clients send for a node: JSON merge patch (RFC 7386), strategic merge patch (for
 * the node fields we serve — labels, annotations, unschedulable, taints — it merges like a merge patch: taints
 * carry no merge key in NodeSpec, so a list replaces the old one) and JSON patch (RFC 6902).
 */

export type PatchType = 'merge' | 'strategic' | 'json';

export function patchTypeOf(contentType: string | undefined): PatchType | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim();
  if (type === 'application/merge-patch+json') return 'merge';
  if (type === 'application/strategic-merge-patch+json') return 'strategic';
  if (type === 'application/json-patch+json') return 'json';
  return undefined;
}

export function applyPatch(target: unknown, patch: unknown, type: PatchType): unknown {
  if (type === 'json') return jsonPatch(target, patch);
  return mergePatch(target, patch, type === 'strategic');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function mergePatch(target: unknown, patch: unknown, strategic: boolean): unknown {
  if (!isObject(patch)) return patch;
  if (strategic && patch['$patch'] === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return rest;
  }
  if (strategic && patch['$patch'] === 'delete') return undefined;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    // Directives ($setElementOrder/…, $retainKeys, $deleteFromPrimitiveList/…) only order or prune lists we replace.
    if (strategic && key.startsWith('$')) continue;
    if (value === null) delete out[key];
    else {
      const merged = mergePatch(out[key], value, strategic);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    }
  }
  return out;
}

interface Operation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

function jsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw new PatchError('a JSON patch must be an array of operations');
  let doc = structuredClone(target);
  for (const raw of patch as Operation[]) {
    if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      throw new PatchError('each JSON patch operation needs op and path');
    }
    switch (raw.op) {
      case 'add':
        doc = setAt(doc, pointer(raw.path), structuredClone(raw.value), 'add');
        break;
      case 'replace':
        getAt(doc, pointer(raw.path));
        doc = setAt(doc, pointer(raw.path), structuredClone(raw.value), 'replace');
        break;
      case 'remove':
        getAt(doc, pointer(raw.path));
        doc = removeAt(doc, pointer(raw.path));
        break;
      case 'copy':
      case 'move': {
        const from = pointer(raw.from ?? '');
        const value = structuredClone(getAt(doc, from));
        if (raw.op === 'move') doc = removeAt(doc, from);
        doc = setAt(doc, pointer(raw.path), value, 'add');
        break;
      }
      case 'test':
        if (JSON.stringify(getAt(doc, pointer(raw.path))) !== JSON.stringify(raw.value)) {
          throw new PatchError(`test operation failed at ${raw.path}`);
        }
        break;
      default:
        throw new PatchError(`unknown JSON patch operation ${String((raw as { op: unknown }).op)}`);
    }
  }
  return doc;
}

export class PatchError extends Error {}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`invalid JSON pointer ${path}`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function getAt(doc: unknown, parts: string[]): unknown {
  let cur = doc;
  for (const p of parts) {
    if (Array.isArray(cur) && /^\d+$/.test(p) && Number(p) < cur.length) cur = cur[Number(p)];
    else if (isObject(cur) && Object.hasOwn(cur, p)) cur = cur[p];
    else throw new PatchError(`path /${parts.join('/')} does not exist`);
  }
  return cur;
}

function setAt(doc: unknown, parts: string[], value: unknown, mode: 'add' | 'replace'): unknown {
  if (parts.length === 0) return value;
  const parent = getAt(doc, parts.slice(0, -1));
  const last = parts[parts.length - 1]!;
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(index) || index > parent.length) throw new PatchError(`bad array index ${last}`);
    if (mode === 'add') parent.splice(index, 0, value);
    else parent[index] = value;
  } else if (isObject(parent)) parent[last] = value;
  else throw new PatchError(`cannot set /${parts.join('/')}`);
  return doc;
}

function removeAt(doc: unknown, parts: string[]): unknown {
  const parent = getAt(doc, parts.slice(0, -1));
  const last = parts[parts.length - 1]!;
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isObject(parent)) delete parent[last];
  return doc;
}
