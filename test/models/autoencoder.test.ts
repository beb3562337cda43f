import { describe, expect, it } from 'vitest';
import { AbortError, DivergenceError, DomainError, ShapeError, StateError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { type FloatArray, matrix } from '../../src/core/tensor.js';
import {
  type Autoencoder,
  autoencoderLossAndGradient,
  covarianceInitialWeights,
  createAutoencoder,
  decode,
  encode,
  reconstruct,
  reconstructionLoss,
  resumeAutoencoderTraining,
  trainAutoencoder,
} from '../../src/models/autoencoder.js';
import { batch } from './batch.js';

/** Relative error ||g - fd|| / max(||g||, ||fd||) of the analytic gradient against central differences. */
function gradientError(model: Autoencoder<Float64Array>, data: Float64Array, loss: 'mse' | 'bce'): number {
  const { gradWeights, gradBiases } = autoencoderLossAndGradient(model, data, loss);
  const params = [...model.weights, ...model.biases];
  const grads = [...gradWeights, ...gradBiases];
  const h = 1e-5;
  let diff = 0;
  let normG = 0;
  let normF = 0;
  for (let j = 0; j < params.length; j++) {
    const p = params[j]!;
    for (let i = 0; i < p.length; i++) {
      const saved = p[i]!;
      p[i] = saved + h;
      const lp = reconstructionLoss(model, batch(data, model.layers[0]!), loss);
      p[i] = saved - h;
      const lm = reconstructionLoss(model, batch(data, model.layers[0]!), loss);
      p[i] = saved;
      const fd = (lp - lm) / (2 * h);
      const g = grads[j]![i]!;
      diff += (g - fd) ** 2;
      normG += g * g;
      normF += fd * fd;
    }
  }
  return Math.sqrt(diff) / Math.max(Math.sqrt(normG), Math.sqrt(normF), 1e-300);
}

/** n samples of d features with covariance eigenvalues ~ scales^2, a random rotation and a non-zero mean. */
function syntheticData(n: number, scales: readonly number[], seed: number): Float64Array {
  const d = scales.length;
  const rng = createRng(seed);
  const q = rng.fillNormal(new Float64Array(d * d));
  for (let j = 0; j < d; j++) {
    for (let k = 0; k < j; k++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += q[i * d + j]! * q[i * d + k]!;
      for (let i = 0; i < d; i++) q[i * d + j]! -= s * q[i * d + k]!;
    }
    let s = 0;
    for (let i = 0; i < d; i++) s += q[i * d + j]! ** 2;
    for (let i = 0; i < d; i++) q[i * d + j]! /= Math.sqrt(s);
  }
  const data = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    const z = scales.map((s) => s * rng.normal());
    for (let i = 0; i < d; i++) {
      let v = 1 + 0.5 * i;
      for (let a = 0; a < d; a++) v += q[i * d + a]! * z[a]!;
      data[r * d + i] = v;
    }
  }
  return data;
}

function unitData(n: number, d: number, seed: number): Float64Array {
  return createRng(seed).fillUniform(new Float64Array(n * d));
}

describe('autoencoder gradients (float64, central differences)', () => {
  const data = unitData(7, 5, 11);
  for (const tied of [false, true]) {
    for (const act of ['linear', 'sigmoid', 'tanh', 'relu'] as const) {
      it(`mse, ${act}, ${tied ? 'tied' : 'untied'}: relative error < 1e-6`, () => {
        const model = createAutoencoder({ layers: [5, 4, 3], activations: act, tied, rng: createRng(2) });
        model.biases.forEach((b, i) => {
          b.fill(0.1 * (i + 1));
        });
        expect(gradientError(model, data, 'mse')).toBeLessThan(1e-6);
      });
      it(`bce (sigmoid output), hidden ${act}, ${tied ? 'tied' : 'untied'}: relative error < 1e-6`, () => {
        const model = createAutoencoder({
          layers: [5, 4, 3],
          activations: [act, act, act, 'sigmoid'],
          tied,
          rng: createRng(4),
        });
        expect(gradientError(model, data, 'bce')).toBeLessThan(1e-6);
      });
    }
  }
});

describe('float32 models', () => {
  it('give the float64 gradient to float32 precision', () => {
    const data = unitData(9, 6, 3);
    const m64 = createAutoencoder({ layers: [6, 4, 3], activations: 'tanh', tied: true, rng: createRng(5) });
    const m32 = createAutoencoder({
      layers: [6, 4, 3],
      activations: 'tanh',
      tied: true,
      dtype: 'float32',
      rng: createRng(5),
    });
    m32.weights.forEach((w, i) => {
      w.set(m64.weights[i]!);
    });
    const g64 = autoencoderLossAndGradient(m64, data);
    const g32 = autoencoderLossAndGradient(m32, data);
    expect(g32.gradWeights[0]).toBeInstanceOf(Float32Array);
    expect(Math.abs(g32.loss - g64.loss) / g64.loss).toBeLessThan(1e-5);
    for (let j = 0; j < g64.gradWeights.length; j++) {
      const a = g64.gradWeights[j]!;
      const b = g32.gradWeights[j]!;
      let diff = 0;
      let norm = 0;
      for (let i = 0; i < a.length; i++) {
        diff += (a[i]! - b[i]!) ** 2;
        norm += a[i]! ** 2;
      }
      expect(Math.sqrt(diff / norm)).toBeLessThan(1e-5);
    }
  });
});

describe('covariance initialisation and the Baldi-Hornik optimum', () => {
  const d = 6;
  const data = syntheticData(200, [3, 2, 1, 0.5, 0.3, 0.2], 5);

  it('a linear [d, k] autoencoder built from the covariance has MSE = sum of discarded eigenvalues / d', () => {
    const { eigenvalues, mean } = covarianceInitialWeights(batch(data, d), 2);
    // the eigenvalues are those of the biased covariance: their sum is the total variance per feature
    let total = 0;
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let r = 0; r < 200; r++) s += (data[r * d + i]! - mean[i]!) ** 2;
      total += s / 200;
    }
    expect(eigenvalues.reduce((a, b) => a + b, 0)).toBeCloseTo(total, 10);
    for (const k of [1, 2, 4]) {
      let discarded = 0;
      for (let a = k; a < d; a++) discarded += eigenvalues[a]!;
      for (const tied of [false, true]) {
        const ae = createAutoencoder({
          layers: [d, k],
          activations: 'linear',
          tied,
          init: { kind: 'covariance', data: batch(data, d) },
        });
        const mse = reconstructionLoss(ae, batch(data, ae.layers[0]!));
        expect(Math.abs(mse - discarded / d) / (discarded / d)).toBeLessThan(1e-9);
      }
    }
  });

  it('a deeper linear autoencoder with the greedy covariance init reaches the same optimum', () => {
    const { eigenvalues } = covarianceInitialWeights(batch(data, d), 2);
    const optimum = (eigenvalues[2]! + eigenvalues[3]! + eigenvalues[4]! + eigenvalues[5]!) / d;
    for (const tied of [false, true]) {
      const ae = createAutoencoder({
        layers: [d, 4, 3, 2],
        activations: 'linear',
        tied,
        init: { kind: 'covariance', data: batch(data, d) },
      });
      expect(Math.abs(reconstructionLoss(ae, batch(data, ae.layers[0]!)) - optimum) / optimum).toBeLessThan(
        1e-9,
      );
    }
    expect(() =>
      createAutoencoder({ layers: [d, 2, 3], init: { kind: 'covariance', data: batch(data, d) } }),
    ).toThrow(
      /createAutoencoder: layers\[2\]: expected at most layers\[1\] = 2 for the covariance init, received 3/,
    );
  });

  it('the old sigmoid default is gone: default is a sigmoid code with a linear output', () => {
    expect(createAutoencoder({ layers: [d, 2], rng: createRng(1) }).activations).toEqual([
      'sigmoid',
      'linear',
    ]);
    expect(createAutoencoder({ layers: [d, 4, 2], rng: createRng(1) }).activations).toEqual([
      'sigmoid',
      'sigmoid',
      'sigmoid',
      'linear',
    ]);
  });

  it('a wrong number of activations says what the entries mean and how many the layers need', () => {
    expect(() => createAutoencoder({ layers: [8, 4], activations: ['linear'], rng: createRng(1) })).toThrow(
      'createAutoencoder: activations: expected one activation for every layer, or an array of 2 for layers [8, 4]: 1 encoder layer (input side first) then 1 decoder layer (output last), received an array of 1',
    );
    expect(() =>
      createAutoencoder({ layers: [8, 4, 2], activations: ['tanh', 'linear'], rng: createRng(1) }),
    ).toThrow(
      /an array of 4 for layers \[8, 4, 2\]: 2 encoder layers \(input side first\) then 2 decoder layers \(output last\), received an array of 2$/,
    );
  });

  it('a tied nonlinear covariance init is refused (a tied decoder cannot undo the encoder scaling)', () => {
    expect(() =>
      createAutoencoder({
        layers: [d, 2],
        activations: 'sigmoid',
        tied: true,
        init: { kind: 'covariance', data: batch(data, d) },
      }),
    ).toThrow(/createAutoencoder: tied: expected false for the covariance init of a nonlinear autoencoder/);
    expect(() =>
      createAutoencoder({ layers: [d, 2], init: { kind: 'covariance', data: batch(data, d), scale: 0 } }),
    ).toThrow(/createAutoencoder: init.scale: expected a finite number > 0, received 0/);
  });

  it('a linear autoencoder trained from random init converges to that optimum within 1%', () => {
    const { eigenvalues } = covarianceInitialWeights(batch(data, d), 2);
    const optimum = (eigenvalues[2]! + eigenvalues[3]! + eigenvalues[4]! + eigenvalues[5]!) / d;
    const ae = createAutoencoder({ layers: [d, 2], activations: 'linear', rng: createRng(1) });
    const before = reconstructionLoss(ae, batch(data, ae.layers[0]!));
    const { model, history } = trainAutoencoder(ae, batch(data, ae.layers[0]!), {
      epochs: 1000,
      batchSize: 50,
      optimizer: { kind: 'adam', learningRate: 0.01 },
      rng: createRng(3),
    });
    const after = reconstructionLoss(model, batch(data, model.layers[0]!));
    expect(before).toBeGreaterThan(2 * optimum);
    expect(after).toBeGreaterThanOrEqual(optimum * (1 - 1e-9)); // nothing beats the optimum
    expect(after).toBeLessThan(optimum * 1.01);
    expect(history).toHaveLength(1000);
  });
});

describe('encode / decode / reconstruct', () => {
  it('reconstruct = decode(encode(x).data).data and respects dtype', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const ae = createAutoencoder({ layers: [6, 4, 2], activations: 'tanh', dtype, rng: createRng(8) });
      const x = unitData(5, 6, 1);
      const codes = encode(ae, batch(x, ae.layers[0]!)).data;
      expect(codes).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
      expect(codes).toHaveLength(10);
      const y = reconstruct(ae, batch(x, ae.layers[0]!)).data;
      expect(Array.from(decode(ae, batch(codes, ae.layers[ae.layers.length - 1]!)).data)).toEqual(
        Array.from(y),
      );
      const out = dtype === 'float32' ? new Float32Array(30) : new Float64Array(30);
      expect(reconstruct(ae, batch(x, ae.layers[0]!), out as never).data).toBe(out);
      expect(Array.from(out)).toEqual(Array.from(y));
      expect(() => reconstruct(ae, batch(x, ae.layers[0]!), new Float64Array(29) as never).data).toThrow(
        /reconstruct: out: expected/,
      );
    }
  });
});

describe('trainAutoencoder', () => {
  const d = 8;
  const data = unitData(60, d, 21);
  const base = () => createAutoencoder({ layers: [8, 3], activations: 'sigmoid', rng: createRng(7) });
  const opts = { epochs: 6, batchSize: 16, optimizer: { kind: 'adam' as const, learningRate: 0.01 } };

  it('is bit-identical for the same seed, reports progress and resumes bit-identically from a checkpoint', () => {
    const progress: number[] = [];
    const a = trainAutoencoder(
      base(),
      batch(data, d),
      { ...opts, rng: createRng(1), loss: 'bce', validation: batch(data, d) },
      {
        onProgress: (p) => progress.push(p.metrics!.validationLoss!),
      },
    );
    const b = trainAutoencoder(base(), batch(data, d), {
      ...opts,
      rng: createRng(1),
      loss: 'bce',
      validation: batch(data, d),
    });
    expect(progress).toHaveLength(6);
    expect(a.history.map((h) => h.trainLoss)).toEqual(b.history.map((h) => h.trainLoss));
    expect(a.history[5]!.trainLoss).toBeLessThan(a.history[0]!.trainLoss);
    const half = trainAutoencoder(base(), batch(data, d), {
      ...opts,
      epochs: 2,
      rng: createRng(1),
      loss: 'bce',
    });
    expect(half.checkpoint.epoch).toBe(2);
    const resumed = resumeAutoencoderTraining(
      half.checkpoint,
      batch(data, half.checkpoint.model.layers[0]!),
      { epochs: 6, validation: batch(data, d) },
    );
    expect(resumed.epochsRun).toBe(4);
    expect(resumed.history.map((h) => h.trainLoss)).toEqual(a.history.map((h) => h.trainLoss));
    const same = (x: FloatArray[], y: FloatArray[]) =>
      x.every((w, i) => w.every((v, k) => Object.is(v, y[i]![k])));
    expect(same(resumed.model.weights, a.model.weights)).toBe(true);
    expect(same(resumed.model.biases, a.model.biases)).toBe(true);
  });

  it('does not modify the input model and float32 training works', () => {
    const ae = createAutoencoder({
      layers: [8, 3],
      activations: 'sigmoid',
      dtype: 'float32',
      rng: createRng(7),
    });
    const w0 = ae.weights[0]!.slice();
    const res = trainAutoencoder(ae, batch(data, ae.layers[0]!), { ...opts, rng: createRng(2) });
    expect(Array.from(ae.weights[0]!)).toEqual(Array.from(w0));
    expect(res.model.weights[0]).toBeInstanceOf(Float32Array);
    expect(res.history[5]!.trainLoss).toBeLessThan(res.history[0]!.trainLoss);
  });

  it('stops at targetLoss and reports the epoch', () => {
    const lin = syntheticData(100, [2, 1, 0.1], 3);
    const ae = createAutoencoder({
      layers: [3, 2],
      activations: 'linear',
      init: { kind: 'covariance', data: batch(lin, 3) },
    });
    const target = reconstructionLoss(ae, batch(lin, ae.layers[0]!)) * 1.5;
    const res = trainAutoencoder(ae, batch(lin, ae.layers[0]!), {
      ...opts,
      epochs: 50,
      rng: createRng(1),
      targetLoss: target,
      validation: batch(lin, 3),
    });
    expect(res.reachedTarget).toBe(true);
    expect(res.epochsRun).toBe(1);
    expect(res.history[0]!.epoch).toBe(1);
  });

  it('throws DivergenceError with a finite lastGood for a huge learning rate', () => {
    const lin = syntheticData(100, [2, 1, 0.1], 3);
    const ae = createAutoencoder({ layers: [3, 2], activations: 'linear', rng: createRng(1) });
    let err: unknown;
    try {
      trainAutoencoder(ae, batch(lin, ae.layers[0]!), {
        epochs: 50,
        batchSize: 10,
        optimizer: { kind: 'sgd', learningRate: 1e3 },
        rng: createRng(1),
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DivergenceError);
    expect((err as Error).message).toMatch(/trainAutoencoder: training diverged in epoch \d+/);
    const good = (err as DivergenceError<Autoencoder>).lastGood!;
    expect(good.kind).toBe('autoencoder');
    expect([...good.weights, ...good.biases].every((w) => w.every(Number.isFinite))).toBe(true);
  });

  it('treats parameters beyond maxAbsParameter as divergence (lastGood = the model before that epoch)', () => {
    const ae = base();
    let err: unknown;
    try {
      trainAutoencoder(ae, batch(data, ae.layers[0]!), { ...opts, rng: createRng(1), maxAbsParameter: 1e-3 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DivergenceError);
    expect((err as Error).message).toMatch(/epoch 1 \(parameter .* beyond maxAbsParameter 0.001\)/);
    expect(Array.from((err as DivergenceError<Autoencoder>).lastGood!.weights[0]!)).toEqual(
      Array.from(ae.weights[0]!),
    );
  });

  it('honours an aborted signal, before or during training', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() =>
      trainAutoencoder(base(), batch(data, d), { ...opts, rng: createRng(1) }, { signal: controller.signal }),
    ).toThrow(AbortError);
    const later = new AbortController();
    const epochs: number[] = [];
    const run = {
      signal: later.signal,
      onProgress: (p: { done: number }) => {
        epochs.push(p.done);
        if (p.done === 2) later.abort();
      },
    };
    expect(() => trainAutoencoder(base(), batch(data, d), { ...opts, rng: createRng(1) }, run)).toThrow(
      /trainAutoencoder: aborted/,
    );
    expect(epochs).toEqual([1, 2]);
  });

  it('rejects bad input with typed errors naming the argument', () => {
    const r = createRng(1);
    expect(() => createAutoencoder({ layers: [8], rng: r })).toThrow(
      /createAutoencoder: layers: expected at least 2 sizes/,
    );
    expect(() => createAutoencoder({ layers: [8, 0], rng: r })).toThrow(
      /createAutoencoder: layers\[1\]: expected an integer >= 1, received 0/,
    );
    expect(() => createAutoencoder({ layers: [8, 2], activations: ['tanh'], rng: r })).toThrow(ShapeError);
    expect(() => createAutoencoder({ layers: [8, 2] })).toThrow(/createAutoencoder: rng/);
    expect(() =>
      createAutoencoder({ layers: [8, 4], init: { kind: 'covariance', data: batch(data.subarray(3), d) } }),
    ).toThrow(
      new ShapeError('createAutoencoder: init.data.data: expected 480 elements (60 x 8), received 477'),
    );
    expect(() => createAutoencoder({ layers: [8, 4], init: { kind: 'pca' } as never, rng: r })).toThrow(
      DomainError,
    );
    const ae = base();
    expect(() =>
      trainAutoencoder(ae, batch(data.subarray(0, 17), ae.layers[0]!), { ...opts, rng: r }),
    ).toThrow(/trainAutoencoder: data.data: expected/);
    const nan = data.slice();
    nan[9] = Number.NaN;
    expect(() => trainAutoencoder(ae, batch(nan, ae.layers[0]!), { ...opts, rng: r })).toThrow(
      /trainAutoencoder: data\[9\]: expected a finite number, received NaN/,
    );
    expect(() =>
      trainAutoencoder(ae, batch(data, ae.layers[0]!), {
        ...opts,
        optimizer: { kind: 'adam', learningRate: 0 },
        rng: r,
      }),
    ).toThrow(/trainAutoencoder: options.optimizer.learningRate: expected a finite number > 0, received 0/);
    expect(() => trainAutoencoder(ae, batch(data, ae.layers[0]!), { ...opts, epochs: 0, rng: r })).toThrow(
      /options.epochs/,
    );
    const outside = data.slice();
    outside[3] = 1.5;
    expect(() =>
      trainAutoencoder(ae, batch(outside, ae.layers[0]!), { ...opts, loss: 'bce', rng: r }),
    ).toThrow(/data\[3\]: expected a value in \[0, 1\]/);
    const linear = createAutoencoder({ layers: [8, 2], activations: 'linear', rng: r });
    expect(() => reconstructionLoss(linear, batch(data, linear.layers[0]!), 'bce')).toThrow(
      /needs a sigmoid output layer/,
    );
    expect(() => reconstructionLoss({ ...ae, version: 2 } as unknown as Autoencoder, batch(data, d))).toThrow(
      StateError,
    );
    expect(() => resumeAutoencoderTraining({ kind: 'nope' } as never, batch(data, d))).toThrow(StateError);
  });
});

/**
 * 2d rows with an exactly known biased covariance: x = mean +- sqrt(d lambda_a) q_a for a = 1..d (q_a the
 * columns of an orthogonal matrix), so the mean is exactly `mean` and C = sum_a lambda_a q_a q_a^T.
 */
function exactCovarianceData(
  lambdas: readonly number[],
  seed: number,
): { data: Float64Array; mean: number[] } {
  const d = lambdas.length;
  const rng = createRng(seed);
  const q = rng.fillNormal(new Float64Array(d * d)); // Gram-Schmidt on the columns
  for (let j = 0; j < d; j++) {
    for (let k = 0; k < j; k++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += q[i * d + j]! * q[i * d + k]!;
      for (let i = 0; i < d; i++) q[i * d + j]! -= s * q[i * d + k]!;
    }
    let s = 0;
    for (let i = 0; i < d; i++) s += q[i * d + j]! ** 2;
    for (let i = 0; i < d; i++) q[i * d + j]! /= Math.sqrt(s);
  }
  const mean = Array.from({ length: d }, (_, i) => 0.3 + 0.1 * i);
  const data = new Float64Array(2 * d * d);
  for (let a = 0; a < d; a++)
    for (const sign of [1, -1])
      for (let i = 0; i < d; i++)
        data[(2 * a + (sign > 0 ? 0 : 1)) * d + i] =
          mean[i]! + sign * Math.sqrt(d * lambdas[a]!) * q[i * d + a]!;
  return { data, mean };
}

describe('covariance init of nonlinear codes: the linear regime of P3 (E9)', () => {
  const lambdas = [4, 2.5, 1.5, 0.8, 0.4, 0.2];
  const d = lambdas.length;
  const { data } = exactCovarianceData(lambdas, 11);
  /** Baldi-Hornik optimum sum_{a>k} lambda_a / d, exact by construction of the data. */
  const optimum = (k: number) => lambdas.slice(k).reduce((s, l) => s + l, 0) / d;

  it('the data has exactly the planted covariance (the optimum is exact)', () => {
    const { eigenvalues } = covarianceInitialWeights(batch(data, d), 2);
    lambdas.forEach((l, a) => {
      expect(eigenvalues[a]).toBeCloseTo(l, 12);
    });
  });

  for (const act of ['sigmoid', 'tanh'] as const) {
    it(`${act} code, linear output: loss -> optimum as scale -> 0, excess O(scale^4)`, () => {
      const excess = [0.2, 0.1, 0.05].map(
        (scale) =>
          reconstructionLoss(
            createAutoencoder({
              layers: [d, 2],
              activations: [act, 'linear'],
              init: { kind: 'covariance', data: batch(data, d), scale },
            }),
            batch(data, d),
          ) - optimum(2),
      );
      // a reconstruction inside mean + span(U_k) cannot beat the projection
      for (const e of excess) expect(e).toBeGreaterThanOrEqual(-1e-14);
      // halving the scale divides the excess by 2^4 (the cubic error lies in span(U_k), orthogonal to
      // the PCA residual, so only its square enters); next-order terms move the ratio by a few %
      expect(excess[0]! / excess[1]!).toBeGreaterThan(14);
      expect(excess[0]! / excess[1]!).toBeLessThan(17);
      expect(excess[1]! / excess[2]!).toBeGreaterThan(15);
      expect(excess[1]! / excess[2]!).toBeLessThan(16.5);
      expect(excess[2]! / optimum(2)).toBeLessThan(1e-4);
    });
  }

  it('relu code at its operating point: exactly the optimum while no pre-activation crosses 0', () => {
    for (const k of [1, 2, 4]) {
      const ae = createAutoencoder({
        layers: [d, k],
        activations: ['relu', 'linear'],
        init: { kind: 'covariance', data: batch(data, d), scale: 0.1 },
      });
      expect(
        Math.abs(reconstructionLoss(ae, batch(data, ae.layers[0]!)) - optimum(k)) / optimum(k),
      ).toBeLessThan(1e-12);
    }
  });

  it('the default activations and scale: within 1e-4 of the optimum (the old unscaled init was far off)', () => {
    const ae = createAutoencoder({ layers: [d, 2], init: { kind: 'covariance', data: batch(data, d) } });
    expect(ae.activations).toEqual(['sigmoid', 'linear']);
    const loss = reconstructionLoss(ae, batch(data, ae.layers[0]!));
    expect((loss - optimum(2)) / optimum(2)).toBeLessThan(1e-4);
    // the unscaled construction (encoder U, bias -U^T mean, decoder U^T, bias mean) with a sigmoid code
    const lin = createAutoencoder({
      layers: [d, 2],
      activations: 'linear',
      init: { kind: 'covariance', data: batch(data, d) },
    });
    const unscaled = createAutoencoder({ layers: [d, 2], rng: createRng(1) });
    lin.weights.forEach((w, i) => {
      unscaled.weights[i]!.set(w);
    });
    lin.biases.forEach((b, i) => {
      unscaled.biases[i]!.set(b);
    });
    expect(reconstructionLoss(unscaled, batch(data, unscaled.layers[0]!))).toBeGreaterThan(1.5 * optimum(2));
  });

  it('a deep sigmoid encoder [d, 4, 2] reaches the k = 2 optimum as scale -> 0 (greedy layers compose)', () => {
    const excess = [0.1, 0.05].map(
      (scale) =>
        reconstructionLoss(
          createAutoencoder({ layers: [d, 4, 2], init: { kind: 'covariance', data: batch(data, d), scale } }),
          batch(data, d),
        ) - optimum(2),
    );
    expect(excess[1]!).toBeGreaterThanOrEqual(-1e-14);
    expect(excess[1]! / optimum(2)).toBeLessThan(1e-4);
    expect(excess[0]! / excess[1]!).toBeGreaterThan(12);
  });

  it('a sigmoid output is linearised about the data mean: close to, not at, the optimum', () => {
    const unit = data.map((v) => 0.5 + 0.05 * (v - 0.55)); // small fluctuations inside (0, 1)
    const sig = createAutoencoder({
      layers: [d, 2],
      activations: 'sigmoid',
      init: { kind: 'covariance', data: batch(unit, d) },
    });
    const opt = optimum(2) * 0.05 ** 2;
    const loss = reconstructionLoss(sig, batch(unit, sig.layers[0]!));
    expect(loss).toBeGreaterThanOrEqual(opt * (1 - 1e-9));
    expect(loss).toBeLessThan(opt * 1.05);
  });
});

describe('autoencoder front ends take a Matrix', () => {
  const rng = createRng(40);
  const spins = Int8Array.from({ length: 30 * 6 }, () => (rng.uniform() < 0.5 ? 1 : -1));
  const ae = createAutoencoder({ layers: [6, 3], activations: ['tanh', 'linear'], rng: createRng(41) });
  const options = { epochs: 2, batchSize: 10, optimizer: { kind: 'adam' as const, learningRate: 0.01 } };

  it('Int8Array spins give the numbers of their Float64Array copy (encode, reconstruct, loss, training)', () => {
    const v = matrix(spins, 30, 6);
    const vf = matrix(Float64Array.from(spins), 30, 6);
    const code = encode(ae, v);
    expect([code.rows, code.cols]).toEqual([30, 3]);
    expect(code.data).toEqual(encode(ae, vf).data);
    const out = decode(ae, code);
    expect([out.rows, out.cols]).toEqual([30, 6]);
    expect(reconstruct(ae, v).data).toEqual(out.data);
    expect(reconstructionLoss(ae, v)).toBe(reconstructionLoss(ae, vf));
    const a = trainAutoencoder(ae, v, { ...options, rng: createRng(42) });
    const b = trainAutoencoder(ae, vf, { ...options, rng: createRng(42) });
    expect(a.model.weights).toEqual(b.model.weights);
  });

  it('swapped shapes throw naming both sizes; the old flat call is refused', () => {
    const swapped = matrix(Float64Array.from(spins), 6, 30);
    expect(() => encode(ae, swapped)).toThrow(
      new ShapeError('encode: data.cols: expected 6 (model.layers[0]), received 30'),
    );
    expect(() => decode(ae, matrix(new Float64Array(30), 3, 10))).toThrow(
      'decode: codes.cols: expected 3 (the code size), received 10',
    );
    expect(() => trainAutoencoder(ae, swapped, { ...options, rng: createRng(1) })).toThrow(
      /trainAutoencoder: data.cols: expected 6/,
    );
    expect(() => reconstructionLoss(ae, spins as never)).toThrow(
      /reconstructionLoss: data: expected a Matrix/,
    );
    expect(() => covarianceInitialWeights(matrix(spins, 30, 6), 7)).toThrow(
      /covarianceInitialWeights: k: expected an integer in \[1, 6\]/,
    );
  });
});
