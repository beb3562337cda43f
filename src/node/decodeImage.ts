/**
 * PNG and JPEG bytes to pixels (Node only: PNG decoding uses pngjs, which needs Node's `Buffer` and
 * `zlib`; JPEG decoding is jpeg-js). The pixel operations on the result are browser-safe, in
 * `data/images.ts`.
 * @module
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
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
 * Decode PNG or JPEG bytes (detected by their magic numbers) to 8-bit pixels.
 * PNG: gray (1 channel), gray+alpha (2), RGB (3), RGBA (4); palette images give 3 channels (4 if the
 * palette has transparency); 16-bit samples are rounded to 8 bits; 1/2/4-bit samples are scaled to
 * 0..255. JPEG: grayscale gives 1 channel, colour (YCbCr, CMYK) gives 3.
 * @returns `{ data: Uint8Array (HWC), width, height, channels }`. O(pixels).
 * @throws FormatError for an unknown format, a corrupt or truncated file (JPEG without its end marker),
 * or an image above `MAX_IMAGE_MEGAPIXELS`.
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
    if (width * height > MAX_IMAGE_MEGAPIXELS * 1e6) {
      throw new FormatError(
        `${fn}: bytes: expected at most ${MAX_IMAGE_MEGAPIXELS} megapixels, received ${width} x ${height}`,
      );
    }
    if (typeof Buffer === 'undefined') {
      throw new FormatError(
        `${fn}: bytes: expected a platform with Node's Buffer and zlib for PNG (pngjs), received none`,
      );
    }
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
