/**
 * A minimal, dependency-free PNG encoder for plots (8-bit grayscale or RGB, deflate "stored" blocks,
 * i.e. uncompressed). Browser-safe and deterministic; used to embed image grids in SVG as data URIs.
 * @module
 */
import { crc32 } from '../core/crc32.js';
import { checkBytes, checkInteger, domainError, shapeError } from '../core/validate.js';

/**
 * 8-bit pixels with their shape, as a PNG holds them: `data` row-major, `channels` bytes per pixel.
 * Structurally the same as data's `Image<Uint8Array>` with 1 or 3 channels, so a decoded or resized
 * image passes as it is, and its shape travels with its bytes.
 */
export interface PngImage {
  /** Row-major pixels, length width * height * channels (one palette index per pixel with a palette). */
  readonly data: Uint8Array;
  /** Pixels per row. */
  readonly width: number;
  /** Rows. */
  readonly height: number;
  /** 1 (gray, or palette indices) or 3 (RGB). */
  readonly channels: 1 | 3;
}

/**
 * Encode 8-bit pixels as a PNG file.
 * @param image the pixels and their shape (see {@link PngImage}); with a `palette`, one palette index
 * per pixel (channels must be 1).
 * @param palette optional RGB palette (3 bytes per entry, at most 256 entries): writes an indexed PNG,
 * a third of the size of RGB.
 * @returns PNG bytes, about width*height*channels + height + 70 bytes (no compression). O(n).
 * @throws ShapeError if the data length does not match the shape; DomainError for a missing image, bad
 * sizes, channels, palette or an index beyond the palette.
 * @example
 * ```ts
 * import { encodePng } from 'coarsegrain';
 * // a 2 x 2 gray checkerboard, PNG bytes
 * const png = encodePng({ data: Uint8Array.of(0, 255, 255, 0), width: 2, height: 2, channels: 1 });
 * ```
 */
export function encodePng(image: PngImage, palette?: Uint8Array): Uint8Array {
  if (!image || typeof image !== 'object' || ArrayBuffer.isView(image))
    throw domainError('encodePng: image', 'an image { data, width, height, channels }', image);
  const { data: pixels, width, height, channels } = image;
  checkBytes(pixels, 'encodePng: image.data');
  checkInteger(width, 'encodePng: image.width', 1);
  checkInteger(height, 'encodePng: image.height', 1);
  if (channels !== 1 && channels !== 3) throw domainError('encodePng: image.channels', '1 or 3', channels);
  if (pixels.length !== width * height * channels) {
    throw shapeError(
      'encodePng: image.data',
      `${width * height * channels} bytes (${width} x ${height} x ${channels})`,
      `${pixels.length}`,
    );
  }
  if (palette !== undefined) {
    if (channels !== 1) throw domainError('encodePng: image.channels', '1 with a palette', channels);
    if (palette.length % 3 !== 0 || palette.length === 0 || palette.length > 768) {
      throw shapeError('encodePng: palette', '3 to 768 bytes, a multiple of 3', `${palette.length}`);
    }
    const entries = palette.length / 3;
    for (let i = 0; i < pixels.length; i++) {
      if (pixels[i]! >= entries)
        throw domainError(`encodePng: image.data[${i}]`, `a palette index < ${entries}`, pixels[i]);
    }
  }
  const rowBytes = width * channels + 1;
  const raw = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++)
    raw.set(pixels.subarray(y * width * channels, (y + 1) * width * channels), y * rowBytes + 1);
  const blocks = Math.max(1, Math.ceil(raw.length / 65535));
  const zlibLength = 2 + raw.length + 5 * blocks + 4;
  const paletteChunk = palette ? 12 + palette.length : 0;
  const out = new Uint8Array(8 + 25 + paletteChunk + 12 + zlibLength + 12);
  const view = new DataView(out.buffer);
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0);
  let p = 8;
  const chunk = (type: string, length: number, fill: (at: number) => void) => {
    view.setUint32(p, length);
    for (let i = 0; i < 4; i++) out[p + 4 + i] = type.charCodeAt(i);
    fill(p + 8);
    view.setUint32(p + 8 + length, crc32(out.subarray(p + 4, p + 8 + length)));
    p += 12 + length;
  };
  chunk('IHDR', 13, (at) => {
    view.setUint32(at, width);
    view.setUint32(at + 4, height);
    out.set([8, palette ? 3 : channels === 1 ? 0 : 2, 0, 0, 0], at + 8);
  });
  if (palette) chunk('PLTE', palette.length, (at) => out.set(palette, at));
  chunk('IDAT', zlibLength, (at) => {
    out[at] = 0x78;
    out[at + 1] = 0x01;
    let q = at + 2;
    for (let b = 0; b < blocks; b++) {
      const start = b * 65535;
      const len = Math.min(65535, raw.length - start);
      out[q] = b === blocks - 1 ? 1 : 0;
      view.setUint16(q + 1, len, true);
      view.setUint16(q + 3, ~len & 0xffff, true);
      out.set(raw.subarray(start, start + len), q + 5);
      q += 5 + len;
    }
    let a = 1;
    let s = 0;
    for (let i = 0; i < raw.length; i++) {
      a = (a + raw[i]!) % 65521;
      s = (s + a) % 65521;
    }
    view.setUint32(q, ((s << 16) | a) >>> 0);
  });
  chunk('IEND', 0, () => undefined);
  return out;
}
