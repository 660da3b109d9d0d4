/** Label selectors as Kubernetes evaluates them (structured and the `a=b,c!=d,e in (x,y),!f` string form). */

export interface Requirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

export interface StructuredSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

export function requirementsOf(selector: StructuredSelector | undefined): Requirement[] {
  const out: Requirement[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {}))
    out.push({ key, operator: 'In', values: [value] });
  for (const e of selector?.matchExpressions ?? []) {
    out.push({ key: e.key, operator: e.operator as Requirement['operator'], values: e.values ?? [] });
  }
  return out;
}

export function matches(requirements: Requirement[], labels: Record<string, string> | undefined): boolean {
  for (const r of requirements) {
    const has = labels !== undefined && Object.hasOwn(labels, r.key);
    const value = has ? labels![r.key]! : undefined;
    switch (r.operator) {
      case 'In':
        if (!has || !r.values.includes(value!)) return false;
        break;
      case 'NotIn':
        if (has && r.values.includes(value!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

/**
 * Parses the query-string form (`app=web,tier!=db,env in (a,b),!legacy,team`). Throws an Error with a short
 * message on anything it cannot read; the HTTP layer turns that into a 400.
 */
export function parseSelector(text: string | undefined): Requirement[] {
  const out: Requirement[] = [];
  if (!text) return out;
  for (const part of splitTopLevel(text)) {
    const s = part.trim();
    if (s === '') continue;
    let m = /^([A-Za-z0-9_./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(s);
    if (m) {
      const values = m[3]!
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      out.push({ key: m[1]!, operator: m[2] === 'in' ? 'In' : 'NotIn', values });
      continue;
    }
    m = /^([A-Za-z0-9_./-]+)\s*(==|=|!=)\s*([A-Za-z0-9_.-]*)$/.exec(s);
    if (m) {
      out.push({ key: m[1]!, operator: m[2] === '!=' ? 'NotIn' : 'In', values: [m[3]!] });
      continue;
    }
    m = /^(!?)([A-Za-z0-9_./-]+)$/.exec(s);
    if (m) {
      out.push({ key: m[2]!, operator: m[1] ? 'DoesNotExist' : 'Exists', values: [] });
      continue;
    }
    throw new Error(`unable to parse requirement: ${s}`);
  }
  return out;
}

/** Field selectors: `spec.nodeName=n1,metadata.name!=x` → [[field, op, value]]. */
export function parseFieldSelector(text: string | undefined): Array<{ field: string; equal: boolean; value: string }> {
  if (!text) return [];
  return text
    .split(',')
    .filter((p) => p.trim() !== '')
    .map((part) => {
      const m = /^\s*([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(part);
      if (!m) throw new Error(`invalid field selector: ${part}`);
      return { field: m[1]!, equal: m[2] !== '!=', value: m[3]! };
    });
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}
