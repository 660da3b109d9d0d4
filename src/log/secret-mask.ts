/**
 * The one secret masker (docs/architecture.md#secrets), beside the redacting logger. Pure:
 * every outward path (the logger's stream, the dispatcher's answers and the audit log) runs text through it. It
 * masks the process's own secrets by value (config.secrets) and credentials of any origin by their shape:
 * Slack tokens, Alibaba Cloud AccessKey ids and secrets, STS tokens, DingTalk app secrets, bearer tokens,
 * private keys and passwords in URLs. Every pattern is linear (no nested quantifiers): it runs on every log line
 * and on whatever people type into chat.
 */

export const REDACTED = '[REDACTED]';

/** Values shorter than this are not masked by value: too many ordinary words would go with them. */
const MIN_SECRET_LENGTH = 6;

type Rule = [pattern: RegExp, replace: (match: string, ...groups: string[]) => string];

/** Characters of a token-like value after a `secret`/`password` keyword. */
const VALUE = String.raw`[A-Za-z0-9_\-+/=.]`;

const RULES: Rule[] = [
  // PEM private keys, also cut short (no END line) or with the newlines escaped (a JSON log line).
  [
    /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?(?:-----END ([A-Z0-9]+ )*PRIVATE KEY-----|$)/g,
    () => `${REDACTED} private key`,
  ],
  // Slack tokens: bot, user, app-level, refresh and the like.
  [/\b(xox[abposre]|xapp)-[A-Za-z0-9-]{6,}/g, (_m, kind) => `${kind}-…${REDACTED}`],
  // Alibaba Cloud STS security tokens: long base64 starting with CAIS.
  [/\bCAIS[A-Za-z0-9+/=]{20,}/g, () => `CAIS…${REDACTED}`],
  // A 30-character AccessKey secret written right before an AccessKey id.
  [/(?<![A-Za-z0-9])[A-Za-z0-9]{30}(?=[\s:,;=/"'|]+LTAI[A-Za-z0-9]{12})/g, () => REDACTED],
  // An AccessKey id, and the 30-character secret written right after it.
  [
    /(?<![A-Za-z0-9])LTAI[A-Za-z0-9]{12,}(?:([\s:,;=/"'|]+)[A-Za-z0-9]{30}(?![A-Za-z0-9]))?/g,
    (_m, sep) => (sep === undefined ? `LTAI…${REDACTED}` : `LTAI…${REDACTED}${sep}${REDACTED}`),
  ],
  // Bearer tokens (Authorization headers pasted into chat or logs).
  [/\b(Bearer)\s+[A-Za-z0-9\-._~+/]{12,}=*/gi, (_m, word) => `${word} ${REDACTED}`],
  // Passwords in URLs: scheme://user:password@host.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi, (_m, head) => `${head}${REDACTED}@`],
  // After a secret keyword (clientSecret, AppSecret, app_secret, AccessKeySecret, secret, password) and = or :.
  [
    new RegExp(String.raw`\b([A-Za-z0-9_]*(?:secret|password|passwd))(\\?["']?\s*[:=]\s*\\?["']?)${VALUE}{6,}`, 'gi'),
    (_m, key, sep) => `${key}${sep}${REDACTED}`,
  ],
  // After a secret keyword and a space, a long value with a digit in it (a credential, not the next word).
  [
    new RegExp(String.raw`\b([A-Za-z0-9_]*secret)(\s+)(?=[A-Za-z_\-+/=.]*[0-9])${VALUE}{16,}`, 'gi'),
    (_m, key, sep) => `${key}${sep}${REDACTED}`,
  ],
];

/**
 * Replaces every known secret value (6+ characters) and every token-shaped credential in `text`, wherever a key,
 * a message or a person put it. Idempotent: masked text stays as it is.
 */
export function maskSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= MIN_SECRET_LENGTH && out.includes(s)) out = out.split(s).join(REDACTED);
  for (const [pattern, replace] of RULES) out = out.replace(pattern, replace as (m: string) => string);
  return out;
}

/** `maskSecrets` bound to the process's secrets (config.secrets): what the dispatcher and the audit log apply. */
export function secretMasker(secrets: readonly string[] = []): (text: string) => string {
  // Longest first, so a secret that contains another is masked whole.
  const values = secrets.filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  return (text) => maskSecrets(text, values);
}

/** Every string inside a JSON-like value (a chat message, an audit entry) through `mask`; the shape is kept. */
export function maskStrings<T>(value: T, mask: (text: string) => string): T {
  if (typeof value === 'string') return mask(value) as T;
  if (Array.isArray(value)) return value.map((v) => maskStrings(v, mask)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = maskStrings(v, mask);
    return out as T;
  }
  return value;
}
