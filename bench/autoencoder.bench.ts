import { createRng } from '../src/core/rng.js';
import type { FloatArray } from '../src/core/tensor.js';
import { createAutoencoder, trainAutoencoder } from '../src/models/autoencoder.js';
import type { Benchmark, BenchRow } from './harness.js';

const D = 784;
const H = 256;
const N = 10_000;
const BATCH = 100;
/** Five products of 2 * batch * D * H flop per batch: encoder, decoder, decoder dW, dh, encoder dW. */
const FLOP_PER_EPOCH = (N / BATCH) * 5 * 2 * BATCH * D * H;

/**
 * The straightforward reference: one minibatch step of the same sigmoid 784-256-784 autoencoder (MSE,
 * plain SGD) written as triple loops (dot-product order), no blocking, no GEMM kernel.
 */
function naiveBatch(
  x: FloatArray,
  w1: FloatArray,
  b1: FloatArray,
  w2: FloatArray,
  b2: FloatArray,
  h: FloatArray,
  y: FloatArray,
  dy: FloatArray,
  dh: FloatArray,
  g1: FloatArray,
  g2: FloatArray,
): number {
  const B = BATCH;
  for (let r = 0; r < B; r++)
    for (let a = 0; a < H; a++) {
      let s = b1[a]!;
      for (let i = 0; i < D; i++) s += x[r * D + i]! * w1[i * H + a]!;
      h[r * H + a] = 1 / (1 + Math.exp(-s));
    }
  let loss = 0;
  for (let r = 0; r < B; r++)
    for (let i = 0; i < D; i++) {
      let s = b2[i]!;
      for (let a = 0; a < H; a++) s += h[r * H + a]! * w2[a * D + i]!;
      const v = 1 / (1 + Math.exp(-s));
      y[r * D + i] = v;
      const e = v - x[r * D + i]!;
      loss += e * e;
      dy[r * D + i] = ((2 * e) / (B * D)) * v * (1 - v);
    }
  for (let a = 0; a < H; a++)
    for (let i = 0; i < D; i++) {
      let s = 0;
      for (let r = 0; r < B; r++) s += h[r * H + a]! * dy[r * D + i]!;
      g2[a * D + i] = s;
    }
  for (let r = 0; r < B; r++)
    for (let a = 0; a < H; a++) {
      let s = 0;
      for (let i = 0; i < D; i++) s += dy[r * D + i]! * w2[a * D + i]!;
      const v = h[r * H + a]!;
      dh[r * H + a] = s * v * (1 - v);
    }
  for (let i = 0; i < D; i++)
    for (let a = 0; a < H; a++) {
      let s = 0;
      for (let r = 0; r < B; r++) s += x[r * D + i]! * dh[r * H + a]!;
      g1[i * H + a] = s;
    }
  for (let k = 0; k < w1.length; k++) w1[k]! -= 0.1 * g1[k]!;
  for (let k = 0; k < w2.length; k++) w2[k]! -= 0.1 * g2[k]!;
  return loss / (B * D);
}

function runCase(dtype: 'float32' | 'float64'): BenchRow[] {
  const Ctor = dtype === 'float32' ? Float32Array : Float64Array;
  const data = createRng(1).fillUniform(new Ctor(N * D));
  const model = createAutoencoder({ layers: [D, H], activations: 'sigmoid', dtype, rng: createRng(2) });
  const options = {
    batchSize: BATCH,
    optimizer: { kind: 'adam' as const, learningRate: 1e-3 },
    rng: createRng(3),
  };
  // warm-up on a tenth of the data, then one timed epoch over all of it
  trainAutoencoder(model, data.subarray(0, (N * D) / 10), { ...options, epochs: 1 });
  const t0 = performance.now();
  const res = trainAutoencoder(model, data, { ...options, epochs: 1 });
  const seconds = (performance.now() - t0) / 1000;
  const loss = res.history[0]!.trainLoss;
  if (!(loss > 0 && loss < 1)) throw new Error(`autoencoder bench (${dtype}): implausible loss ${loss}`);

  // the naive reference: time 3 batches (after one warm-up batch) and scale to the 100 batches of an epoch
  const w1 = model.weights[0]!.slice();
  const w2 = model.weights[1]!.slice();
  const b1 = new Ctor(H);
  const b2 = new Ctor(D);
  const bufs = [
    new Ctor(BATCH * H),
    new Ctor(BATCH * D),
    new Ctor(BATCH * D),
    new Ctor(BATCH * H),
    new Ctor(D * H),
    new Ctor(D * H),
  ] as const;
  const batchAt = (k: number) => data.subarray(k * BATCH * D, (k + 1) * BATCH * D);
  naiveBatch(batchAt(0), w1, b1, w2, b2, ...bufs);
  const reps = 3;
  const t1 = performance.now();
  for (let k = 1; k <= reps; k++) {
    const l = naiveBatch(batchAt(k), w1, b1, w2, b2, ...bufs);
    if (!(l > 0 && l < 1)) throw new Error(`autoencoder bench: naive reference loss ${l}`);
  }
  const naiveSeconds = (((performance.now() - t1) / 1000) * (N / BATCH)) / reps;
  const label = `naive triple loop (${reps} batches, scaled)`;
  return [
    {
      case: `epoch 784-256-784, n=1e4, batch 100, ${dtype}`,
      ours: seconds,
      reference: naiveSeconds,
      referenceLabel: label,
      unit: 's/epoch',
      higherIsBetter: false,
      target: 10,
    },
    {
      case: `epoch 784-256-784 rate, ${dtype}`,
      ours: FLOP_PER_EPOCH / seconds / 1e9,
      reference: FLOP_PER_EPOCH / naiveSeconds / 1e9,
      referenceLabel: label,
      unit: 'GFLOP/s',
      higherIsBetter: true,
    },
  ];
}

/** One autoencoder training epoch (784-256-784 over 10,000 MNIST-shaped samples, batch 100), float32 and float64. */
export const benchmarks: Benchmark[] = [
  { name: 'autoencoder-f32', run: () => runCase('float32') },
  { name: 'autoencoder-f64', run: () => runCase('float64') },
];
