import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseBasicAuth, sameCredentials, tallySignatureHeader, verifyTallySignature } from '../../src/domain/webhook-auth.js';

const SECRET = 'whsec_test';
const BODY = '{"id":"D-1","status":"won"}';
const T = 1_795_000_000;
/** Computed independently of the code under test. */
const HEX = createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex');

describe('verifyTallySignature', () => {
  it.each<[string, string | undefined, number, { ok: true; timestamp: number } | { ok: false; error: string }]>([
    ['a good signature', `t=${T},v1=${HEX}`, T, { ok: true, timestamp: T }],
    ['upper-case hex and spaces', `t=${T}, v1=${HEX.toUpperCase()}`, T, { ok: true, timestamp: T }],
    ['one good of two signatures (a rotation)', `t=${T},v1=${'0'.repeat(64)},v1=${HEX}`, T, { ok: true, timestamp: T }],
    ['300 s late: inside the window', `t=${T},v1=${HEX}`, T + 300, { ok: true, timestamp: T }],
    ['300 s early: inside the window', `t=${T},v1=${HEX}`, T - 300, { ok: true, timestamp: T }],
    [
      '301 s late',
      `t=${T},v1=${HEX}`,
      T + 301,
      { ok: false, error: 'The signature timestamp is more than 5 minutes from now: sign each delivery when it is sent.' },
    ],
    [
      '301 s early',
      `t=${T},v1=${HEX}`,
      T - 301,
      { ok: false, error: 'The signature timestamp is more than 5 minutes from now: sign each delivery when it is sent.' },
    ],
    [
      'another timestamp than signed',
      `t=${T + 1},v1=${HEX}`,
      T,
      { ok: false, error: 'The signature does not match the body and the source secret.' },
    ],
    [
      'a wrong signature',
      `t=${T},v1=${'a'.repeat(64)}`,
      T,
      { ok: false, error: 'The signature does not match the body and the source secret.' },
    ],
    ['no header', undefined, T, { ok: false, error: 'The X-Tally-Signature header is missing.' }],
    ['no timestamp', `v1=${HEX}`, T, { ok: false, error: 'The X-Tally-Signature header must read t=<unix seconds>,v1=<hex HMAC-SHA256>.' }],
    [
      'a short signature',
      `t=${T},v1=abc`,
      T,
      { ok: false, error: 'The X-Tally-Signature header must read t=<unix seconds>,v1=<hex HMAC-SHA256>.' },
    ],
    [
      'another scheme',
      `t=${T},v0=${HEX}`,
      T,
      { ok: false, error: 'The X-Tally-Signature header must read t=<unix seconds>,v1=<hex HMAC-SHA256>.' },
    ],
  ])('%s', (_name, header, now, expected) => {
    expect(verifyTallySignature(header, Buffer.from(BODY), SECRET, now)).toEqual(expected);
  });

  it('refuses a body changed by one byte', () => {
    expect(verifyTallySignature(`t=${T},v1=${HEX}`, Buffer.from(BODY.replace('won', 'wan')), SECRET, T)).toMatchObject({ ok: false });
  });

  it('writes the header a sender sends', () => {
    expect(tallySignatureHeader(SECRET, T, BODY)).toBe(`t=${T},v1=${HEX}`);
  });
});

describe('Basic credentials', () => {
  const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;
  it.each<[string | undefined, { user: string; password: string } | null]>([
    [basic('tally-pd:s3cret'), { user: 'tally-pd', password: 's3cret' }],
    [basic('u:pa:ss'), { user: 'u', password: 'pa:ss' }],
    [basic('no-colon'), null],
    ['Bearer abc', null],
    [undefined, null],
  ])('reads %j', (header, expected) => {
    expect(parseBasicAuth(header)).toEqual(expected);
  });

  it.each<[{ user: string; password: string } | null, boolean]>([
    [{ user: 'tally-pd', password: 's3cret' }, true],
    [{ user: 'tally-pd', password: 's3cre' }, false],
    [{ user: 'tally-p', password: 'ds3cret' }, false],
    [null, false],
  ])('compares %j', (given, expected) => {
    expect(sameCredentials(given, { user: 'tally-pd', password: 's3cret' })).toBe(expected);
  });
});
