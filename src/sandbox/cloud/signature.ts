/**
 * ACS3-HMAC-SHA256 (signature v3) verification as the Alibaba Cloud POP gateway does it, for the sandbox's CS
 * and ECS endpoints. Pure: no I/O, the clock and the nonce memory are passed in, so tests can pin them.
 *
 * The canonical request is rebuilt from what arrived on the wire, never from what the client claims: the query
 * is decoded and re-encoded (the SDK writes it with querystring.stringify, which leaves !'()* alone, but signs
 * the RFC 3986 form), the headers named in SignedHeaders are taken from the request, and the payload hash must
 * match the body.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseQuery } from 'node:querystring';

export const ALGORITHM = 'ACS3-HMAC-SHA256';
/** The gateway refuses a request whose x-acs-date is further than this from its clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export interface SignedRequest {
  method: string;
  /** The request target as received: path plus optional `?query`. */
  url: string;
  /** Header name (any case) → value; repeated headers as arrays. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer;
}

export interface VerifyOptions {
  /** The secret for an AccessKey id, or undefined when the key does not exist. */
  secretFor: (accessKeyId: string) => string | undefined;
  now: number;
  /** Returns false when the nonce was seen before (replay), true after remembering it. */
  useNonce?: (nonce: string, now: number) => boolean;
}

export type VerifyResult =
  | { ok: true; accessKeyId: string }
  | { ok: false; status: number; code: string; message: string };

/** encodeURIComponent plus the characters RFC 3986 reserves and JS leaves alone. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function headerValues(headers: SignedRequest['headers']): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const list = out.get(key) ?? [];
    for (const v of Array.isArray(value) ? value : [value]) list.push(v.trim());
    out.set(key, list);
  }
  return out;
}

export function canonicalQuery(rawQuery: string): string {
  const parsed = parseQuery(rawQuery);
  return Object.keys(parsed)
    .sort()
    .map((key) => {
      const value = parsed[key];
      // The SDK signs String(value); an array that querystring repeated was signed as its comma-joined form.
      const text = Array.isArray(value) ? value.join(',') : (value ?? '');
      return `${key}=${percentEncode(text)}`;
    })
    .join('&');
}

export interface CanonicalParts {
  method: string;
  url: string;
  headers: Map<string, string[]>;
  signedHeaders: string[];
  hashedPayload: string;
}

export function canonicalRequest(parts: CanonicalParts): string {
  const q = parts.url.indexOf('?');
  const path = q === -1 ? parts.url : parts.url.slice(0, q);
  const query = q === -1 ? '' : parts.url.slice(q + 1);
  const headerLines = parts.signedHeaders
    .map((name) => `${name}:${[...(parts.headers.get(name) ?? [])].sort().join(',')}\n`)
    .join('');
  return [
    parts.method.toUpperCase(),
    path || '/',
    canonicalQuery(query),
    headerLines,
    parts.signedHeaders.join(';'),
    parts.hashedPayload,
  ].join('\n');
}

export function stringToSign(canonical: string): string {
  return `${ALGORITHM}\n${sha256Hex(canonical)}`;
}

export function sign(secret: string, toSign: string): string {
  return createHmac('sha256', secret).update(toSign).digest('hex');
}

interface AuthorizationHeader {
  credential: string;
  signedHeaders: string[];
  signature: string;
}

export function parseAuthorization(value: string): AuthorizationHeader | undefined {
  const m = /^ACS3-HMAC-SHA256\s+(.*)$/.exec(value.trim());
  if (!m?.[1]) return undefined;
  const fields = new Map<string, string>();
  for (const part of m[1].split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signed = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || signed === undefined || !signature) return undefined;
  return { credential, signedHeaders: signed.split(';').filter(Boolean), signature };
}

function refuse(status: number, code: string, message: string): VerifyResult {
  return { ok: false, status, code, message };
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Parses `YYYY-MM-DDTHH:mm:ssZ` (what the SDK sends) strictly; anything else is NaN. */
function parseAcsDate(value: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value)) return Number.NaN;
  return Date.parse(value);
}

export function verifyAcs3(request: SignedRequest, options: VerifyOptions): VerifyResult {
  const headers = headerValues(request.headers);
  const authorization = headers.get('authorization')?.[0];
  if (!authorization) return refuse(400, 'MissingAuthorization', 'Authorization is mandatory for this action.');
  const auth = parseAuthorization(authorization);
  if (!auth) {
    return refuse(400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.');
  }
  const secret = options.secretFor(auth.credential);
  if (secret === undefined) return refuse(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');

  const date = headers.get('x-acs-date')?.[0];
  if (!date) return refuse(400, 'MissingTimestamp', 'x-acs-date is mandatory for this action.');
  const at = parseAcsDate(date);
  if (Number.isNaN(at))
    return refuse(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
  if (Math.abs(options.now - at) > MAX_CLOCK_SKEW_MS) {
    return refuse(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
  }
  const nonce = headers.get('x-acs-signature-nonce')?.[0];
  if (!nonce) return refuse(400, 'MissingSignatureNonce', 'x-acs-signature-nonce is mandatory for this action.');

  // Every x-acs-* header, host and content-type must be signed; a client that leaves one out is not v3.
  const mustSign = [...headers.keys()].filter((h) => h.startsWith('x-acs-') || h === 'host' || h === 'content-type');
  const missing = mustSign.filter((h) => !auth.signedHeaders.includes(h));
  if (missing.length > 0 || auth.signedHeaders.some((h) => h !== h.toLowerCase())) {
    return refuse(
      400,
      'IncompleteSignature',
      `The request signature does not conform to Aliyun standards. Unsigned headers: ${missing.join(',')}`,
    );
  }

  const bodyHash = sha256Hex(request.body);
  const claimedHash = headers.get('x-acs-content-sha256')?.[0];
  if (claimedHash !== undefined && claimedHash !== bodyHash) {
    return refuse(400, 'ContentSHA256NotMatch', 'The x-acs-content-sha256 header does not match the request body.');
  }
  const canonical = canonicalRequest({
    method: request.method,
    url: request.url,
    headers,
    signedHeaders: auth.signedHeaders,
    hashedPayload: claimedHash ?? bodyHash,
  });
  const toSign = stringToSign(canonical);
  if (!sameHex(sign(secret, toSign), auth.signature)) {
    return refuse(
      400,
      'SignatureDoesNotMatch',
      `Specified signature is not matched with our calculation. server string to sign is:${toSign}`,
    );
  }
  // The nonce is spent only by a request that proved it holds the secret, so nobody can burn someone else's.
  if (options.useNonce && !options.useNonce(nonce, options.now)) {
    return refuse(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
  }
  return { ok: true, accessKeyId: auth.credential };
}

/** Remembers nonces for the skew window (after that a replay is refused by its date anyway). */
export function createNonceMemory(): (nonce: string, now: number) => boolean {
  const seen = new Map<string, number>();
  let lastSweep = 0;
  return (nonce, now) => {
    if (now - lastSweep > 60_000) {
      for (const [n, t] of seen) if (now - t > MAX_CLOCK_SKEW_MS) seen.delete(n);
      lastSweep = now;
    }
    if (seen.has(nonce)) return false;
    seen.set(nonce, now);
    return true;
  };
}
