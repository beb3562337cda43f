import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GemmKernelFunction, gemmKernel, gemmWasmAvailable } from '../../src/core/gemm.js';
import { gemmBinaryKernel } from '../../src/core/gemmBinary.js';
import { aleaRegistersOf, createRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import { createRbm } from '../../src/models/init.js';
import { binaryUnitsRangeKernel, splitBinaryUnitsFor } from '../../src/models/rbm.js';
import { trainRbm } from '../../src/models/rbmTrain.js';
import { sharedFloatArray } from '../../src/parallel/gemmParallel.js';
import {
  createThreadedGemm,
  THREADED_ELEMENTWISE_MIN_ELEMENTS,
  type ThreadedGemm,
} from '../../src/parallel/threadedGemm.js';
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

  it('splits binary units over the threads bit-identically to the range kernel', () => {
    const n = 2 * THREADED_ELEMENTWISE_MIN_ELEMENTS + 13; // not a multiple of the 16-element ranges
    const r = createRng(120);
    for (const dtype of ['float32', 'float64'] as const) {
      const shared = (values: number[]): Float32Array | Float64Array => {
        const a =
          dtype === 'float32'
            ? sharedFloatArray('float32', values.length)
            : sharedFloatArray('float64', values.length);
        a.set(values);
        return a;
      };
      const x = () => shared(Array.from({ length: n }, () => (r.uniform() - 0.5) * 30));
      const u = sharedFloatArray('float64', n);
      u.set(Array.from({ length: n }, () => r.uniform()));
      // means and sample, sample in place, means in place: split and whole give the same bits
      for (const [withMeans, withSample, inPlace] of [
        [true, true, false],
        [false, true, true],
        [true, false, true],
      ] as const) {
        const x1 = x();
        const x2 = x1.slice();
        const s1 = withSample ? (inPlace ? x1 : shared(new Array(n).fill(0))) : null;
        const s2 = withSample ? (inPlace ? x2 : new (x2.constructor as Float64ArrayConstructor)(n)) : null;
        two.binaryUnits(x1, withMeans ? x1 : null, s1, withSample ? u : null, 5, n);
        binaryUnitsRangeKernel(x2, withMeans ? x2 : null, s2, withSample ? u : null, 5, n);
        expect(mismatches(x1, x2)).toBe(0);
        if (s1 !== null) expect(mismatches(s1, s2!)).toBe(0);
      }
    }
    expect(splitBinaryUnitsFor(two.gemm)?.units).toBe(two.binaryUnits);
    // uniforms drawn ahead on a worker: the generator's own stream, and its registers advanced past them
    const rng = createRng(124);
    const expected = createRng(124).fillUniform(new Float64Array(5000));
    const live = aleaRegistersOf(rng)!;
    const registers = sharedFloatArray('float64', 4);
    registers.set([live.c, live.s0, live.s1, live.s2]);
    const out = sharedFloatArray('float64', 5000);
    splitBinaryUnitsFor(two.gemm)!.prefetchUniforms(registers, out)();
    expect(mismatches(out, expected)).toBe(0);
    [live.c, live.s0, live.s1, live.s2] = registers;
    const after = createRng(124);
    after.fillUniform(new Float64Array(5000));
    expect(rng.uniform()).toBe(after.uniform());
  });

  it('trains with its binary units, uniforms drawn ahead and Adam steps on the threads, bit-identically to one thread (CD-1, CD-2, PCD-1)', () => {
    // sizes at which every split applies: 100 x 200 hidden units, 100 x 300 visible, 60,000 weights
    // (250 rows: minibatches of 100, 100 and 50, the next one's uniforms drawn ahead within an epoch)
    const nv = 300;
    const nh = 200;
    const rows = 250;
    expect(100 * nh).toBeGreaterThanOrEqual(THREADED_ELEMENTWISE_MIN_ELEMENTS);
    const r = createRng(121);
    const data = Float64Array.from({ length: rows * nv }, () => (r.uniform() < 0.2 ? 1 : 0));
    for (const dtype of ['float32', 'float64'] as const) {
      for (const [method, k, optimizer] of [
        ['cd', 1, { kind: 'sgd' as const, learningRate: 0.05, momentum: 0.5 }],
        ['cd', 2, { kind: 'sgd' as const, learningRate: 0.05, momentum: 0.5 }],
        ['pcd', 1, { kind: 'adam' as const, learningRate: 1e-3 }],
      ] as const) {
        const make = () =>
          createRbm({
            nVisible: nv,
            nHidden: nh,
            visibleUnits: 'binary',
            hiddenUnits: 'binary',
            rng: createRng(122),
            dtype,
          });
        const options = { epochs: 2, batchSize: 100, method, k, optimizer, persistentChains: 100 };
        const single = trainRbm(make(), matrix(data, rows, nv), { ...options, rng: createRng(123) });
        const threaded = trainRbm(make(), matrix(data, rows, nv), {
          ...options,
          rng: createRng(123),
          gemm: two.gemm,
        });
        expect(mismatches(threaded.model.weights, single.model.weights)).toBe(0);
        expect(mismatches(threaded.model.visibleBias, single.model.visibleBias)).toBe(0);
        expect(mismatches(threaded.model.hiddenBias, single.model.hiddenBias)).toBe(0);
        expect(threaded.history).toEqual(single.history);
        expect(threaded.checkpoint.rng).toEqual(single.checkpoint.rng);
        if (method === 'pcd')
          expect(mismatches(threaded.checkpoint.chains!, single.checkpoint.chains!)).toBe(0);
        expect(
          mismatches(threaded.checkpoint.optimizer.moments1[0]!, single.checkpoint.optimizer.moments1[0]!),
        ).toBe(0);
      }
    }
  });
});
