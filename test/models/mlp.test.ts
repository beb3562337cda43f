import { describe, expect, it } from 'vitest';
import { DivergenceError, DomainError, ShapeError, StateError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import {
  accuracy,
  createMlp,
  type Mlp,
  mlpLoss,
  mlpLossAndGradient,
  predictClass,
  predictMlp,
  predictProbabilities,
  resumeMlpTraining,
  trainMlp,
} from '../../src/models/mlp.js';
import { batch } from './batch.js';

function gradientError(model: Mlp<Float64Array>, x: Float64Array, t: ArrayLike<number>): number {
  const { gradWeights, gradBiases } = mlpLossAndGradient(model, x, t);
  const params = [...model.weights, ...model.biases];
  const grads = [...gradWeights, ...gradBiases];
  const h = 1e-5;
  let diff = 0;
  for (let j = 0; j < params.length; j++) {
    const p = params[j]!;
    for (let i = 0; i < p.length; i++) {
      const saved = p[i]!;
      p[i] = saved + h;
      const lp = mlpLoss(model, batch(x, model.layers[0]!), t);
      p[i] = saved - h;
      const lm = mlpLoss(model, batch(x, model.layers[0]!), t);
      p[i] = saved;
      const fd = (lp - lm) / (2 * h);
      diff += (grads[j]![i]! - fd) ** 2;
    }
  }
  let gn = 0;
  for (const g of grads) for (const v of g) gn += v * v;
  return Math.sqrt(diff / gn);
}

/** Three Gaussian blobs in 2D; labels 0..2. */
function blobs(n: number, seed: number): { x: Float64Array; labels: Int32Array } {
  const rng = createRng(seed);
  const centres = [
    [0, 2],
    [2, -1],
    [-2, -1],
  ];
  const x = new Float64Array(2 * n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    labels[i] = c;
    x[2 * i] = centres[c]![0]! + 0.5 * rng.normal();
    x[2 * i + 1] = centres[c]![1]! + 0.5 * rng.normal();
  }
  return { x, labels };
}

describe('MLP gradients (float64, central differences)', () => {
  const x = createRng(5).fillNormal(new Float64Array(6 * 4));
  const labels = Int32Array.of(0, 2, 1, 1, 0, 2);
  const values = createRng(6).fillNormal(new Float64Array(6 * 3));
  for (const act of ['linear', 'sigmoid', 'tanh', 'relu'] as const) {
    it(`softmax + cross-entropy, hidden ${act}: relative error < 1e-6`, () => {
      const model = createMlp({ layers: [4, 5, 4, 3], activations: act, rng: createRng(1) });
      model.biases[0]!.fill(0.05);
      expect(gradientError(model, x, labels)).toBeLessThan(1e-6);
    });
    it(`linear + MSE, hidden ${act}: relative error < 1e-6`, () => {
      const model = createMlp({ layers: [4, 5, 3], activations: act, output: 'linear', rng: createRng(2) });
      expect(gradientError(model, x, values)).toBeLessThan(1e-6);
    });
  }
});

describe('predict', () => {
  it('probabilities sum to 1, classes are their argmax, float32 works', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const model = createMlp({ layers: [100, 64, 60], dtype, rng: createRng(3) });
      const x = createRng(4).fillUniform(new Float64Array(100 * 7));
      const p = predictProbabilities(model, batch(x, model.layers[0]!)).data;
      expect(p).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
      for (let r = 0; r < 7; r++) {
        let s = 0;
        let best = 0;
        for (let j = 0; j < 60; j++) {
          s += p[r * 60 + j]!;
          if (p[r * 60 + j]! > p[r * 60 + best]!) best = j;
        }
        expect(s).toBeCloseTo(1, dtype === 'float32' ? 5 : 12);
        expect(predictClass(model, batch(x, model.layers[0]!))[r]).toBe(best);
      }
      expect(Array.from(predictMlp(model, batch(x, model.layers[0]!)).data)).toEqual(Array.from(p));
      const out = dtype === 'float32' ? new Float32Array(420) : new Float64Array(420);
      expect(predictMlp(model, batch(x, model.layers[0]!), out as never).data).toBe(out);
      expect(Array.from(out)).toEqual(Array.from(p));
    }
  });
});

describe('trainMlp', () => {
  const train = blobs(150, 1);
  const test = blobs(90, 2);
  const opts = { epochs: 30, batchSize: 25, optimizer: { kind: 'adam' as const, learningRate: 0.03 } };

  it('learns three separable blobs (held-out accuracy >= 0.95) and reports validation metrics', () => {
    const mlp = createMlp({ layers: [2, 16, 3], activations: 'tanh', rng: createRng(7) });
    expect(accuracy(mlp, batch(test.x, mlp.layers[0]!), test.labels)).toBeLessThan(0.9);
    const seen: number[] = [];
    const res = trainMlp(
      mlp,
      batch(train.x, mlp.layers[0]!),
      train.labels,
      {
        ...opts,
        rng: createRng(8),
        validation: { x: batch(test.x, mlp.layers[0]!), targets: test.labels },
      },
      { onProgress: (p) => seen.push(p.metrics!.validationAccuracy!) },
    );
    expect(seen).toHaveLength(30);
    expect(accuracy(res.model, batch(test.x, res.model.layers[0]!), test.labels)).toBeGreaterThanOrEqual(
      0.95,
    );
    expect(res.history.at(-1)!.validationAccuracy).toBe(
      accuracy(res.model, batch(test.x, res.model.layers[0]!), test.labels),
    );
    expect(res.history.at(-1)!.trainLoss).toBeLessThan(res.history[0]!.trainLoss);
  });

  it('fits a linear regression target and resumes bit-identically', () => {
    const rng = createRng(9);
    const x = rng.fillNormal(new Float64Array(80 * 3));
    const y = new Float64Array(80);
    for (let i = 0; i < 80; i++) y[i] = 2 * x[3 * i]! - x[3 * i + 1]! + 0.5;
    const mlp = createMlp({ layers: [3, 1], output: 'linear', rng: createRng(1) });
    const full = trainMlp(mlp, batch(x, mlp.layers[0]!), y, { ...opts, epochs: 60, rng: createRng(2) });
    expect(mlpLoss(full.model, batch(x, full.model.layers[0]!), y)).toBeLessThan(1e-3);
    const part = trainMlp(mlp, batch(x, mlp.layers[0]!), y, { ...opts, epochs: 25, rng: createRng(2) });
    const rest = resumeMlpTraining(part.checkpoint, batch(x, part.checkpoint.model.layers[0]!), y, {
      epochs: 60,
    });
    expect(Array.from(rest.model.weights[0]!)).toEqual(Array.from(full.model.weights[0]!));
    expect(Array.from(rest.model.biases[0]!)).toEqual(Array.from(full.model.biases[0]!));
    expect(rest.history).toEqual(full.history);
  });

  it('diverges loudly with a huge learning rate', () => {
    const x = createRng(9).fillNormal(new Float64Array(40 * 3));
    const y = x.map((v) => 10 * v);
    const mlp = createMlp({ layers: [3, 8, 3], activations: 'linear', output: 'linear', rng: createRng(1) });
    let err: unknown;
    try {
      trainMlp(mlp, batch(x, mlp.layers[0]!), y, {
        epochs: 50,
        batchSize: 10,
        optimizer: { kind: 'sgd', learningRate: 10 },
        rng: createRng(1),
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DivergenceError);
    const good = (err as DivergenceError<Mlp>).lastGood!;
    expect(good.weights.every((w) => w.every(Number.isFinite))).toBe(true);
  });

  it('rejects bad input with typed errors naming the argument', () => {
    const r = createRng(1);
    expect(() => createMlp({ layers: [4], rng: r })).toThrow(/createMlp: layers: expected at least 2 sizes/);
    expect(() => createMlp({ layers: [4, 1], rng: r })).toThrow(/at least 2 classes for a softmax output/);
    expect(() => createMlp({ layers: [4, 3, 2], activations: ['tanh', 'relu'], rng: r })).toThrow(ShapeError);
    expect(() => createMlp({ layers: [4, 3, 2], activations: 'softmax' as 'relu', rng: r })).toThrow(
      DomainError,
    );
    const mlp = createMlp({ layers: [2, 4, 3], rng: r });
    expect(() =>
      trainMlp(mlp, batch(train.x.subarray(1), mlp.layers[0]!), train.labels, { ...opts, rng: r }),
    ).toThrow('trainMlp: x.data: expected 300 elements (150 x 2), received 299');
    expect(() =>
      trainMlp(mlp, batch(train.x, mlp.layers[0]!), train.labels.subarray(1), { ...opts, rng: r }),
    ).toThrow(/trainMlp: targets: expected 150 labels/);
    const bad = train.labels.slice();
    bad[4] = 3;
    expect(() => trainMlp(mlp, batch(train.x, mlp.layers[0]!), bad, { ...opts, rng: r })).toThrow(
      /trainMlp: targets\[4\]: expected an integer in \[0, 2\], received 3/,
    );
    const nan = train.x.slice();
    nan[0] = Number.NaN;
    expect(() => trainMlp(mlp, batch(nan, mlp.layers[0]!), train.labels, { ...opts, rng: r })).toThrow(
      /trainMlp: x\[0\]: expected a finite number/,
    );
    expect(() =>
      trainMlp(mlp, batch(train.x, mlp.layers[0]!), train.labels, {
        ...opts,
        optimizer: { kind: 'sgd', learningRate: -1 },
        rng: r,
      }),
    ).toThrow(/trainMlp: options.optimizer.learningRate: expected a finite number > 0, received -1/);
    expect(() =>
      trainMlp(mlp, batch(train.x, mlp.layers[0]!), train.labels, { ...opts, batchSize: 0, rng: r }),
    ).toThrow(/options.batchSize/);
    const reg = createMlp({ layers: [2, 1], output: 'linear', rng: r });
    expect(() => predictClass(reg, batch([1, 2], reg.layers[0]!))).toThrow(
      /predictProbabilities: model.output/,
    );
    const x = new Float64Array(6);
    expect(() => predictMlp(mlp, batch(x, mlp.layers[0]!), x.subarray(0, 9) as never).data).toThrow(
      ShapeError,
    );
    expect(() => predictMlp(mlp, batch(x, mlp.layers[0]!), new Float32Array(9) as never).data).toThrow(
      /predictMlp: out: expected a Float64Array/,
    );
    const shared = new Float64Array(15);
    expect(
      () => predictMlp(mlp, batch(shared.subarray(0, 6), mlp.layers[0]!), shared.subarray(6) as never).data,
    ).toThrow(/predictMlp: out: expected an array that does not share memory with the input/);
    expect(() =>
      accuracy({ ...mlp, kind: 'rbm' } as unknown as Mlp, batch(train.x, 4), train.labels),
    ).toThrow(StateError);
  });
});

describe('MLP front ends take a Matrix', () => {
  it('swapped inputs throw; Int8Array inputs give the numbers of their float copy', () => {
    const mlp = createMlp({ layers: [4, 5, 3], rng: createRng(3) });
    const rng = createRng(4);
    const x = Int8Array.from({ length: 12 * 4 }, () => (rng.uniform() < 0.5 ? 1 : -1));
    const labels = Int32Array.from({ length: 12 }, (_, i) => i % 3);
    const p = predictProbabilities(mlp, matrix(x, 12, 4));
    expect([p.rows, p.cols]).toEqual([12, 3]);
    expect(p.data).toEqual(predictProbabilities(mlp, matrix(Float64Array.from(x), 12, 4)).data);
    expect(accuracy(mlp, matrix(x, 12, 4), labels)).toBe(
      accuracy(mlp, matrix(Float64Array.from(x), 12, 4), labels),
    );
    expect(() => predictClass(mlp, matrix(x, 4, 12))).toThrow(
      new ShapeError('predictProbabilities: x.cols: expected 4 (model.layers[0]), received 12'),
    );
    expect(() => mlpLoss(mlp, matrix(x, 4, 12), labels)).toThrow(/mlpLoss: x.cols: expected 4/);
    expect(() => trainMlp(mlp, x as never, labels, { epochs: 1, batchSize: 4, rng })).toThrow(
      /trainMlp: x: expected a Matrix/,
    );
  });
});
