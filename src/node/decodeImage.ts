/**
 * PNG and JPEG bytes to pixels (Node only: PNG decoding uses pngjs, which needs Node's `Buffer` and
 * `zlib`; JPEG decoding is jpeg-js). The pixel operations on the result are browser-safe, in
 * `data/images.ts`.
 * @module
 */

import { inflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { crc32 } from '../core/crc32.js';
import { FormatError } from '../core/errors.js';
import type { Image } from '../data/images.js';

/** Largest image decodeImage accepts, in megapixels (a guard against decompression bombs). */
export const MAX_IMAGE_MEGAPIXELS = 100;

function isPng(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47
  );
}

function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** Number of colour components in a JPEG's start-of-frame header, or 0 if none is found. */
function jpegComponents(bytes: Uint8Array): number {
  let p = 2;
  while (p + 4 <= bytes.length) {
    if (bytes[p] !== 0xff) return 0;
    const marker = bytes[p + 1]!;
    if (marker === 0xff) {
      p++;
      continue;
    }
    const length = (bytes[p + 2]! << 8) | bytes[p + 3]!;
    const sof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (sof) return p + 9 < bytes.length ? bytes[p + 9]! : 0;
    if (marker === 0xda) return 0;
    p += 2 + length;
  }
  return 0;
}

/** True if the JPEG's last marker is EOI (FF D9), allowing trailing padding bytes. */
function jpegHasEnd(bytes: Uint8Array): boolean {
  for (let i = bytes.length - 2; i >= Math.max(2, bytes.length - 4096); i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  }
  return false;
}

/**
 * Largest ratio of scanline bytes to compressed IDAT bytes a PNG may claim. Deflate cannot compress
 * better than about 1032:1, so a header that claims more pixels than its payload can hold is refused
 * before anything is allocated.
 */
const MAX_DEFLATE_RATIO = 1100;

const PNG_DEPTHS: Readonly<Record<number, readonly number[]>> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};
const PNG_SAMPLES: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const ADAM7: readonly (readonly [number, number, number, number])[] = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

/** Bytes of filtered scanlines (one filter byte per row) a PNG of this header decompresses to. */
function pngScanlineBytes(width: number, height: number, bitsPerPixel: number, interlaced: boolean): number {
  const rows = (w: number, h: number) => (w > 0 && h > 0 ? h * (Math.ceil((w * bitsPerPixel) / 8) + 1) : 0);
  if (!interlaced) return rows(width, height);
  let total = 0;
  for (const [x0, y0, dx, dy] of ADAM7)
    total += rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy));
  return total;
}

/**
 * Walk a PNG's chunks and check its structure before pngjs sees it: every chunk inside the file with a
 * valid CRC, IHDR first with a valid depth/colour type, no unknown critical chunk, at least one IDAT,
 * IEND present; the claimed size is capped against the IDAT payload (deflate ratio) before allocating,
 * and the IDAT data must inflate to exactly the claimed number of scanline bytes, each row starting with
 * a valid filter type. pngjs alone would accept missing scanlines (leaving uninitialised memory in the
 * pixels) and skip an IDAT whose type byte was flipped (an all-zero image).
 */
function checkPngStructure(bytes: Uint8Array, fn: string): void {
  const bad = (detail: string) =>
    new FormatError(`${fn}: bytes: expected a valid PNG, received a corrupt or truncated one (${detail})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let off = 8;
  let header: { width: number; height: number; bpp: number; interlaced: boolean } | undefined;
  const idat: Uint8Array[] = [];
  let idatBytes = 0;
  let ended = false;
  while (off < bytes.length) {
    if (off + 12 > bytes.length) throw bad(`chunk header at byte ${off} cut off`);
    const length = view.getUint32(off);
    const type = String.fromCharCode(...bytes.subarray(off + 4, off + 8));
    if (length > bytes.length - off - 12) throw bad(`chunk ${JSON.stringify(type)} at byte ${off} cut off`);
    const end = off + 8 + length;
    if (crc32(bytes.subarray(off + 4, end)) !== view.getUint32(end))
      throw bad(`CRC mismatch in chunk ${JSON.stringify(type)} at byte ${off}`);
    if (header === undefined && type !== 'IHDR') throw bad(`first chunk ${JSON.stringify(type)}, not IHDR`);
    if (type === 'IHDR') {
      if (header !== undefined || length !== 13) throw bad('a second IHDR or one not of 13 bytes');
      const width = view.getUint32(off + 8);
      const height = view.getUint32(off + 12);
      const depth = bytes[off + 16]!;
      const colorType = bytes[off + 17]!;
      const interlace = bytes[off + 20]!;
      if (width < 1 || height < 1) throw bad(`size ${width} x ${height}`);
      if (!PNG_DEPTHS[colorType]?.includes(depth))
        throw bad(`bit depth ${depth} with colour type ${colorType}`);
      if (bytes[off + 18] !== 0 || bytes[off + 19] !== 0 || interlace > 1)
        throw bad('unknown compression, filter or interlace method');
      header = { width, height, bpp: PNG_SAMPLES[colorType]! * depth, interlaced: interlace === 1 };
    } else if (type === 'IDAT') {
      idat.push(bytes.subarray(off + 8, end));
      idatBytes += length;
    } else if (type === 'IEND') {
      ended = true;
      break;
    } else if (type !== 'PLTE' && (bytes[off + 4]! & 0x20) === 0) {
      throw bad(`unknown critical chunk ${JSON.stringify(type)} at byte ${off}`);
    }
    off = end + 4;
  }
  if (header === undefined) throw bad('no IHDR chunk');
  if (!ended) throw bad('no IEND chunk');
  if (idatBytes === 0) throw bad('no image data (IDAT)');
  const { width, height, bpp, interlaced } = header;
  if (width * height > MAX_IMAGE_MEGAPIXELS * 1e6)
    throw new FormatError(
      `${fn}: bytes: expected at most ${MAX_IMAGE_MEGAPIXELS} megapixels, received ${width} x ${height}`,
    );
  const expected = pngScanlineBytes(width, height, bpp, interlaced);
  if (expected > MAX_DEFLATE_RATIO * idatBytes + 1024)
    throw bad(
      `header claims ${width} x ${height} pixels (${expected} bytes of scanlines) but the image data holds ` +
        `${idatBytes} compressed bytes, at most ${MAX_DEFLATE_RATIO} x that`,
    );
  const joined = new Uint8Array(idatBytes);
  let at = 0;
  for (const part of idat) {
    joined.set(part, at);
    at += part.length;
  }
  let raw: Uint8Array;
  try {
    raw = inflateSync(joined, { maxOutputLength: expected + 1 });
  } catch (e) {
    throw bad(`image data does not inflate to ${expected} bytes: ${(e as Error).message}`);
  }
  if (raw.length !== expected)
    throw bad(`image data inflates to ${raw.length} bytes, expected ${expected} (${height} scanlines)`);
  if (!interlaced) {
    const rowBytes = expected / height;
    for (let y = 0; y < height; y++)
      if (raw[y * rowBytes]! > 4) throw bad(`scanline ${y} has filter type ${raw[y * rowBytes]}`);
  }
}

/**
 * Decode PNG or JPEG bytes (detected by their magic numbers) to 8-bit pixels.
 * PNG: gray (1 channel), gray+alpha (2), RGB (3), RGBA (4); palette images give 3 channels (4 if the
 * palette has transparency); 16-bit samples are rounded to 8 bits; 1/2/4-bit samples are scaled to
 * 0..255. JPEG: grayscale gives 1 channel, colour (YCbCr, CMYK) gives 3.
 * @returns `{ data: Uint8Array (HWC), width, height, channels }`. O(pixels).
 * @throws FormatError for an unknown format, a corrupt or truncated file (JPEG without its end marker;
 * PNG: a chunk cut off or with a bad CRC, an unknown critical chunk, missing IDAT/IEND, image data that
 * does not inflate to exactly the scanlines the header claims), a PNG header claiming more pixels than
 * its compressed payload can hold (checked before allocating), or an image above `MAX_IMAGE_MEGAPIXELS`.
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { decodeImage } from 'coarsegrain/node';
 * const { data, width, height, channels } = decodeImage(await readFile('photo.png')); // PNG or JPEG bytes
 * // data: Uint8Array of height x width x channels values in 0..255
 * ```
 */
export function decodeImage(bytes: Uint8Array): Image<Uint8Array> {
  const fn = 'decodeImage';
  if (!(bytes instanceof Uint8Array))
    throw new FormatError(`${fn}: bytes: expected a Uint8Array, received ${typeof bytes}`);
  if (isPng(bytes)) {
    if (bytes.length < 33)
      throw new FormatError(
        `${fn}: bytes: expected a PNG header of 33 bytes, received ${bytes.length} (truncated file)`,
      );
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const width = view.getUint32(16);
    const height = view.getUint32(20);
    const colorType = bytes[25]!;
    if (typeof Buffer === 'undefined') {
      throw new FormatError(
        `${fn}: bytes: expected a platform with Node's Buffer and zlib for PNG (pngjs), received none`,
      );
    }
    checkPngStructure(bytes, fn);
    let png: { width: number; height: number; data: Uint8Array };
    try {
      png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (e) {
      throw new FormatError(
        `${fn}: bytes: expected a valid PNG, received a corrupt or truncated one (${(e as Error).message})`,
        {
          cause: e,
        },
      );
    }
    const rgba = png.data;
    const n = width * height;
    let channels = colorType === 0 ? 1 : colorType === 4 ? 2 : colorType === 6 ? 4 : 3;
    if (colorType === 3) {
      for (let i = 0; i < n; i++) {
        if (rgba[4 * i + 3] !== 255) {
          channels = 4;
          break;
        }
      }
    }
    const data = new Uint8Array(n * channels);
    const pick = channels === 1 ? [0] : channels === 2 ? [0, 3] : channels === 3 ? [0, 1, 2] : [0, 1, 2, 3];
    for (let i = 0; i < n; i++)
      for (let c = 0; c < channels; c++) data[i * channels + c] = rgba[4 * i + pick[c]!]!;
    return { data, width, height, channels };
  }
  if (isJpeg(bytes)) {
    if (!jpegHasEnd(bytes)) {
      throw new FormatError(
        `${fn}: bytes: expected a JPEG ending with the EOI marker FF D9, received none (truncated file)`,
      );
    }
    let img: { width: number; height: number; data: Uint8Array };
    try {
      img = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: false,
        maxResolutionInMP: MAX_IMAGE_MEGAPIXELS,
        maxMemoryUsageInMB: 2048,
      });
    } catch (e) {
      throw new FormatError(
        `${fn}: bytes: expected a valid JPEG, received a corrupt one (${(e as Error).message})`,
        { cause: e },
      );
    }
    const { width, height } = img;
    if (jpegComponents(bytes) === 1) {
      const data = new Uint8Array(width * height);
      for (let i = 0; i < data.length; i++) data[i] = img.data[3 * i]!;
      return { data, width, height, channels: 1 };
    }
    return { data: img.data, width, height, channels: 3 };
  }
  const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new FormatError(
    `${fn}: bytes: expected a PNG (89 50 4e 47) or JPEG (ff d8 ff) file, received bytes starting ${head || '(empty)'}`,
  );
}
