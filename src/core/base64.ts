/**
 * Standard base64 (RFC 4648, with padding, no line breaks) of bytes and back. Browser-safe; used for
 * typed arrays in model JSON and for PNG data URIs in SVG plots.
 * @module
 */
import { FormatError } from './errors.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
let B64_INDEX: Int16Array | null = null;

/**
 * Standard base64 (RFC 4648, with padding) of bytes. O(n).
 * @example base64Encode(new TextEncoder().encode('foob')) // 'Zm9vYg=='
 */
export function base64Encode(bytes: Uint8Array): string {
  const codes = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  const alphabet = new Uint8Array(64);
  for (let k = 0; k < 64; k++) alphabet[k] = B64.charCodeAt(k);
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    codes[o++] = alphabet[n >> 18]!;
    codes[o++] = alphabet[(n >> 12) & 63]!;
    codes[o++] = alphabet[(n >> 6) & 63]!;
    codes[o++] = alphabet[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    codes[o++] = alphabet[n >> 18]!;
    codes[o++] = alphabet[(n >> 12) & 63]!;
    codes[o++] = rest === 2 ? alphabet[(n >> 6) & 63]! : 61;
    codes[o++] = 61;
  }
  return new TextDecoder('ascii').decode(codes);
}

/**
 * Decode standard base64 with padding.
 * @throws FormatError for a length that is not a multiple of 4 or a character outside the alphabet.
 */
export function base64Decode(text: string): Uint8Array {
  if (!B64_INDEX) {
    B64_INDEX = new Int16Array(128).fill(-1);
    for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;
  }
  const idx = B64_INDEX;
  if (text.length % 4 !== 0)
    throw new FormatError(`base64Decode: text: expected a length divisible by 4, received ${text.length}`);
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const c = text.charCodeAt(i + k);
      const isPad = c === 61 && i + k >= text.length - pad;
      const v = isPad ? 0 : c < 128 ? idx[c]! : -1;
      if (v < 0) throw new FormatError(`base64Decode: text[${i + k}]: invalid base64 character`);
      n = (n << 6) | v;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}
