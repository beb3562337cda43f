import { describe, expect, it } from 'vitest';
import { type GemmKernelFunction, gemmKernel, gemmWasmAvailable } from '../../src/core/gemm.js';
import { createRng } from '../../src/core/rng.js';
import { createRbm } from '../../src/models/init.js';
import { meansKernel, sampleAndMeansKernel, sampleKernel } from '../../src/models/rbm.js';
import { trainRbm } from '../../src/models/rbmTrain.js';
import { batch } from './batch.js';

/**
 * Binary visible units: trainRbm runs the products with the 0/1 visible states as sums of selected rows
 * (gemmBinaryKernel). A `gemm` option that is not gemmKernel itself turns that path off, so training
 * through a plain wrapper of gemmKernel is the dense reference, and the two must agree bit for bit.
 */
const denseGemm: GemmKernelFunction = (...args) => gemmKernel(...args);

function sameBits(x: ArrayLike<number>, y: ArrayLike<number>): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  return true;
}

describe.runIf(gemmWasmAvailable())('trainRbm with binary visible units (0/1 products)', () => {
  const nv = 64;
  const rows = 230; // the last minibatch of 40 is partial
  const rng0 = createRng(90);
  const pixels = Float64Array.from({ length: rows * nv }, () => (rng0.uniform() < 0.15 ? 1 : 0));
  const grey = pixels.map((x, i) => (i % 11 === 0 ? 0.5 : x)); // not 0/1: the dense path throughout

  for (const [method, dtype, k, data] of [
    ['cd', 'float64', 1, pixels],
    ['pcd', 'float64', 2, pixels],
    ['cd', 'float32', 1, pixels],
    ['pcd', 'float32', 1, pixels],
    ['cd', 'float64', 1, grey],
  ] as const) {
    const label = `${method}-${k}, ${dtype}${data === grey ? ', grey data' : ''}`;
    it(`trains bit-identically to the dense products (${label})`, () => {
      const make = () =>
        createRbm({
          nVisible: nv,
          nHidden: 24,
          visibleUnits: 'binary',
          hiddenUnits: 'binary',
          dtype,
          rng: createRng(91),
        });
      const options = {
        epochs: 3,
        batchSize: 40,
        method,
        k,
        persistentChains: 16,
        optimizer: { kind: 'sgd' as const, learningRate: 0.1, momentum: 0.5 },
        monitorSize: 50,
      };
      const fast = trainRbm(make(), batch(data, nv), { ...options, rng: createRng(92) });
      const dense = trainRbm(make(), batch(data, nv), { ...options, rng: createRng(92), gemm: denseGemm });
      expect(sameBits(fast.model.weights, dense.model.weights)).toBe(true);
      expect(sameBits(fast.model.visibleBias, dense.model.visibleBias)).toBe(true);
      expect(sameBits(fast.model.hiddenBias, dense.model.hiddenBias)).toBe(true);
      expect(fast.history).toEqual(dense.history);
      expect(fast.checkpoint.rng).toEqual(dense.checkpoint.rng);
      if (method === 'pcd') expect(sameBits(fast.checkpoint.chains!, dense.checkpoint.chains!)).toBe(true);
      // the run learned something (the weights moved far from their initial scale)
      const init = make().weights;
      let moved = 0;
      for (let i = 0; i < init.length; i++)
        moved = Math.max(moved, Math.abs(fast.model.weights[i]! - init[i]!));
      expect(moved).toBeGreaterThan(0.05);
    });
  }
});

describe('sampleAndMeansKernel', () => {
  it('gives the bits of a copy, sampleKernel and meansKernel (float32 and float64)', () => {
    for (const T of [Float32Array, Float64Array]) {
      const r = createRng(93);
      const x = r.fillNormal(new T(5000)).map((z) => 6 * z);
      x[0] = 800; // exp(-x) underflows
      x[1] = -800; // exp(-x) overflows
      const sample = new T(x.length);
      const copy = x.slice();
      const reference = x.slice();
      sampleAndMeansKernel(x, sample, x.length, createRng(94));
      sampleKernel('binary', copy, copy.length, createRng(94));
      meansKernel('binary', reference, reference.length);
      expect(sameBits(sample, copy)).toBe(true);
      expect(sameBits(x, reference)).toBe(true);
    }
  });
});
