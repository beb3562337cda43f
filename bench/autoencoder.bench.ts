import type { GemmKernelFunction } from '../src/core/gemm.js';
import { createRng } from '../src/core/rng.js';
import type { FloatArray } from '../src/core/tensor.js';
import { createAutoencoder, trainAutoencoder } from '../src/models/autoencoder.js';
import type { ThreadedGemm } from '../src/parallel/threadedGemm.js';
import { batch } from '../test/models/batch.js';
import { type Benchmark, type BenchRow, bySize, referenceRow, reps, withThreadedGemm } from './harness.js';
import { pick, pythonReference } from './reference.js';

const D = 784;
/** Hidden units and training rows (tiny in smoke mode). */
const H = bySize(256, 32);
const N = bySize(10_000, 400);
const BATCH = 100;
/**
 * The network of scikit-learn's MLPRegressor(H, activation='logistic') (bench/reference/autoencoder.py):
 * a sigmoid code and a linear output layer under squared error, which is also our default autoencoder.
 */
const ACTIVATIONS = ['sigmoid', 'linear'] as const;
/** Five products of 2 * batch * D * H flop per batch: encoder, decoder, decoder dW, dh, encoder dW. */
const FLOP_PER_EPOCH = (N / BATCH) * 5 * 2 * BATCH * D * H;

/**
 * The straightforward reference: one minibatch step of the same 784-256-784 autoencoder (sigmoid code,
 * linear output, MSE, plain SGD) written as triple loops (dot-product order), no blocking, no GEMM kernel.
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
      y[r * D + i] = s;
      const e = s - x[r * D + i]!;
      loss += e * e;
      dy[r * D + i] = (2 * e) / (B * D);
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

/** Best wall time of `epochs` one-epoch trainings over all the data (after a warm-up on a tenth of it). */
function timeEpochs(
  dtype: 'float32' | 'float64',
  data: FloatArray,
  epochs: number,
  gemm: GemmKernelFunction | undefined,
): number {
  const model = createAutoencoder({ layers: [D, H], activations: ACTIVATIONS, dtype, rng: createRng(2) });
  const options = {
    batchSize: BATCH,
    optimizer: { kind: 'adam' as const, learningRate: 1e-3 },
    rng: createRng(3),
    ...(gemm ? { gemm } : {}),
  };
  trainAutoencoder(model, batch(data.subarray(0, (N * D) / 10), model.layers[0]!), { ...options, epochs: 1 });
  let seconds = Number.POSITIVE_INFINITY;
  for (let e = 0; e < epochs; e++) {
    const t0 = performance.now();
    const res = trainAutoencoder(model, batch(data, model.layers[0]!), { ...options, epochs: 1 });
    seconds = Math.min(seconds, (performance.now() - t0) / 1000);
    const loss = res.history[0]!.trainLoss;
    if (!(loss > 0 && loss < 1)) throw new Error(`autoencoder bench (${dtype}): implausible loss ${loss}`);
  }
  return seconds;
}

function runCase(dtype: 'float32' | 'float64', threaded: ThreadedGemm): BenchRow[] {
  const Ctor = dtype === 'float32' ? Float32Array : Float64Array;
  const data = createRng(1).fillUniform(new Ctor(N * D));
  const model = createAutoencoder({ layers: [D, H], activations: ACTIVATIONS, dtype, rng: createRng(2) });
  // one timed epoch over all the data, best of `epochs`, on one thread and on the threaded product
  const epochs = reps(3);
  const seconds = timeEpochs(dtype, data, epochs, undefined);
  const twoSeconds = timeEpochs(dtype, data, epochs, threaded.gemm);
  // scikit-learn's MLPRegressor(hidden) on uniform data of the same size and dtype, best of as many epochs
  const sklearn = pick(
    pythonReference('sklearn', 'autoencoder.py', {
      n: N,
      d: D,
      hidden: H,
      batch: BATCH,
      dtype,
      repeats: epochs,
    }),
    'sklearn-mlp',
  );

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
  const batches = reps(3);
  const t1 = performance.now();
  for (let k = 1; k <= batches; k++) {
    const l = naiveBatch(batchAt(k), w1, b1, w2, b2, ...bufs);
    if (!(l > 0 && l < 1)) throw new Error(`autoencoder bench: naive reference loss ${l}`);
  }
  const naiveSeconds = (((performance.now() - t1) / 1000) * (N / BATCH)) / batches;
  const label = `naive triple loop (${batches} batches, scaled)`;
  const layers = `${D}-${H}-${D}`;
  return [
    {
      case: `epoch ${layers}, n=${N}, batch ${BATCH}, ${dtype} (best of ${epochs})`,
      ours: seconds,
      reference: naiveSeconds,
      referenceLabel: label,
      unit: 's/epoch',
      higherIsBetter: false,
      target: 10,
    },
    // issue 15: at most 1.5x scikit-learn's time (a target ratio), on the same network (see ACTIVATIONS)
    referenceRow(`epoch ${layers} vs scikit-learn, ${dtype}`, seconds, sklearn, 's/epoch', false),
    // both cores, as a user asks for them: the threaded product (its start-up is a row of its own)
    referenceRow(
      `epoch ${layers} vs scikit-learn, ${dtype}, ${threaded.threads} threads (threaded gemm)`,
      twoSeconds,
      sklearn,
      's/epoch',
      false,
    ),
    {
      case: `epoch ${layers} rate, ${dtype}`,
      ours: FLOP_PER_EPOCH / seconds / 1e9,
      reference: FLOP_PER_EPOCH / naiveSeconds / 1e9,
      referenceLabel: label,
      unit: 'GFLOP/s',
      higherIsBetter: true,
    },
  ];
}

/**
 * One autoencoder training epoch (784-256-784, sigmoid code and linear output, over 10,000 MNIST-shaped
 * samples, batch 100, Adam), float32 and float64, on one thread and on two (the threaded product), beside
 * a naive loop and scikit-learn's MLPRegressor on the same network.
 */
export const benchmarks: Benchmark[] = [
  { name: 'autoencoder-f32', run: () => withThreadedGemm((threaded) => runCase('float32', threaded)) },
  { name: 'autoencoder-f64', run: () => withThreadedGemm((threaded) => runCase('float64', threaded)) },
];
