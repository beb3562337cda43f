import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import { gemmKernel } from '../../src/core/gemm.js';
import { createRng } from '../../src/core/rng.js';
import type { FloatArray } from '../../src/core/tensor.js';
import { matrix } from '../../src/core/tensor.js';
import { createRbm } from '../../src/models/init.js';
import { trainRbm } from '../../src/models/rbmTrain.js';
import { sharedFloatArray } from '../../src/parallel/gemmParallel.js';
import {
  createThreadedGemm,
  THREADED_GEMM_MIN_WORK,
  type ThreadedGemm,
} from '../../src/parallel/threadedGemm.js';
import { mismatches } from './pools.js';

const rng = createRng(90);

function random(dtype: 'float32' | 'float64', n: number, shared: boolean): FloatArray {
  const x: FloatArray = shared
    ? dtype === 'float32'
      ? sharedFloatArray('float32', n)
      : sharedFloatArray('float64', n)
    : dtype === 'float32'
      ? new Float32Array(n)
      : new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.uniform() * 2 - 1;
  return x;
}

describe('createThreadedGemm', () => {
  let two: ThreadedGemm;
  beforeAll(() => {
    two = createThreadedGemm({ threads: 2 });
  });
  afterAll(() => two.close());

  it('gives products bit-identical to gemmKernel, split by columns or by rows, for every transpose and both precisions', () => {
    expect(two.threads).toBe(2);
    // [m, n, k]: wide C (column split, n not a multiple of 16), tall C (row split), deep k (> one depth chunk)
    const shapes = [
      [100, 1030, 300],
      [1027, 200, 70],
      [40, 260, 4100],
    ] as const;
    for (const dtype of ['float32', 'float64'] as const) {
      for (const [m, n, k] of shapes) {
        expect(m * n * k).toBeGreaterThanOrEqual(THREADED_GEMM_MIN_WORK);
        for (const [transA, transB] of [
          [false, false],
          [true, false],
          [false, true],
          [true, true],
        ] as const) {
          const a = random(dtype, m * k, true);
          const b = random(dtype, k * n, true);
          const c0 = random(dtype, m * n, true);
          const expected = c0.slice();
          const got = c0; // shared
          const lda = transA ? m : k;
          const ldb = transB ? k : n;
          gemmKernel(transA, transB, m, n, k, 0.7, a, 0, lda, b, 0, ldb, 0.5, expected, 0, n);
          two.gemm(transA, transB, m, n, k, 0.7, a, 0, lda, b, 0, ldb, 0.5, got, 0, n);
          expect(mismatches(got, expected)).toBe(0);
        }
      }
    }
  });

  it('runs unshared operands and small products in the calling thread, and threads: 1 is gemmKernel', () => {
    const [m, n, k] = [64, 256, 128];
    const a = random('float64', m * k, false);
    const b = random('float64', k * n, false);
    const c = new Float64Array(m * n);
    const expected = new Float64Array(m * n);
    gemmKernel(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, expected, 0, n);
    two.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n);
    expect(mismatches(c, expected)).toBe(0);
    expect(createThreadedGemm({ threads: 1 }).gemm).toBe(gemmKernel);
    expect(() => createThreadedGemm({ threads: 0 })).toThrow(DomainError);
    expect(() => createThreadedGemm({ threads: 2, extra: 1 } as never)).toThrow(DomainError);
  });

  it('trains an RBM bit-identically to the single-thread run (PCD-1, float32 and float64)', () => {
    const nv = 400;
    const nh = 200;
    const rows = 300;
    const data = new Float64Array(rows * nv);
    const r = createRng(91);
    for (let i = 0; i < data.length; i++) data[i] = r.uniform() < 0.5 ? 1 : -1;
    expect(100 * nv * nh).toBeGreaterThanOrEqual(THREADED_GEMM_MIN_WORK);
    for (const dtype of ['float32', 'float64'] as const) {
      let split = 0;
      const counting: typeof two.gemm = (...args) => {
        if (
          args[2] * args[3] * args[4] >= THREADED_GEMM_MIN_WORK &&
          args[6].buffer instanceof SharedArrayBuffer
        )
          split++;
        two.gemm(...args);
      };
      const make = () => createRbm({ nVisible: nv, nHidden: nh, rng: createRng(92), dtype });
      const options = { epochs: 2, batchSize: 100, rng: createRng(93) };
      const single = trainRbm(make(), matrix(data, data.length / nv, nv), options);
      const threaded = trainRbm(make(), matrix(data, data.length / nv, nv), {
        ...options,
        rng: createRng(93),
        gemm: counting,
      });
      expect(split).toBeGreaterThan(0);
      expect(mismatches(threaded.model.weights, single.model.weights)).toBe(0);
      expect(mismatches(threaded.model.visibleBias, single.model.visibleBias)).toBe(0);
      expect(mismatches(threaded.model.hiddenBias, single.model.hiddenBias)).toBe(0);
      expect(mismatches(threaded.checkpoint.chains!, single.checkpoint.chains!)).toBe(0);
      expect(threaded.history).toEqual(single.history);
      // the returned model is an ordinary (unshared) copy
      expect(threaded.model.weights.buffer).toBeInstanceOf(ArrayBuffer);
    }
    expect(() =>
      trainRbm(createRbm({ nVisible: 4, nHidden: 2, rng }), matrix([1, -1, 1, 1], 1, 4), {
        epochs: 1,
        rng,
        gemm: 3 as never,
      }),
    ).toThrow(DomainError);
  });
});
