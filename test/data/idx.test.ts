import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DomainError, FormatError } from '../../src/core/errors.js';
import { decodeIdx, decodeIdxAsync, encodeIdx, gunzip } from '../../src/data/idx.js';
import { mnistFromIdx } from '../../src/data/mnist.js';
import { loadIdx, loadMnist } from '../../src/node/files.js';

const dir = mkdtempSync(join(tmpdir(), 'cg-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MNIST = join(__dirname, '../../../shared/data/mnist');

// Five 3 x 2 "images" and their labels, written the way MNIST is.
const pixels = Uint8Array.from({ length: 5 * 3 * 2 }, (_, i) => (i * 37) % 256);
const labels = new Uint8Array([3, 1, 4, 1, 5]);
const imagesIdx = encodeIdx(pixels, [5, 3, 2]);
const labelsIdx = encodeIdx(labels, [5]);

describe('IDX', () => {
  it('writes the MNIST header layout (magic 0x00000803, big-endian sizes)', () => {
    expect(Array.from(imagesIdx.subarray(0, 16))).toEqual([0, 0, 8, 3, 0, 0, 0, 5, 0, 0, 0, 3, 0, 0, 0, 2]);
    expect(Array.from(labelsIdx.subarray(0, 4))).toEqual([0, 0, 8, 1]);
  });

  it('round-trips every element type', () => {
    const cases = [
      pixels,
      new Int8Array([-128, 127, 0, -1, 1, 2]),
      new Int16Array([-32768, 32767, 0, 256, -2, 3]),
      new Int32Array([-(2 ** 31), 2 ** 31 - 1, 0, 65536, -2, 3]),
      new Float32Array([1.5, -2.25, 3.4e38, 1e-45, 0, -0]),
      new Float64Array([Math.PI, -1e-300, 5e-324, Number.MAX_VALUE, 0, 1]),
    ];
    for (const data of cases) {
      const shape = data.length === 6 ? [2, 3] : [5, 3, 2];
      const back = decodeIdx(encodeIdx(data, shape));
      expect(back.shape).toEqual(shape);
      expect(back.data).toEqual(data);
      expect(back.data.constructor).toBe(data.constructor);
    }
  });

  it('inflates gzip with DecompressionStream (browser path) and with node:zlib (file path)', async () => {
    const gz = gzipSync(imagesIdx);
    expect(await gunzip(gz)).toEqual(imagesIdx);
    expect((await decodeIdxAsync(gz)).data).toEqual(pixels);
    expect((await decodeIdxAsync(imagesIdx)).data).toEqual(pixels);
    writeFileSync(join(dir, 'x.gz'), gz);
    writeFileSync(join(dir, 'x.raw'), imagesIdx);
    expect((await loadIdx(join(dir, 'x.gz'))).data).toEqual(pixels);
    expect((await loadIdx(join(dir, 'x.raw'))).shape).toEqual([5, 3, 2]);
  });

  it('rejects truncated, mislabelled and corrupt files with clear FormatErrors', async () => {
    const bad = (bytes: Uint8Array, message: RegExp) => {
      expect(() => decodeIdx(bytes)).toThrow(FormatError);
      expect(() => decodeIdx(bytes)).toThrow(message);
    };
    bad(
      imagesIdx.subarray(0, imagesIdx.length - 1),
      /decodeIdx: payload: expected 30 bytes for shape \[5, 3, 2\] uint8, received 29 \(truncated file\)/,
    );
    bad(
      imagesIdx.subarray(0, 10),
      /decodeIdx: header: expected 16 bytes for 3 dimensions, received 10 \(truncated file\)/,
    );
    bad(imagesIdx.subarray(0, 2), /decodeIdx: header: expected at least 4 bytes/);
    // A labels header on an images payload: the length cannot match.
    const mislabelled = new Uint8Array(8 + pixels.length);
    mislabelled.set(labelsIdx.subarray(0, 8));
    mislabelled.set(pixels, 8);
    bad(mislabelled, /received 30 \(trailing bytes: wrong header or mislabelled file\)/);
    const badType = imagesIdx.slice();
    badType[2] = 0x07;
    bad(badType, /decodeIdx: magic: expected .* received 0x00000703/);
    const notIdx = new TextEncoder().encode('hello world, not IDX');
    bad(notIdx, /decodeIdx: magic/);
    bad(gzipSync(imagesIdx), /received gzip data \(use decodeIdxAsync or loadIdx\)/);
    const gz = gzipSync(imagesIdx);
    await expect(decodeIdxAsync(gz.subarray(0, gz.length - 10))).rejects.toThrow(FormatError);
    writeFileSync(join(dir, 'cut.gz'), gz.subarray(0, gz.length - 10));
    await expect(loadIdx(join(dir, 'cut.gz'))).rejects.toThrow(
      /loadIdx: gzip: expected a complete gzip stream.*\(in .*cut\.gz\)/,
    );
    writeFileSync(join(dir, 'cut.raw'), imagesIdx.subarray(0, 20));
    await expect(loadIdx(join(dir, 'cut.raw'))).rejects.toThrow(/truncated file\) \(in .*cut\.raw\)/);
  });

  it('builds MNIST data with each normalisation, and names a missing file', async () => {
    const img = decodeIdx(imagesIdx);
    const lab = decodeIdx(labelsIdx);
    const unit = mnistFromIdx(img, lab);
    expect(unit.images).toBeInstanceOf(Float64Array);
    expect([unit.n, unit.rows, unit.cols]).toEqual([5, 3, 2]);
    expect(unit.images[1]).toBeCloseTo(37 / 255, 15);
    const spin = mnistFromIdx(img, lab, { normalize: 'spin', dtype: 'float32', limit: 2 });
    expect(spin.images).toBeInstanceOf(Float32Array);
    expect(spin.n).toBe(2);
    expect(Array.from(spin.images.subarray(0, 6))).toEqual(
      Array.from(pixels.subarray(0, 6), (x) => (x >= 128 ? 1 : -1)),
    );
    expect(Array.from(spin.labels)).toEqual([3, 1]);
    const binary = mnistFromIdx(img, lab, { normalize: 'binary' });
    expect(Array.from(binary.images)).toEqual(Array.from(pixels, (x) => (x >= 128 ? 1 : 0)));
    expect(() => mnistFromIdx(lab, img)).toThrow(/mnistFromIdx: images: expected uint8 IDX of 3 dimensions/);
    expect(() => mnistFromIdx(img, decodeIdx(encodeIdx(new Uint8Array(4), [4])))).toThrow(
      /expected 5 labels/,
    );

    const mnistDir = join(dir, 'mnist');
    writeFileSync(join(dir, 'placeholder'), '');
    await import('node:fs').then((fs) => fs.mkdirSync(mnistDir));
    writeFileSync(join(mnistDir, 't10k-images-idx3-ubyte.gz'), gzipSync(imagesIdx));
    await expect(loadMnist(mnistDir)).rejects.toThrow(DomainError);
    await expect(loadMnist(mnistDir)).rejects.toThrow(
      /loadMnist: dir: expected a folder containing t10k-labels-idx1-ubyte.gz or t10k-labels-idx1-ubyte \(MNIST test labels\)/,
    );
    writeFileSync(join(mnistDir, 't10k-labels-idx1-ubyte'), labelsIdx);
    const loaded = await loadMnist(mnistDir, { normalize: 'none' });
    expect(Array.from(loaded.images)).toEqual(Array.from(pixels));
    await expect(loadMnist(mnistDir, { split: 'train' })).rejects.toThrow(/train-images-idx3-ubyte/);
  });

  it.skipIf(!existsSync(MNIST))(
    'reads the real MNIST test set: 10000 x 784, per-class counts as published',
    async () => {
      const m = await loadMnist(MNIST, { split: 'test' });
      expect([m.n, m.rows, m.cols, m.images.length]).toEqual([10000, 28, 28, 7840000]);
      const counts = new Array(10).fill(0);
      for (const l of m.labels) counts[l]++;
      expect(counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
      let min = Infinity;
      let max = -Infinity;
      for (const x of m.images) {
        min = Math.min(min, x);
        max = Math.max(max, x);
      }
      expect([min, max]).toEqual([0, 1]);
      const train = await loadIdx(join(MNIST, 'train-labels-idx1-ubyte.gz'));
      expect(train.shape).toEqual([60000]);
      await expect(loadMnist(MNIST, { split: 'train' })).rejects.toThrow(
        /train-images-idx3-ubyte\.gz or train-images-idx3-ubyte/,
      );
    },
  );
});
