import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../src/core/crc32.js';
import { FormatError } from '../../src/core/errors.js';
import { decodeImage } from '../../src/node/decodeImage.js';

/** One PNG chunk: length, type, data, CRC over type + data. */
function chunk(type: string, data: Uint8Array, badCrc = false): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, (crc32(out.subarray(4, 8 + data.length)) ^ (badCrc ? 1 : 0)) >>> 0);
  return out;
}

function ihdr(width: number, height: number): Uint8Array {
  const d = new Uint8Array(13);
  const v = new DataView(d.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  d[8] = 8; // depth
  d[9] = 0; // gray
  return d;
}

/** A gray 8-bit PNG of `width` x `height` whose IDAT holds `rows` filtered scanlines of value 100 + y. */
function grayPng(width: number, height: number, rows = height, claimed = { width, height }): Uint8Array {
  const raw = new Uint8Array(rows * (width + 1));
  for (let y = 0; y < rows; y++) raw.fill(100 + y, y * (width + 1) + 1, (y + 1) * (width + 1));
  const parts = [
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk('IHDR', ihdr(claimed.width, claimed.height)),
    chunk('IDAT', new Uint8Array(deflateSync(raw))),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Byte offset of the IDAT chunk's type field. */
function idatTypeOffset(png: Uint8Array): number {
  for (let i = 8; i + 4 <= png.length; i++)
    if (png[i] === 0x49 && png[i + 1] === 0x44 && png[i + 2] === 0x41 && png[i + 3] === 0x54) return i;
  throw new Error('no IDAT');
}

describe('decodeImage: PNG structure is checked, not trusted', () => {
  it('decodes the hand-built reference PNG exactly (the builder is right)', () => {
    const img = decodeImage(grayPng(5, 4));
    expect(img).toMatchObject({ width: 5, height: 4, channels: 1 });
    expect(Array.from(img.data)).toEqual([
      ...Array(5).fill(100),
      ...Array(5).fill(101),
      ...Array(5).fill(102),
      ...Array(5).fill(103),
    ]);
  });

  it('refuses 2 of 4 scanlines (zlib and CRC valid) instead of returning uninitialised pixels', () => {
    expect(() => decodeImage(grayPng(5, 4, 2))).toThrow(
      /decodeImage: bytes: expected a valid PNG, received a corrupt or truncated one \(image data inflates to 12 bytes, expected 24 \(4 scanlines\)\)/,
    );
  });

  it('refuses a header claiming 10000 x 10000 over a tiny payload before allocating', () => {
    const bomb = grayPng(4, 4, 4, { width: 10000, height: 10000 });
    expect(bomb.length).toBeLessThan(120);
    expect(() => decodeImage(bomb)).toThrow(FormatError);
    expect(() => decodeImage(bomb)).toThrow(
      /header claims 10000 x 10000 pixels \(100010000 bytes of scanlines\)/,
    );
  });

  it('refuses every single-bit flip of the IDAT type byte (CRC mismatch or unknown critical chunk)', () => {
    const good = grayPng(5, 4);
    const at = idatTypeOffset(good);
    for (let byte = 0; byte < 4; byte++)
      for (let bit = 0; bit < 8; bit++) {
        const bad = good.slice();
        bad[at + byte]! ^= 1 << bit;
        expect(() => decodeImage(bad)).toThrow(FormatError);
      }
  });

  it('corrupted image data with a recomputed CRC is refused or decodes to the exact original pixels', () => {
    // A flip in the unused padding bits of the last deflate byte leaves the stream's output unchanged:
    // that file is as good as the original. Every other flip must be refused (zlib's Adler-32, filter types).
    const good = grayPng(5, 4);
    const original = Array.from(decodeImage(good).data);
    const at = idatTypeOffset(good);
    const length = new DataView(good.buffer).getUint32(at - 4);
    let refused = 0;
    for (let k = 2; k < length; k++) {
      const bad = good.slice();
      bad[at + 4 + k]! ^= 0x10;
      const crc = crc32(bad.subarray(at, at + 4 + length));
      new DataView(bad.buffer).setUint32(at + 4 + length, crc);
      try {
        expect(Array.from(decodeImage(bad).data)).toEqual(original);
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
        refused++;
      }
    }
    expect(refused).toBeGreaterThanOrEqual(length - 3);
  });

  it('refuses a PNG whose IEND is missing and one with a chunk cut off', () => {
    const good = grayPng(5, 4);
    expect(() => decodeImage(good.subarray(0, good.length - 12))).toThrow(/no IEND chunk/);
    expect(() => decodeImage(good.subarray(0, good.length - 20))).toThrow(/cut off/);
  });
});
