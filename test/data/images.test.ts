import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { DomainError, FormatError } from '../../src/core/errors.js';
import {
  centerCrop,
  extractPatches,
  normalizeRows,
  resizeImage,
  toGrayscale,
} from '../../src/data/images.js';
import { decodeImage } from '../../src/node/decodeImage.js';
import { loadImageFolder } from '../../src/node/imageFolder.js';

const dir = mkdtempSync(join(tmpdir(), 'cg-img-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SHARED = join(__dirname, '../../../shared/data');

/** Encode a PNG with pngjs: colorType 0 gray, 2 RGB, 4 gray+alpha, 6 RGBA. */
function png(
  width: number,
  height: number,
  colorType: 0 | 2 | 4 | 6,
  data: Uint8Array | Uint16Array,
  bitDepth: 8 | 16 = 8,
): Uint8Array {
  const image = {
    width,
    height,
    data: Buffer.from(data.buffer, data.byteOffset, data.byteLength),
  } as unknown as PNG;
  return new Uint8Array(
    PNG.sync.write(image, { colorType, inputColorType: colorType, bitDepth, inputHasAlpha: colorType >= 4 }),
  );
}
const pattern = (n: number, seed: number) =>
  Uint8Array.from({ length: n }, (_, i) => (i * 37 + seed * 11) % 256);
/** A smooth RGB test image (JPEG is lossy, smooth content survives well). */
function smoothRgb(w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const p = 3 * (y * w + x);
      out[p] = 60 + 20 * x;
      out[p + 1] = 80 + 15 * y;
      out[p + 2] = 128;
    }
  return out;
}
function jpegBytes(w: number, h: number, rgb: Uint8Array, quality = 100): Uint8Array {
  const rgba = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) rgba.set([rgb[3 * i]!, rgb[3 * i + 1]!, rgb[3 * i + 2]!, 255], 4 * i);
  return new Uint8Array(jpeg.encode({ width: w, height: h, data: rgba }, quality).data);
}

describe('decodeImage', () => {
  it('decodes 7 x 5 PNGs with 1, 2, 3 and 4 channels exactly', () => {
    for (const [colorType, channels] of [
      [0, 1],
      [4, 2],
      [2, 3],
      [6, 4],
    ] as const) {
      const data = pattern(7 * 5 * channels, channels);
      const img = decodeImage(png(7, 5, colorType, data));
      expect([img.width, img.height, img.channels]).toEqual([7, 5, channels]);
      expect(img.data).toEqual(data);
    }
  });

  it('rounds 16-bit PNG samples to 8 bits', () => {
    const data = Uint16Array.from({ length: 3 * 2 }, (_, i) => i * 13107); // 0, 13107, ..., 65535
    const img = decodeImage(png(3, 2, 0, data, 16));
    expect(img.channels).toBe(1);
    expect(Array.from(img.data)).toEqual([0, 51, 102, 153, 204, 255]);
  });

  it('decodes a 7 x 5 RGB JPEG within JPEG tolerance', () => {
    const rgb = smoothRgb(7, 5);
    const img = decodeImage(jpegBytes(7, 5, rgb));
    expect([img.width, img.height, img.channels]).toEqual([7, 5, 3]);
    let maxErr = 0;
    for (let i = 0; i < rgb.length; i++) maxErr = Math.max(maxErr, Math.abs(img.data[i]! - rgb[i]!));
    expect(maxErr).toBeLessThanOrEqual(12);
  });

  it('decodes a grayscale (1-component) JPEG to 1 channel', () => {
    // A hand-made baseline JPEG: 8 x 8, one component, one-code Huffman tables, all coefficients 0,
    // so every pixel is the level shift 128.
    const hex =
      'ffd8ffdb004300' +
      '01'.repeat(64) +
      'ffc0000b080008000801011100' +
      `ffc400140001${'00'.repeat(15)}00` +
      `ffc400141001${'00'.repeat(15)}00` +
      'ffda000801010000003f00' +
      '3fffd9';
    const img = decodeImage(Uint8Array.from(hex.match(/../g)!, (h) => Number.parseInt(h, 16)));
    expect([img.width, img.height, img.channels]).toEqual([8, 8, 1]);
    expect(img.data).toEqual(new Uint8Array(64).fill(128));
  });

  it('rejects truncated, corrupt and unknown files with FormatErrors', () => {
    const p = png(7, 5, 2, pattern(105, 1));
    expect(() => decodeImage(p.subarray(0, p.length - 20))).toThrow(FormatError);
    expect(() => decodeImage(p.subarray(0, p.length - 20))).toThrow(
      /decodeImage: bytes: expected a valid PNG, received a corrupt or truncated one/,
    );
    expect(() => decodeImage(p.subarray(0, 20))).toThrow(
      /expected a PNG header of 33 bytes, received 20 \(truncated file\)/,
    );
    const flipped = p.slice();
    flipped[40]! ^= 0xff;
    expect(() => decodeImage(flipped)).toThrow(FormatError);
    const j = jpegBytes(7, 5, smoothRgb(7, 5));
    expect(() => decodeImage(j.subarray(0, j.length - 30))).toThrow(
      /expected a JPEG ending with the EOI marker FF D9, received none \(truncated file\)/,
    );
    expect(() => decodeImage(new TextEncoder().encode('GIF89a...'))).toThrow(
      /decodeImage: bytes: expected a PNG \(89 50 4e 47\) or JPEG \(ff d8 ff\) file, received bytes starting 47 49 46 38/,
    );
    expect(() => decodeImage(new Uint8Array(0))).toThrow(/\(empty\)/);
  });
});

describe('pixel operations', () => {
  it('resizing a constant image gives the constant, down and up, at odd sizes', () => {
    const img = { data: new Float64Array(7 * 5 * 3).fill(42), width: 7, height: 5, channels: 3 };
    for (const [w, h] of [
      [3, 2],
      [11, 13],
      [7, 1],
      [1, 1],
      [5, 9],
    ]) {
      const out = resizeImage(img, w!, h!);
      expect([out.width, out.height, out.data.length]).toEqual([w, h, w! * h! * 3]);
      for (const v of out.data) expect(v).toBeCloseTo(42, 10);
    }
  });

  it('area averaging preserves the mean; integer factors give block means; same size is the identity', () => {
    const data = Float64Array.from({ length: 12 * 9 }, (_, i) => (i * 7919) % 255);
    const img = { data, width: 12, height: 9, channels: 1 };
    const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
    for (const [w, h] of [
      [4, 3],
      [5, 7],
      [7, 2],
    ]) {
      expect(mean(resizeImage(img, w!, h!).data)).toBeCloseTo(mean(data), 9);
    }
    const half = resizeImage(img, 4, 3); // 3 x 3 blocks
    let block = 0;
    for (let y = 0; y < 3; y++) for (let x = 0; x < 3; x++) block += data[y * 12 + x]!;
    expect(half.data[0]).toBeCloseTo(block / 9, 10);
    expect(resizeImage(img, 12, 9).data).toEqual(data);
  });

  it('bilinear upscaling reproduces a linear ramp in the interior', () => {
    const img = {
      data: Float64Array.from({ length: 4 }, (_, x) => 10 * x),
      width: 4,
      height: 1,
      channels: 1,
    };
    const up = resizeImage(img, 8, 1).data; // x_src = (o + 0.5) / 2 - 0.5
    for (let o = 1; o < 7; o++) expect(up[o]).toBeCloseTo(10 * ((o + 0.5) / 2 - 0.5), 10);
    expect(up[0]).toBe(0); // clamped at the edge
  });

  it('grayscale, centre crop, patches and row normalisation', () => {
    const rgb = {
      data: new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]),
      width: 2,
      height: 2,
      channels: 3,
    };
    const g = toGrayscale(rgb);
    expect(Array.from(g.data).map((v) => +v.toFixed(6))).toEqual(
      [76.245, 149.685, 29.07, 0.299 * 10 + 0.587 * 20 + 0.114 * 30].map((v) => +v.toFixed(6)),
    );
    const grid = {
      data: Float64Array.from({ length: 7 * 5 }, (_, i) => i),
      width: 7,
      height: 5,
      channels: 1,
    };
    const c = centerCrop(grid, 3, 2);
    expect(Array.from(c.data)).toEqual([9, 10, 11, 16, 17, 18]);
    expect(() => centerCrop(grid, 8, 2)).toThrow(DomainError);
    const p = extractPatches(grid, 3, 2);
    expect(p.count).toBe(3 * 2);
    expect(Array.from(p.data.subarray(0, 9))).toEqual([0, 1, 2, 7, 8, 9, 14, 15, 16]);
    expect(Array.from(p.corners.subarray(8, 10))).toEqual([2, 2]);
    const rows = Float64Array.from([0, 255, 51, 102, 3, 3]);
    const three = () => ({ data: rows.slice(), rows: 3, cols: 2 }); // 3 rows of 2 pixels
    expect(Array.from(normalizeRows(three(), 'unit').data)).toEqual([0, 1, 0.2, 0.4, 3 / 255, 3 / 255]);
    expect(Array.from(normalizeRows(three(), 'minmax').data)).toEqual([0, 1, 0, 1, 0.5, 0.5]);
    const st = normalizeRows(three(), 'standardize');
    expect(Array.from(st.data)).toEqual([-1, 1, -1, 1, 0, 0]);
    // the same 6 values as 2 rows of 3 give other numbers: the shape is part of the input
    const twoByThree = normalizeRows({ data: rows.slice(), rows: 2, cols: 3 }, 'minmax');
    expect(Array.from(twoByThree.data)).toEqual([0, 1, 0.2, 1, 0, 0]);
    expect(() => normalizeRows({ data: rows, rows: 2, cols: 4 }, 'unit')).toThrow(
      /normalizeRows: images.data: expected 8 elements \(2 x 4\), received 6/,
    );
    expect(() => normalizeRows(rows as never, 'unit')).toThrow(/normalizeRows: images: expected a Matrix/);
  });
});

describe('loadImageFolder', () => {
  it('labels from sorted subfolders, PNG and JPEG mixed, resized and normalised deterministically', async () => {
    const root = join(dir, 'classes');
    for (const [cls, k] of [
      ['b_second', 3],
      ['a_first', 2],
    ] as const) {
      mkdirSync(join(root, cls), { recursive: true });
      for (let i = 0; i < k; i++)
        writeFileSync(join(root, cls, `img${i}.png`), png(9, 6, 2, pattern(9 * 6 * 3, i)));
    }
    writeFileSync(join(root, 'a_first', 'z.jpg'), jpegBytes(8, 8, smoothRgb(8, 8)));
    writeFileSync(join(root, 'a_first', 'notes.txt'), 'ignored');
    const set = await loadImageFolder(root, { size: 4, grayscale: true });
    expect(set.classes).toEqual(['a_first', 'b_second']);
    expect(Array.from(set.labels)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(set.paths.map((p) => p.split(/[\\/]/).slice(-2).join('/'))).toEqual([
      'a_first/img0.png',
      'a_first/img1.png',
      'a_first/z.jpg',
      'b_second/img0.png',
      'b_second/img1.png',
      'b_second/img2.png',
    ]);
    expect([set.n, set.d, set.shape]).toEqual([6, 16, [4, 4, 1]]);
    for (const v of set.data) expect(v >= 0 && v <= 1).toBe(true);
    const again = await loadImageFolder(root, { size: 4, grayscale: true });
    expect(again.data).toEqual(set.data);
    const limited = await loadImageFolder(root, { maxPerClass: 1, size: [6, 3], layout: 'chw' });
    expect([limited.n, limited.shape]).toEqual([2, [3, 3, 6]]);
    const patches = await loadImageFolder(join(root, 'b_second'), {
      patches: { size: 3, stride: 3 },
      grayscale: true,
    });
    expect(patches.classes).toEqual(['b_second']); // flat folder: one class, its name
    expect([patches.n, patches.d]).toEqual([3 * 2 * 3, 9]);
    expect(Array.from(patches.source.subarray(0, 7))).toEqual([0, 0, 0, 0, 0, 0, 1]);
  });

  it('explains mixed sizes, empty folders, missing folders and corrupt images', async () => {
    await expect(loadImageFolder(join(dir, 'classes', 'a_first'))).rejects.toThrow(
      /loadImageFolder: size: expected a size, since the images differ \(9 x 6 in .*, 8 x 8 in .*z\.jpg\)/,
    );
    mkdirSync(join(dir, 'empty'));
    await expect(loadImageFolder(join(dir, 'empty'))).rejects.toThrow(DomainError);
    await expect(loadImageFolder(join(dir, 'nope'))).rejects.toThrow(
      /loadImageFolder: dir: expected a readable folder/,
    );
    mkdirSync(join(dir, 'bad'));
    writeFileSync(join(dir, 'bad', 'x.png'), png(3, 3, 0, new Uint8Array(9)).subarray(0, 40));
    await expect(loadImageFolder(join(dir, 'bad'))).rejects.toThrow(/corrupt or truncated.*\(in .*x\.png\)/);
  });

  it.skipIf(!existsSync(join(SHARED, 'flowers')))(
    'reads the flowers: 227 x 227 RGB JPEGs in 5 classes',
    async () => {
      const daisy = join(SHARED, 'flowers', 'daisy');
      const first = readdirSync(daisy).sort()[0]!;
      const img = decodeImage(new Uint8Array(readFileSync(join(daisy, first))));
      expect([img.width, img.height, img.channels]).toEqual([227, 227, 3]);
      const set = await loadImageFolder(join(SHARED, 'flowers'), { size: 16, maxPerClass: 2 });
      expect(set.classes).toEqual(['daisy', 'dandelion', 'roses', 'sunflowers', 'tulips']);
      expect([set.n, set.d]).toEqual([10, 16 * 16 * 3]);
      expect(Array.from(set.labels)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    },
  );

  it.skipIf(!existsSync(join(SHARED, 'swimseg', 'images')))(
    'reads SWIMSEG: a flat folder of 600 x 600 RGB PNGs',
    async () => {
      const set = await loadImageFolder(join(SHARED, 'swimseg', 'images'), {
        size: 20,
        maxPerClass: 2,
        grayscale: true,
        patches: { size: 10, stride: 10 },
      });
      expect(set.classes).toEqual(['images']);
      expect([set.n, set.d, set.paths.length]).toEqual([8, 100, 2]);
      const mask = readdirSync(join(SHARED, 'swimseg', 'masks')).sort()[0]!;
      const m = decodeImage(new Uint8Array(readFileSync(join(SHARED, 'swimseg', 'masks', mask))));
      expect([m.width, m.height, m.channels]).toEqual([600, 600, 1]);
    },
  );
});
