// TOTP codes as an authenticator app computes them (RFC 6238: HOTP of RFC 4226 with the
// 30-second time step as the counter; HMAC-SHA-1, 6 digits), for signing staff in.

import { createHmac } from 'node:crypto';

export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Decodes RFC 4648 base32 (either case; spaces and trailing '=' ignored) to a Buffer. */
export function base32Decode(text) {
  const compact = text.replace(/[\s=]/g, '').toUpperCase();
  const bytes = [];
  let buffer = 0;
  let bits = 0;
  for (const char of compact) {
    const value = BASE32_ALPHABET.indexOf(char);
    if (value < 0) throw new Error(`not a base32 character: ${JSON.stringify(char)}`);
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** The time step of a moment given in ms since the epoch (default: now). */
export function totpStep(atMs = Date.now()) {
  return Math.floor(atMs / 1000 / TOTP_STEP_SECONDS);
}

/** The HOTP code (RFC 4226) of a key (Buffer) for a counter, as a zero-padded string. */
export function hotp(key, counter, digits = TOTP_DIGITS) {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The TOTP code of a base32 secret for a time step (default: the current one). */
export function totpCode(secretBase32, step = totpStep(), digits = TOTP_DIGITS) {
  return hotp(base32Decode(secretBase32), step, digits);
}
