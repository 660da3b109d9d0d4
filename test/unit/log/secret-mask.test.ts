import { describe, expect, it } from 'vitest';
import { maskSecrets, maskStrings, secretMasker } from '../../../src/log/secret-mask.js';

const KEY = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
  '-----END RSA PRIVATE KEY-----',
].join('\n');

describe('maskSecrets', () => {
  it.each([
    [
      'slack bot token',
      'token xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx ok',
      'AbCdEfGhIjKl',
      'xoxb-…[REDACTED]',
    ],
    ['slack user token', 'xoxp-1234-5678-9012-abcdef0123456789', '9012-abcdef', 'xoxp-…[REDACTED]'],
    ['slack app token', 'SLACK_APP_TOKEN=xapp-1-A0123456789-1234567890-abcdef', 'A0123456789', 'xapp-…[REDACTED]'],
    ['AccessKey id', 'id LTAI5tAbCdEfGhIjKlMnOpQr here', 'AbCdEfGhIjKl', 'id LTAI…[REDACTED] here'],
    [
      'AccessKey id then secret',
      'LTAI5tAbCdEfGhIjKlMnOpQr 0123456789abcdefABCDEF01234567',
      '0123456789abcdef',
      'LTAI…[REDACTED] [REDACTED]',
    ],
    [
      'AccessKey secret then id',
      '0123456789abcdefABCDEF01234567:LTAI5tAbCdEfGhIjKlMnOpQr',
      '0123456789abcdef',
      '[REDACTED]:LTAI…[REDACTED]',
    ],
    [
      'AccessKeySecret keyword',
      'AccessKeySecret=0123456789abcdefABCDEF01234567',
      '0123456789',
      'AccessKeySecret=[REDACTED]',
    ],
    [
      'secret keyword and a space',
      'my secret 0123456789abcdefABCDEF01234567 please',
      '0123456789',
      'my secret [REDACTED] please',
    ],
    [
      'DingTalk clientSecret',
      '{"clientSecret": "Hs6kqL2pZ-x9_8Wq0aB7cD6eF5gH4iJ3"}',
      'Hs6kqL2pZ',
      '"clientSecret": "[REDACTED]"',
    ],
    ['DingTalk AppSecret', 'AppSecret: dingsecretvalue12345', 'dingsecretvalue', 'AppSecret: [REDACTED]'],
    ['app_secret', 'app_secret=abcdef123456', 'abcdef123456', 'app_secret=[REDACTED]'],
    ['bearer token', 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', 'eyJhbGci', 'Bearer [REDACTED]'],
    ['STS token', 'CAIS1234abcdEFGH5678ijklMNOP9012qrst==', 'abcdEFGH', 'CAIS…[REDACTED]'],
    ['private key', `key:\n${KEY}\nend`, 'MIIEowIBAAKC', '[REDACTED] private key'],
    ['private key cut short', KEY.slice(0, 60), 'MIIEow', '[REDACTED] private key'],
    ['private key in a JSON line', JSON.stringify({ msg: KEY }), 'MIIEowIBAAKC', '[REDACTED] private key'],
    [
      'password in a URL',
      'connecting to redis://ackm:s3cret-pw@10.0.0.1:6379/0',
      's3cret-pw',
      'redis://ackm:[REDACTED]@10.0.0.1',
    ],
  ])('masks a %s', (_name, text, secret, shown) => {
    const out = maskSecrets(text);
    expect(out).not.toContain(secret);
    expect(out).toContain(shown);
  });

  it('masks the process secrets by value, longest first, and leaves short values alone', () => {
    const mask = secretMasker(['abc', '4a1153147e4d181a', '4a1153147e4d181a1f693a42fe957eba']);
    expect(mask('start 4a1153147e4d181a1f693a42fe957eba abc')).toBe('start [REDACTED] abc');
  });

  it.each([
    'how long does a batch take on pool-a?',
    'what is the signing secret used for',
    'where do I put the client secret configuration',
    'redis://127.0.0.1:6379 and https://example.com:8443/path@x',
    '/migrate start pool-a --max-parallel 2 --soak 10m',
    'secret: none',
    '"password":"[REDACTED]"',
    'xoxb- is how bot tokens start',
  ])('leaves ordinary text alone: %s', (text) => {
    expect(maskSecrets(text)).toBe(text);
  });

  it('is idempotent', () => {
    const once = maskSecrets(`xoxb-1234567890-abcdef LTAI5tAbCdEfGhIjKlMnOpQr secret=abcdef123456 ${KEY}`);
    expect(maskSecrets(once)).toBe(once);
  });

  it('stays linear on long hostile input', () => {
    const hostile = [
      'secret '.repeat(5000),
      'a'.repeat(50_000),
      `-----BEGIN PRIVATE KEY-----${'x'.repeat(50_000)}`,
      `LTAI${'a'.repeat(50_000)}`,
    ];
    const started = performance.now();
    for (const text of hostile) maskSecrets(text);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('maskStrings', () => {
  it('masks every string of a JSON-like value and keeps its shape', () => {
    const value = { text: 'xoxb-1234567890-abcdef', n: 3, blocks: [{ text: { text: 'secret=abcdef123456' } }] };
    expect(maskStrings(value, (t) => maskSecrets(t))).toEqual({
      text: 'xoxb-…[REDACTED]',
      n: 3,
      blocks: [{ text: { text: 'secret=[REDACTED]' } }],
    });
  });
});
