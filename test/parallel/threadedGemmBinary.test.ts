import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GemmKernelFunction, gemmKernel, gemmWasmAvailable } from '../../src/core/gemm.js';
import { gemmBinaryKernel } from '../../src/core/gemmBinary.js';
import { createRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import { createRbm } from '../../src/models/init.js';
import { trainRbm } from '../../src/models/rbmTrain.js';
import { sharedFloatArray } from '../../src/parallel/gemmParallel.js';
import { createThreadedGemm, type ThreadedGemm } from '../../src/parallel/threadedGemm.js';
import { mismatches } from './pools.js';

describe.runIf(gemmWasmAvailable())('createThreadedGemm: products with a 0/1 left factor', () => {
  let two: ThreadedGemm;
  beforeAll(() => {
    two = createThreadedGemm({ threads: 2 });
  });
  afterAll(() => two.close());

  it('splits them by columns bit-identically to gemmBinaryKernel and gemmKernel, and all parts decline together', () => {
    const rng = createRng(95);
    for (const [dtype, transA, transB, m, n, k, beta] of [
      ['float64', false, false, 100, 500, 784, 1],
      ['float32', true, false, 784, 500, 100, 0],
      ['float64', true, false, 300, 70, 260, 0.5],
      ['float32', false, true, 100, 784, 500, 1], // visible inputs a + h W^T from 0/1 hidden samples
    ] as const) {
      const rowsA = transA ? k : m;
      const colsA = transA ? m : k;
      const a = sharedFloatArray(dtype as 'float64', rowsA * colsA);
      for (let i = 0; i < a.length; i++) a[i] = rng.uniform() < 0.2 ? 1 : 0;
      const b = rng.fillNormal(sharedFloatArray(dtype as 'float64', k * n));
      const ldb = transB ? k : n;
      const c = rng.fillNormal(sharedFloatArray(dtype as 'float64', m * n));
      const dense = c.slice();
      gemmKernel(transA, transB, m, n, k, -0.3, a, 0, colsA, b, 0, ldb, beta, dense, 0, n);
      const single = c.slice();
      expect(
        gemmBinaryKernel(3, true, transA, transB, m, n, k, -0.3, a, 0, colsA, b, 0, ldb, beta, single, 0, n),
      ).toBe(true);
      expect(
        two.gemmBinary(3, true, transA, transB, m, n, k, -0.3, a, 0, colsA, b, 0, ldb, beta, c, 0, n),
      ).toBe(true);
      expect(mismatches(c, dense)).toBe(0);
      expect(mismatches(single, dense)).toBe(0);
      // a second product from the resident columns of B (no reload) in every thread
      const again = c.slice();
      const denseAgain = c.slice();
      gemmKernel(transA, transB, m, n, k, 2, a, 0, colsA, b, 0, ldb, 1, denseAgain, 0, n);
      expect(
        two.gemmBinary(3, false, transA, transB, m, n, k, 2, a, 0, colsA, b, 0, ldb, 1, again, 0, n),
      ).toBe(true);
      expect(mismatches(again, denseAgain)).toBe(0);
      // one element that is not 0/1 (in the last row of A): every part declines, C is untouched
      a[a.length - 1] = 0.5;
      const before = c.slice();
      expect(two.gemmBinary(3, true, transA, transB, m, n, k, 1, a, 0, colsA, b, 0, ldb, 1, c, 0, n)).toBe(
        false,
      );
      expect(mismatches(c, before)).toBe(0);
    }
  });

  it('trains a binary RBM bit-identically to the dense single-thread run (CD-1, float32 and float64)', () => {
    const nv = 300;
    const nh = 120;
    const rows = 240;
    const r = createRng(96);
    const data = Float64Array.from({ length: rows * nv }, () => (r.uniform() < 0.15 ? 1 : 0));
    const dense: GemmKernelFunction = (...args) => gemmKernel(...args); // not registered: all products dense
    for (const dtype of ['float32', 'float64'] as const) {
      const make = () =>
        createRbm({
          nVisible: nv,
          nHidden: nh,
          visibleUnits: 'binary',
          hiddenUnits: 'binary',
          rng: createRng(97),
          dtype,
        });
      const options = {
        epochs: 2,
        batchSize: 80,
        method: 'cd' as const,
        optimizer: { kind: 'sgd' as const, learningRate: 0.05, momentum: 0.5 },
        rng: createRng(98),
      };
      const reference = trainRbm(make(), matrix(data, rows, nv), { ...options, gemm: dense });
      const threaded = trainRbm(make(), matrix(data, rows, nv), {
        ...options,
        rng: createRng(98),
        gemm: two.gemm,
      });
      expect(mismatches(threaded.model.weights, reference.model.weights)).toBe(0);
      expect(mismatches(threaded.model.visibleBias, reference.model.visibleBias)).toBe(0);
      expect(mismatches(threaded.model.hiddenBias, reference.model.hiddenBias)).toBe(0);
      expect(threaded.history).toEqual(reference.history);
    }
  });
});
