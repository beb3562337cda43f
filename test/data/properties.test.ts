import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { decodeEnsembleFile, encodeEnsembleFile } from '../../src/data/ensembleFile.js';
import { decodeIdx, encodeIdx } from '../../src/data/idx.js';
import { decodeNpy, encodeNpy } from '../../src/data/npy.js';
import { minibatchIndices, trainTestSplit } from '../../src/data/split.js';

const ctors = [Float32Array, Float64Array, Int8Array, Uint8Array, Int16Array, Int32Array] as const;
/** A random typed array (raw random bytes, so NaN payloads and -0 are included) and a shape for it. */
const arrayAndShape = fc
  .tuple(
    fc.integer({ min: 0, max: ctors.length - 1 }),
    fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
    fc.integer(),
  )
  .map(([k, shape, seed]) => {
    const Ctor = ctors[k]!;
    const n = shape.reduce((a, b) => a * b, 1);
    const bytes = new Uint8Array(n * Ctor.BYTES_PER_ELEMENT);
    const rng = createRng(seed);
    for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(256);
    return { data: new Ctor(bytes.buffer), shape };
  });
const sameBytes = (a: ArrayBufferView, b: ArrayBufferView) =>
  expect(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).toEqual(
    new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
  );

describe('format round trips (property-based)', () => {
  it('npy, IDX and the ensemble container return the same bytes, type and shape', () => {
    fc.assert(
      fc.property(arrayAndShape, ({ data, shape }) => {
        const npy = decodeNpy(encodeNpy(data, shape));
        expect(npy.shape).toEqual(shape);
        expect(npy.data.constructor).toBe(data.constructor);
        sameBytes(npy.data, data);
        const idx = decodeIdx(encodeIdx(data, shape));
        expect(idx.shape).toEqual(shape);
        sameBytes(idx.data, data);
        const ens = decodeEnsembleFile(
          encodeEnsembleFile({
            metadata: { shape },
            arrays: { a: data, b: data.subarray(1) },
            shapes: { a: shape },
          }),
        );
        expect(ens.shapes.a).toEqual(shape);
        sameBytes(ens.arrays.a!, data);
        sameBytes(ens.arrays.b!, data.subarray(1));
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it('splits and minibatches partition 0..n-1 for any n, fraction and batch size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 50 }),
        (n, f, b) => {
          const { train, test } = trainTestSplit(createRng(n), n, f);
          expect([...train, ...test].sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
          const batches = minibatchIndices(createRng(n), n, b);
          expect(batches.flatMap((x) => Array.from(x)).sort((x, y) => x - y)).toEqual(
            Array.from({ length: n }, (_, i) => i),
          );
          expect(batches.every((x, i) => x.length === b || i === batches.length - 1)).toBe(true);
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });
});

describe('browser safety', () => {
  it('the byte codecs and the plot module import no Node modules', () => {
    const files = [
      'data/npy.ts',
      'core/crc32.ts',
      'core/base64.ts',
      'data/images.ts',
      'data/ensembleFile.ts',
      'data/idx.ts',
      'data/mnist.ts',
      'data/split.ts',
    ];
    const plot = [
      'axes',
      'barChart',
      'colormap',
      'heatmap',
      'imageGrid',
      'linePlot',
      'png',
      'svg',
      'ticks',
      'index',
    ];
    for (const f of [...files, ...plot.map((p) => `plot/${p}.ts`)]) {
      const source = readFileSync(join(__dirname, '../../src', f), 'utf8');
      expect(source, f).not.toMatch(/from '(node:|fs|path|zlib|pngjs)/);
      expect(source, f).not.toMatch(/\bBuffer\.|\bprocess\./);
    }
  });
});
