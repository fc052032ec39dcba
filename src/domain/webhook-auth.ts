// How a delivery from a connected source proves where it came from. Pure: the time is an
// argument. A generic webhook signs `<t>.<raw body>` with HMAC-SHA256 under the source's secret
// (`X-Tally-Signature: t=<unix seconds>,v1=<hex>`); Pipedrive sends HTTP Basic credentials.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** A signature further than this from the receiver's clock is refused (a replay, or a bad clock). */
export const SIGNATURE_WINDOW_SECONDS = 5 * 60;

export type AuthCheck = { ok: true; timestamp: number } | { ok: false; error: string };

/** The header value a sender puts on `body` signed at `timestamp` (unix seconds). */
export function tallySignatureHeader(secret: string, timestamp: number, body: string | Buffer): string {
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, body)}`;
}

export function verifyTallySignature(header: string | undefined, body: Buffer, secret: string, nowSeconds: number): AuthCheck {
  if (!header) return { ok: false, error: 'The X-Tally-Signature header is missing.' };
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value = ''] = part.trim().split('=', 2);
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
  }
  if (timestamp === undefined || signatures.length === 0) {
    return { ok: false, error: 'The X-Tally-Signature header must read t=<unix seconds>,v1=<hex HMAC-SHA256>.' };
  }
  if (Math.abs(nowSeconds - timestamp) > SIGNATURE_WINDOW_SECONDS) {
    return { ok: false, error: 'The signature timestamp is more than 5 minutes from now: sign each delivery when it is sent.' };
  }
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  const matches = signatures.some((signature) => timingSafeEqual(Buffer.from(signature, 'hex'), expected));
  return matches ? { ok: true, timestamp } : { ok: false, error: 'The signature does not match the body and the source secret.' };
}

function hmacHex(secret: string, timestamp: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

export interface BasicCredentials {
  user: string;
  password: string;
}

/** The credentials of an `Authorization: Basic …` header, or null. */
export function parseBasicAuth(header: string | undefined): BasicCredentials | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Compares credentials in a time that does not depend on where they differ, nor on their length. */
export function sameCredentials(given: BasicCredentials | null, expected: BasicCredentials): boolean {
  if (!given) return false;
  const digest = (c: BasicCredentials) => createHash('sha256').update(`${c.user}\u0000${c.password}`).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
