/**
 * What a GET answers in, from its Accept header, as the apiserver negotiates it (docs/contracts.md#sandbox-api):
 * the object itself (`application/json`, `*\/*`, no header), a meta.k8s.io Table (`;as=Table;g=meta.k8s.io;v=v1`,
 * what kubectl asks for), or only the metadata (`;as=PartialObjectMetadata` for one object,
 * `;as=PartialObjectMetadataList` for a list, what metadata-only clients and the garbage collector ask for). The
 * first acceptable entry wins. An Accept the sandbox cannot answer (protobuf only, an unknown `as`, a transform
 * for the wrong shape) is a 406, as the apiserver answers it, never a silent fallback to the full object.
 */
export type Representation = 'object' | 'table' | 'metadata';

export interface Negotiated {
  as: Representation;
  /** The meta.k8s.io version of a Table or PartialObjectMetadata answer. */
  metaVersion: string;
}

const META_VERSIONS = new Set(['v1', 'v1beta1']);

export const NOT_ACCEPTABLE_MESSAGE =
  'only the following media types are accepted: application/json (the sandbox serves neither YAML nor protobuf)';

function isJson(type: string): boolean {
  return type === 'application/json' || type === 'application/*' || type === '*/*';
}

/** One Accept entry → what it asks for, or undefined when this server cannot answer it. */
function entry(text: string, list: boolean): Negotiated | undefined {
  const [typePart = '', ...paramParts] = text.split(';');
  const type = typePart.trim().toLowerCase();
  if (!isJson(type)) return undefined;
  const params = new Map<string, string>();
  for (const p of paramParts) {
    const eq = p.indexOf('=');
    if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim());
  }
  const as = params.get('as');
  if (as === undefined) return { as: 'object', metaVersion: 'v1' };
  const metaVersion = params.get('v') ?? '';
  if (params.get('g') !== 'meta.k8s.io' || !META_VERSIONS.has(metaVersion)) return undefined;
  if (as === 'Table') return { as: 'table', metaVersion };
  if (as === (list ? 'PartialObjectMetadataList' : 'PartialObjectMetadata')) return { as: 'metadata', metaVersion };
  return undefined;
}

/** The representation to answer in, or undefined for a 406. */
export function negotiate(accept: string | undefined, list: boolean): Negotiated | undefined {
  if (accept === undefined || accept.trim() === '') return { as: 'object', metaVersion: 'v1' };
  for (const part of accept.split(',')) {
    const wanted = entry(part, list);
    if (wanted) return wanted;
  }
  return undefined;
}

/** `{"kind":"PartialObjectMetadata",…}` of one object's metadata. */
export function partialObjectMetadataJson(metadata: unknown, metaVersion = 'v1'): string {
  return `{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/${metaVersion}","metadata":${JSON.stringify(metadata ?? {})}}`;
}
