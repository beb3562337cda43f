import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import type { GemmKernelFunction } from '../../src/core/gemm.js';
import { createRng } from '../../src/core/rng.js';
import type { FloatArray } from '../../src/core/tensor.js';
import { matrix } from '../../src/core/tensor.js';
import {
  createAutoencoder,
  resumeAutoencoderTraining,
  trainAutoencoder,
} from '../../src/models/autoencoder.js';
import { createMlp, trainMlp } from '../../src/models/mlp.js';
import { adamFor, adamRangeKernel, registerSplitAdam } from '../../src/models/optim.js';
import { sharedFloatArray } from '../../src/parallel/gemmParallel.js';
import {
  createThreadedGemm,
  THREADED_ADAM_MIN_ELEMENTS,
  THREADED_GEMM_MIN_WORK,
  type ThreadedGemm,
} from '../../src/parallel/threadedGemm.js';
import { allMismatches, mismatches } from './pools.js';

// Sizes whose minibatch products (64 x 112 x 300 and its transposes: 2.2e6 multiply-adds) are above the
// threaded product's threshold and whose weight arrays (33,600 elements) are above the threaded Adam's, so
// that both are split between the two threads; 200 rows in batches of 64 leave a last batch of 8 rows,
// whose products are small enough to stay in the calling thread.
const D = 300;
const H = 112;
const ROWS = 200;
const BATCH = 64;

describe('dense training with a threaded gemm', () => {
  let two: ThreadedGemm;
  beforeAll(() => {
    two = createThreadedGemm({ threads: 2 });
  });
  afterAll(() => two.close());

  /**
   * two.gemm, counting the products large enough and shared, i.e. those it splits between its threads;
   * declared to go with two.adam, as two.gemm is, so that training splits its Adam steps too.
   */
  function counting(): { gemm: GemmKernelFunction; split: () => number } {
    let split = 0;
    const gemm: GemmKernelFunction = (...args) => {
      if (
        args[2] * args[3] * args[4] >= THREADED_GEMM_MIN_WORK &&
        args[6].buffer instanceof SharedArrayBuffer &&
        args[9].buffer instanceof SharedArrayBuffer &&
        args[13].buffer instanceof SharedArrayBuffer
      )
        split++;
      two.gemm(...args);
    };
    registerSplitAdam(gemm, two.adam);
    return { gemm, split: () => split };
  }

  it('trains an autoencoder bit-identically to the single-thread run (float64 and float32, untied and tied)', () => {
    expect(BATCH * H * D).toBeGreaterThanOrEqual(THREADED_GEMM_MIN_WORK);
    expect(H * D).toBeGreaterThanOrEqual(THREADED_ADAM_MIN_ELEMENTS);
    expect(two.threads).toBe(2);
    for (const dtype of ['float64', 'float32'] as const) {
      for (const tied of [false, true]) {
        const Ctor = dtype === 'float32' ? Float32Array : Float64Array;
        const data = createRng(31).fillUniform(new Ctor(ROWS * D));
        const validation = matrix(createRng(32).fillUniform(new Ctor(50 * D)), 50, D);
        const model = createAutoencoder({ layers: [D, H], tied, dtype, rng: createRng(33) });
        const options = { epochs: 2, batchSize: BATCH, validation };
        const single = trainAutoencoder(model, matrix(data, ROWS, D), { ...options, rng: createRng(34) });
        const { gemm, split } = counting();
        const threaded = trainAutoencoder(model, matrix(data, ROWS, D), {
          ...options,
          rng: createRng(34),
          gemm,
        });
        // every full minibatch's five products (three with tied weights' accumulation) went to both threads
        expect(split()).toBeGreaterThanOrEqual(2 * 3 * 5);
        expect(allMismatches(threaded.model.weights, single.model.weights)).toBe(0);
        expect(allMismatches(threaded.model.biases, single.model.biases)).toBe(0);
        expect(threaded.history).toEqual(single.history);
        expect(
          allMismatches(threaded.checkpoint.optimizer.moments1, single.checkpoint.optimizer.moments1),
        ).toBe(0);
        expect(
          allMismatches(threaded.checkpoint.optimizer.moments2, single.checkpoint.optimizer.moments2),
        ).toBe(0);
        // the returned model and the checkpoint are ordinary (unshared) copies; the input is untouched
        expect(threaded.model.weights[0]!.buffer).toBeInstanceOf(ArrayBuffer);
        expect(threaded.checkpoint.model.weights[0]!.buffer).toBeInstanceOf(ArrayBuffer);
        expect(model.weights[0]!.buffer).toBeInstanceOf(ArrayBuffer);
        // a threaded resume continues the single-thread run bit-identically
        const first = trainAutoencoder(model, matrix(data, ROWS, D), {
          ...options,
          epochs: 1,
          rng: createRng(34),
        });
        const resumed = resumeAutoencoderTraining(first.checkpoint, matrix(data, ROWS, D), {
          epochs: 2,
          validation,
          gemm: two.gemm,
        });
        expect(allMismatches(resumed.model.weights, single.model.weights)).toBe(0);
        expect(resumed.history).toEqual(single.history);
      }
    }
  });

  it('trains an MLP bit-identically to the single-thread run (float64 and float32)', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const Ctor = dtype === 'float32' ? Float32Array : Float64Array;
      const x = createRng(41).fillNormal(new Ctor(ROWS * D));
      const labels = Array.from(
        { length: ROWS },
        (_, i) => (x[i * D]! > 0 ? 1 : 0) + (x[i * D + 1]! > 0 ? 2 : 0),
      );
      const model = createMlp({ layers: [D, H, 4], dtype, rng: createRng(42) });
      const options = {
        epochs: 2,
        batchSize: BATCH,
        optimizer: { kind: 'adam', learningRate: 1e-2 },
      } as const;
      const single = trainMlp(model, matrix(x, ROWS, D), labels, { ...options, rng: createRng(43) });
      const { gemm, split } = counting();
      const threaded = trainMlp(model, matrix(x, ROWS, D), labels, { ...options, rng: createRng(43), gemm });
      // per full minibatch: the first layer's forward product and its weight gradient
      expect(split()).toBeGreaterThanOrEqual(2 * 3 * 2);
      expect(allMismatches(threaded.model.weights, single.model.weights)).toBe(0);
      expect(allMismatches(threaded.model.biases, single.model.biases)).toBe(0);
      expect(threaded.history).toEqual(single.history);
      expect(threaded.model.weights[0]!.buffer).toBeInstanceOf(ArrayBuffer);
    }
  });

  it('splits an Adam update over the threads bit-identically to adamRangeKernel (both precisions, both epsilon forms)', () => {
    const n = 3 * THREADED_ADAM_MIN_ELEMENTS + 5; // not a multiple of the 16-element ranges
    const r = createRng(51);
    for (const dtype of ['float64', 'float32'] as const) {
      for (const tf of [false, true]) {
        const shared = (): FloatArray =>
          dtype === 'float32' ? sharedFloatArray('float32', n) : sharedFloatArray('float64', n);
        const p = shared();
        const g = shared();
        const m1 = sharedFloatArray('float64', n);
        const m2 = sharedFloatArray('float64', n);
        for (let i = 0; i < n; i++) {
          p[i] = r.normal();
          g[i] = r.normal() * 1e-2;
          m1[i] = r.normal() * 1e-3;
          m2[i] = r.uniform() * 1e-4;
        }
        const [p0, m10, m20] = [p.slice(), m1.slice(), m2.slice()];
        // three steps over a sub-range [7, n - 3), the ends left alone
        for (let t = 5; t < 8; t++) {
          adamRangeKernel(p0, g, m10, m20, 0.9, 0.999, 1e-3, 1e-8, t, tf, 7, n - 3);
          two.adam(p, g, m1, m2, 0.9, 0.999, 1e-3, 1e-8, t, tf, 7, n - 3);
        }
        expect(mismatches(p, p0)).toBe(0);
        expect(mismatches(m1, m10)).toBe(0);
        expect(mismatches(m2, m20)).toBe(0);
        expect(p[3]).toBe(p0[3]);
      }
    }
    expect(createThreadedGemm({ threads: 1 }).adam).toBe(adamRangeKernel);
    expect(adamFor(two.gemm)).toBe(two.adam);
    expect(adamFor(() => {})).toBe(adamRangeKernel);
  });

  it('refuses a gemm that is not a function', () => {
    const model = createAutoencoder({ layers: [4, 2], rng: createRng(1) });
    const data = matrix(new Float64Array(8).fill(0.5), 2, 4);
    expect(() =>
      trainAutoencoder(model, data, { epochs: 1, batchSize: 2, rng: createRng(2), gemm: 3 as never }),
    ).toThrow('trainAutoencoder: options.gemm: expected a function with the contract of gemmKernel');
    expect(() =>
      trainMlp(createMlp({ layers: [4, 2], rng: createRng(1) }), data, [0, 1], {
        epochs: 1,
        batchSize: 2,
        rng: createRng(2),
        gemm: 'two' as never,
      }),
    ).toThrow(DomainError);
  });
});
