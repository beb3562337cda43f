import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GemmKernelFunction, gemmKernel } from '../../src/core/gemm.js';
import { createRng } from '../../src/core/rng.js';
import type { FloatArray } from '../../src/core/tensor.js';
import { matrix } from '../../src/core/tensor.js';
import { createAutoencoder, trainAutoencoder } from '../../src/models/autoencoder.js';
import { type DenseEpilogueStep, denseEpilogue, gemmEpilogueFor } from '../../src/models/denseEpilogue.js';
import { allocFloat } from '../../src/models/denseLayer.js';
import { createMlp, trainMlp } from '../../src/models/mlp.js';
import {
  createThreadedGemm,
  THREADED_GEMM_MIN_WORK,
  type ThreadedGemm,
} from '../../src/parallel/threadedGemm.js';
import { allMismatches, mismatches } from './pools.js';

// a product above the threaded product's threshold: 64 x 128 x 160 = 1.3e6 multiply-adds
const M = 64;
const N = 128;
const K = 160;

describe('fused products (epilogues) on a threaded gemm', () => {
  let two: ThreadedGemm;
  beforeAll(() => {
    two = createThreadedGemm({ threads: 2 });
  });
  afterAll(() => two.close());

  it('runs each kind of epilogue on the threads with the bits of the one-thread fused product', () => {
    expect(M * N * K).toBeGreaterThanOrEqual(THREADED_GEMM_MIN_WORK);
    expect(two.threads).toBe(2);
    const fused = gemmEpilogueFor(two.gemm);
    expect(gemmEpilogueFor(two.gemm)).toBe(fused); // the threaded one, registered with the product
    const rng = createRng(21);
    for (const dtype of ['float64', 'float32'] as const) {
      const shared = (n: number): FloatArray => allocFloat(dtype, n, true);
      const a = rng.fillNormal(shared(M * K));
      const b = rng.fillNormal(shared(K * N));
      const bias = rng.fillNormal(shared(N));
      const target = rng.fillUniform(shared(M * N));
      const p0 = rng.fillNormal(shared(M * N));
      const m10 = rng.fillNormal(new Float64Array(M * N));
      const m20 = rng.fillUniform(new Float64Array(M * N));
      type Outputs = {
        c: FloatArray;
        y: FloatArray;
        dz: FloatArray;
        sums: FloatArray;
        p: FloatArray;
        m1: Float64Array;
        m2: Float64Array;
      };
      const outputs = (): Outputs => {
        const m1 = new Float64Array(new SharedArrayBuffer(M * N * 8));
        const m2 = new Float64Array(new SharedArrayBuffer(M * N * 8));
        m1.set(m10);
        m2.set(m20);
        const p = shared(M * N);
        p.set(p0);
        return { c: shared(M * N), y: shared(M * N), dz: shared(M * N), sums: shared(N), p, m1, m2 };
      };
      // the epilogues of dense training: column sums force a split by columns, softmax one by rows
      const cases: [string, boolean, (o: Outputs) => DenseEpilogueStep[]][] = [
        [
          'forward with the loss gradient and bias gradient (by columns)',
          true,
          (o) => [
            { kind: 'activation', activation: 'sigmoid', z: o.c, y: o.y },
            { kind: 'mseGradient', y: o.y, target, dz: o.dz, scale: 0.3 },
            { kind: 'activationBackward', activation: 'sigmoid', y: o.y, dz: o.dz },
            { kind: 'columnSums', m: o.dz, sums: o.sums },
          ],
        ],
        ['softmax (by rows)', true, (o) => [{ kind: 'activation', activation: 'softmax', z: o.c, y: o.y }]],
        [
          'an Adam step on the gradient (either way)',
          false,
          (o) => [
            { kind: 'bceGradient', y: target, target: o.c, dz: o.dz, scale: 0.7 },
            {
              kind: 'adam',
              p: o.p,
              g: o.c,
              m1: o.m1,
              m2: o.m2,
              beta1: 0.9,
              beta2: 0.99,
              learningRate: 1e-2,
              epsilon: 1e-8,
              t: 4,
              tf: true,
            },
          ],
        ],
        [
          'softmax and column sums (one thread)',
          false,
          (o) => [
            { kind: 'activation', activation: 'softmax', z: o.c, y: o.y },
            { kind: 'columnSums', m: o.y, sums: o.sums },
          ],
        ],
      ];
      for (const [name, withBias, steps] of cases) {
        for (const transB of [false, true]) {
          const run = (product: typeof fused): Outputs => {
            const o = outputs();
            const beta = withBias ? 1 : 0;
            const args: Parameters<GemmKernelFunction> = transB
              ? [false, true, M, N, K, 1, a, 0, K, b, 0, K, beta, o.c, 0, N]
              : [false, false, M, N, K, 1, a, 0, K, b, 0, N, beta, o.c, 0, N];
            product(...args, denseEpilogue(withBias ? bias : null, steps(o)));
            return o;
          };
          const one = run(gemmEpilogueFor(gemmKernel));
          const threaded = run(fused);
          for (const key of ['c', 'y', 'dz', 'sums', 'p', 'm1', 'm2'] as const)
            expect(mismatches(threaded[key], one[key]), `${dtype} ${name} ${key}`).toBe(0);
        }
      }
    }
  });

  it('trains autoencoders and an MLP bit-identically to one thread (products and their epilogues split)', () => {
    const D = 300;
    const H = 112;
    const ROWS = 200;
    for (const dtype of ['float64', 'float32'] as const) {
      const Ctor = dtype === 'float32' ? Float32Array : Float64Array;
      const data = matrix(createRng(61).fillUniform(new Ctor(ROWS * D)), ROWS, D);
      for (const [activations, loss, tied] of [
        [['sigmoid', 'linear'], 'mse', false],
        ['sigmoid', 'bce', false],
        [['tanh', 'sigmoid'], 'mse', true],
      ] as const) {
        const model = createAutoencoder({ layers: [D, H], activations, tied, dtype, rng: createRng(62) });
        const options = { epochs: 2, batchSize: 64, loss, rng: createRng(63) } as const;
        const single = trainAutoencoder(model, data, { ...options, rng: createRng(63) });
        const threaded = trainAutoencoder(model, data, { ...options, rng: createRng(63), gemm: two.gemm });
        const label = `${dtype} ${String(activations)} ${loss} ${tied}`;
        expect(allMismatches(threaded.model.weights, single.model.weights), label).toBe(0);
        expect(allMismatches(threaded.model.biases, single.model.biases), label).toBe(0);
        expect(threaded.history, label).toEqual(single.history);
        expect(
          allMismatches(threaded.checkpoint.optimizer.moments2, single.checkpoint.optimizer.moments2),
          label,
        ).toBe(0);
      }
      const x = createRng(64).fillNormal(new Ctor(ROWS * D));
      const labels = Array.from(
        { length: ROWS },
        (_, i) => (x[i * D]! > 0 ? 1 : 0) + (x[i * D + 1]! > 0 ? 2 : 0),
      );
      const mlp = createMlp({ layers: [D, H, 4], dtype, rng: createRng(65) });
      const options = { epochs: 2, batchSize: 64, optimizer: { kind: 'adam', learningRate: 1e-2 } } as const;
      const single = trainMlp(mlp, matrix(x, ROWS, D), labels, { ...options, rng: createRng(66) });
      const threaded = trainMlp(mlp, matrix(x, ROWS, D), labels, {
        ...options,
        rng: createRng(66),
        gemm: two.gemm,
      });
      expect(allMismatches(threaded.model.weights, single.model.weights), dtype).toBe(0);
      expect(threaded.history).toEqual(single.history);
    }
  });
});
