import { describe, expect, it } from 'vitest';
import { AbortError, DivergenceError, DomainError, ShapeError, StateError } from '../../src/core/errors.js';
import { createRng, type Rng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import { createRbm } from '../../src/models/init.js';
import { createOptimizer, optimizerStep } from '../../src/models/optim.js';
import { exactLogPartition, exactNllGradient, logLikelihood } from '../../src/models/partition.js';
import { convertRbm, freeEnergy, hiddenInputKernel, reconstructionError } from '../../src/models/rbm.js';
import { rbmGradient, resumeTraining, trainRbm } from '../../src/models/rbmTrain.js';
import { deserializeModel, serializeModel } from '../../src/models/serialize.js';
import type { Rbm } from '../../src/models/types.js';
import { batch } from './batch.js';
import { allStates, bruteEnergy, COMBOS, logSumExp, randomRbm } from './rbmBrute.js';

/** n exact samples of the visible layer of a tiny RBM (inverse CDF over the enumerated marginal). */
function exactSamples(rbm: Rbm, n: number, rng: Rng): Float64Array {
  const nv = rbm.nVisible;
  const out = new Float64Array(n * nv);
  if (rbm.visibleUnits !== 'gaussian') {
    const states = allStates(nv, rbm.visibleUnits);
    const f = freeEnergy(rbm, batch(Float64Array.from(states.flat()), rbm.nVisible));
    const lz = logSumExp(Array.from(f, (x) => -x));
    const cdf: number[] = [];
    let c = 0;
    for (const x of f) cdf.push((c += Math.exp(-x - lz)));
    for (let r = 0; r < n; r++) {
      const u = rng.uniform53() * c;
      let k = 0;
      while (cdf[k]! < u) k++;
      out.set(states[k]!, r * nv);
    }
    return out;
  }
  // Gaussian: h from its marginal, then v | h
  const hs = allStates(rbm.nHidden, rbm.hiddenUnits);
  const logw = hs.map((h) => {
    const v = Array.from({ length: nv }, (_, i) => {
      let y = rbm.visibleBias[i]!;
      for (let a = 0; a < rbm.nHidden; a++) y += rbm.weights[i * rbm.nHidden + a]! * h[a]!;
      return y;
    });
    return -bruteEnergy(rbm, v, h); // the Gaussian integral's value is exp(-E at its mode) * const
  });
  const lz = logSumExp(logw);
  const cdf: number[] = [];
  let c = 0;
  for (const x of logw) cdf.push((c += Math.exp(x - lz)));
  for (let r = 0; r < n; r++) {
    const u = rng.uniform53() * c;
    let k = 0;
    while (cdf[k]! < u) k++;
    const h = hs[k]!;
    for (let i = 0; i < nv; i++) {
      let y = rbm.visibleBias[i]!;
      for (let a = 0; a < rbm.nHidden; a++) y += rbm.weights[i * rbm.nHidden + a]! * h[a]!;
      out[r * nv + i] = y + rbm.visibleSigma![i]! * rng.normal();
    }
  }
  return out;
}

function dataFor(units: string, rows: number, nv: number, rng: Rng): Float64Array {
  return Float64Array.from({ length: rows * nv }, () =>
    units === 'gaussian' ? 1.2 * rng.normal() : rng.uniform() < 0.4 ? 1 : units === 'spin' ? -1 : 0,
  );
}

describe('rbmGradient (the CD/PCD estimator)', () => {
  for (const combo of COMBOS) {
    it(`with exact model samples as the negative phase matches the exact NLL gradient (${combo.join('/')})`, () => {
      const rbm = randomRbm(4, 3, combo, 51, 0.5);
      const rng = createRng(52);
      const data = dataFor(combo[0], 6, 4, rng);
      const exact = exactNllGradient(rbm, data);
      const n = 100_000;
      const neg = exactSamples(rbm, n, rng);
      const est = rbmGradient(rbm, batch(data, rbm.nVisible), batch(neg, rbm.nVisible));
      // |statistic| <= max |v| |h| / sigma^2; standard errors are below 0.004 (discrete) and 0.02 (Gaussian),
      // the bounds are about 5 standard errors
      const tol = combo[0] === 'gaussian' ? 0.1 : 0.02;
      for (const f of ['weights', 'visibleBias', 'hiddenBias'] as const) {
        for (let i = 0; i < exact[f].length; i++)
          expect(Math.abs(est[f][i]! - exact[f][i]!)).toBeLessThan(tol);
      }
      // the data term is exact: with negative = positive the estimate vanishes identically
      const zero = rbmGradient(rbm, batch(data, rbm.nVisible), batch(data, rbm.nVisible));
      for (const x of zero.weights) expect(Math.abs(x)).toBeLessThan(1e-15);
    });
  }
});

/** KL(p || model) for a target distribution p over all visible states of a discrete model. */
function klToModel(rbm: Rbm, states: number[][], p: number[]): number {
  const logZ = exactLogPartition(rbm);
  let kl = 0;
  states.forEach((v, k) => {
    if (p[k]! > 0) kl += p[k]! * (Math.log(p[k]!) - logLikelihood(rbm, batch(v, rbm.nVisible), logZ));
  });
  return kl;
}

describe('training reaches a known distribution', () => {
  // target: a 5-spin open chain with coupling 0.8 and field 0.3, p(v) ~ exp(0.8 sum v_i v_i+1 + 0.3 sum v_i)
  const nv = 5;
  const states = allStates(nv, 'spin');
  const logp = states.map((v) => {
    let e = 0;
    for (let i = 0; i < nv; i++) e += 0.3 * v[i]! + (i + 1 < nv ? 0.8 * v[i]! * v[i + 1]! : 0);
    return e;
  });
  const lz = logSumExp(logp);
  const p = logp.map((x) => Math.exp(x - lz));

  it('exact-gradient descent with Adam reaches KL < 0.01', () => {
    const rng = createRng(61);
    const rbm = createRbm({ nVisible: nv, nHidden: 6, rng, init: { kind: 'gaussian', sigma: 0.1 } });
    // exact data term from a weighted data set: p-weighted states, 200 copies in proportion
    const counts = p.map((x) => Math.round(x * 2000));
    const data = Float64Array.from(states.flatMap((v, k) => Array(counts[k]!).fill(v).flat()));
    const target = counts.map((c) => c / counts.reduce((s, x) => s + x, 0));
    const opt = createOptimizer({ kind: 'adam', learningRate: 0.05 }, [nv * 6, nv, 6]);
    const kl0 = klToModel(rbm, states, target);
    for (let t = 0; t < 600; t++) {
      const g = exactNllGradient(rbm, data);
      optimizerStep(
        opt,
        [rbm.weights, rbm.visibleBias, rbm.hiddenBias],
        [g.weights, g.visibleBias, g.hiddenBias],
      );
    }
    const kl = klToModel(rbm, states, target);
    expect(kl0).toBeGreaterThan(0.5);
    expect(kl).toBeLessThan(0.01);
  });

  for (const dtype of ['float64', 'float32'] as const)
    it(`PCD-1 (Adam, epsilon 1e-2, cosine decay) reaches KL(data || model) < 0.01 from samples (measured 0.0023), ${dtype}`, () => {
      const rng = createRng(62);
      const rows = 2000;
      const data = new Float64Array(rows * nv);
      const cdf: number[] = [];
      let c = 0;
      for (const x of p) cdf.push((c += x));
      for (let r = 0; r < rows; r++) {
        const u = rng.uniform53() * c;
        let k = 0;
        while (cdf[k]! < u) k++;
        data.set(states[k]!, r * nv);
      }
      const empirical = states.map(() => 0);
      for (let r = 0; r < rows; r++) {
        const k = states.findIndex((v) => v.every((x, i) => x === data[r * nv + i]));
        empirical[k]! += 1 / rows;
      }
      const rbm = createRbm({ nVisible: nv, nHidden: 6, rng, dtype });
      const { model, history } = trainRbm(rbm, batch(data, rbm.nVisible), {
        epochs: 100,
        rng,
        batchSize: 50,
        persistentChains: 100,
        optimizer: {
          kind: 'adam',
          learningRate: 0.01,
          epsilon: 1e-2,
          schedule: { kind: 'cosine', totalSteps: 4000 },
        },
      });
      expect(history).toHaveLength(100);
      expect(klToModel(convertRbm(model, 'float64'), states, empirical)).toBeLessThan(0.01);
    });
});

describe('float32 arithmetic (E3 trains its stack in float32)', () => {
  it('hidden inputs and the PCD gradient estimate of a 1024 x 256 spin RBM agree with float64 within the rounding bound', () => {
    const rng = createRng(80);
    const [nv, nh, rows] = [1024, 256, 100];
    // float32-representable parameters, so that only the arithmetic differs
    const rbm32 = convertRbm(
      createRbm({ nVisible: nv, nHidden: nh, rng, init: { kind: 'gaussian', sigma: 0.05 } }),
      'float32',
    );
    const rbm64 = convertRbm(rbm32, 'float64');
    const spins = () => Float64Array.from({ length: rows * nv }, () => (rng.uniform() < 0.5 ? 1 : -1));
    const pos = spins();
    const neg = spins();
    // hidden inputs x_a = b_a + sum_i v_i W_ia: |x32 - x64| <= nv * 2^-24 * sum_i |W_ia| (worst case)
    const x32 = new Float32Array(rows * nh);
    const x64 = new Float64Array(rows * nh);
    hiddenInputKernel(rbm32, Float32Array.from(pos), rows, x32, Float32Array.from(pos));
    hiddenInputKernel(rbm64, pos, rows, x64, pos);
    let worstRatio = 0;
    for (let a = 0; a < nh; a++) {
      let scale = Math.abs(rbm64.hiddenBias[a]!);
      for (let i = 0; i < nv; i++) scale += Math.abs(rbm64.weights[i * nh + a]!);
      for (let r = 0; r < rows; r++)
        worstRatio = Math.max(worstRatio, Math.abs(x32[r * nh + a]! - x64[r * nh + a]!) / scale);
    }
    // measured 6.3e-8 of sum |W| (~42, so |dx| <= 2.6e-6): far inside the worst case 6e-5; a hidden
    // unit's mean tanh(x) moves by |dx| at most, against a sampling noise of order 0.1 per sample
    expect(worstRatio).toBeLessThan(1e-6);
    // the gradient estimate: entries are means over 100 + 100 rows of products bounded by 1
    const g32 = rbmGradient(rbm32, batch(pos, rbm32.nVisible), batch(neg, rbm32.nVisible));
    const g64 = rbmGradient(rbm64, batch(pos, rbm64.nVisible), batch(neg, rbm64.nVisible));
    const maxDiff = (x: ArrayLike<number>, y: ArrayLike<number>) => {
      let m = 0;
      for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
      return m;
    };
    // worst case of a sum of 200 terms of size <= 1/100: 200 * 2^-24 * 2 = 2.4e-5; measured 2.5e-7 on W,
    // 1e-7 on b, 0 on a (sums of +-1/100); the estimate's own sampling noise is ~0.1 per entry
    expect(maxDiff(g32.weights, g64.weights)).toBeLessThan(2e-6);
    expect(maxDiff(g32.visibleBias, g64.visibleBias)).toBeLessThan(2e-6);
    expect(maxDiff(g32.hiddenBias, g64.hiddenBias)).toBeLessThan(2e-6);
  });
});

describe('trainRbm', () => {
  const rng0 = createRng(70);
  const spinData = dataFor('spin', 300, 8, rng0);

  for (const [method, dtype] of [
    ['pcd', 'float64'],
    ['cd', 'float32'],
  ] as const) {
    it(`resumes from a checkpoint bit-identically (${method}, ${dtype})`, () => {
      const make = () => createRbm({ nVisible: 8, nHidden: 5, rng: createRng(71), dtype });
      const options = {
        epochs: 4,
        batchSize: 32,
        method,
        k: 2,
        persistentChains: 20,
        pseudoLikelihood: true,
      };
      const full = trainRbm(make(), batch(spinData, make().nVisible), { ...options, rng: createRng(72) });
      const half = trainRbm(make(), batch(spinData, make().nVisible), {
        ...options,
        epochs: 2,
        rng: createRng(72),
      });
      const json = JSON.parse(JSON.stringify({ rng: half.checkpoint.rng }));
      const resumed = resumeTraining(
        { ...half.checkpoint, rng: json.rng },
        batch(spinData, make().nVisible),
        options,
      );
      expect(Array.from(resumed.model.weights)).toEqual(Array.from(full.model.weights));
      expect(Array.from(resumed.model.visibleBias)).toEqual(Array.from(full.model.visibleBias));
      expect(Array.from(resumed.model.hiddenBias)).toEqual(Array.from(full.model.hiddenBias));
      expect(resumed.history).toEqual(full.history);
      expect(resumed.checkpoint.rng).toEqual(full.checkpoint.rng);
      expect(resumed.model.weights).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
      expect(() =>
        resumeTraining(half.checkpoint, batch(spinData, half.checkpoint.model.nVisible), {
          ...options,
          k: 1,
        }),
      ).toThrow(StateError);
      // the checkpoint survives the binary model format and still resumes bit-identically
      const restored = deserializeModel<typeof half.checkpoint>(serializeModel(half.checkpoint));
      const again = resumeTraining(restored, batch(spinData, restored.model.nVisible), options);
      expect(Array.from(again.model.weights)).toEqual(Array.from(full.model.weights));
    });
  }

  it('reports per-epoch metrics, lowers the reconstruction error on structured data, and does not modify its input', () => {
    const rng = createRng(73);
    // two prototypes with 5% flip noise
    const protos = [
      [1, 1, 1, 1, -1, -1, -1, -1],
      [-1, 1, -1, 1, -1, 1, -1, 1],
    ];
    const data = Float64Array.from({ length: 400 * 8 }, (_, i) => {
      const x = protos[Math.floor(i / 8) % 2]![i % 8]!;
      return rng.uniform() < 0.05 ? -x : x;
    });
    const rbm = createRbm({ nVisible: 8, nHidden: 4, rng });
    const before = rbm.weights.slice();
    const reports: number[] = [];
    const { history } = trainRbm(
      rbm,
      batch(data, rbm.nVisible),
      { epochs: 20, rng, batchSize: 20, optimizer: { kind: 'sgd', learningRate: 0.05, momentum: 0.5 } },
      { onProgress: (p) => reports.push(p.metrics!.reconstructionError!) },
    );
    expect(reports).toHaveLength(20);
    // untrained (W ~ 0.05): reconstructions near 0, error near 1; the 5% flip noise leaves about 0.2
    expect(reconstructionError(rbm, batch(data, rbm.nVisible))).toBeGreaterThan(0.9);
    expect(history[19]!.reconstructionError).toBeLessThan(0.3);
    expect(history[19]!.reconstructionError).toBeLessThan(history[0]!.reconstructionError);
    expect(Array.from(rbm.weights)).toEqual(Array.from(before));
  });

  it('trains Gaussian visible units with learned sigma kept above minSigma', () => {
    const rng = createRng(74);
    const data = dataFor('gaussian', 200, 6, rng);
    const rbm = createRbm({ nVisible: 6, nHidden: 4, visibleUnits: 'gaussian', hiddenUnits: 'binary', rng });
    const { model } = trainRbm(rbm, batch(data, rbm.nVisible), {
      epochs: 10,
      rng,
      batchSize: 20,
      learnSigma: true,
      minSigma: 0.5,
      optimizer: { kind: 'adam', learningRate: 0.05 },
    });
    for (const s of model.visibleSigma!) expect(s).toBeGreaterThanOrEqual(0.5);
    expect(Array.from(model.visibleSigma!).some((s) => s !== 1)).toBe(true);
  });

  it('throws DivergenceError with a finite last good model on a huge learning rate', () => {
    const rbm = createRbm({ nVisible: 8, nHidden: 5, rng: createRng(75) });
    let caught: unknown;
    try {
      trainRbm(rbm, batch(spinData, rbm.nVisible), {
        epochs: 50,
        rng: createRng(76),
        batchSize: 10,
        optimizer: { kind: 'sgd', learningRate: 1e3 },
        maxWeight: 100,
      });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DivergenceError);
    const last = (caught as DivergenceError<Rbm>).lastGood!;
    expect(last.kind).toBe('rbm');
    for (const w of last.weights) expect(Number.isFinite(w) && Math.abs(w) <= 100).toBe(true);
  });

  it('rejects bad input with typed errors naming the argument, and honours AbortSignal', () => {
    const rng = createRng(77);
    const rbm = createRbm({ nVisible: 8, nHidden: 5, rng });
    const bin = createRbm({ nVisible: 8, nHidden: 5, visibleUnits: 'binary', rng });
    expect(() => trainRbm(rbm, batch(new Float64Array(20), rbm.nVisible), { epochs: 1, rng })).toThrow(
      ShapeError,
    );
    expect(() => trainRbm(rbm, batch(new Float64Array(20), rbm.nVisible), { epochs: 1, rng })).toThrow(
      /trainRbm: data/,
    );
    const nan = spinData.slice();
    nan[5] = Number.NaN;
    expect(() => trainRbm(rbm, batch(nan, rbm.nVisible), { epochs: 1, rng })).toThrow(
      /trainRbm: data.data\[5\]/,
    );
    expect(() => trainRbm(bin, batch(spinData, bin.nVisible), { epochs: 1, rng })).toThrow(
      /\[0, 1\] for binary units/,
    );
    expect(() =>
      trainRbm(rbm, batch(spinData, rbm.nVisible), {
        epochs: 1,
        rng,
        optimizer: { kind: 'adam', learningRate: 0 },
      }),
    ).toThrow(/learningRate/);
    expect(() => trainRbm(rbm, batch(spinData, rbm.nVisible), { epochs: 1, rng, batchSize: 0 })).toThrow(
      /options\.batchSize/,
    );
    expect(() => trainRbm(rbm, batch(spinData, rbm.nVisible), { epochs: 1 })).toThrow(/options\.rng/);
    expect(() => createRbm({ nVisible: 8, nHidden: 0, rng })).toThrow(DomainError);
    expect(() => createRbm({ nVisible: 8, nHidden: 0, rng })).toThrow(/nHidden/);
    const controller = new AbortController();
    controller.abort();
    expect(() =>
      trainRbm(rbm, batch(spinData, rbm.nVisible), { epochs: 1, rng }, { signal: controller.signal }),
    ).toThrow(AbortError);
  });
});

describe('trainRbm takes a Matrix data set', () => {
  it('Int8Array spins from a sampler train bit-identically to their Float64Array copy; swapped data throw', () => {
    const rng = createRng(5);
    const spins = Int8Array.from({ length: 60 * 6 }, () => (rng.uniform() < 0.5 ? 1 : -1));
    const rbm = createRbm({ nVisible: 6, nHidden: 3, rng: createRng(6) });
    const options = { epochs: 3, batchSize: 10, method: 'pcd', persistentChains: 5 } as const;
    const a = trainRbm(rbm, matrix(spins, 60, 6), { ...options, rng: createRng(7) });
    const b = trainRbm(rbm, matrix(Float64Array.from(spins), 60, 6), { ...options, rng: createRng(7) });
    expect(a.model.weights).toEqual(b.model.weights);
    expect(a.model.hiddenBias).toEqual(b.model.hiddenBias);
    expect(logLikelihood(a.model, matrix(spins, 60, 6), 0)).toBe(
      logLikelihood(b.model, matrix(spins, 60, 6), 0),
    );
    expect(() => trainRbm(rbm, matrix(spins, 6, 60), { ...options, rng: createRng(7) })).toThrow(
      new ShapeError('trainRbm: data.cols: expected 6 (rbm.nVisible), received 60'),
    );
    expect(() => trainRbm(rbm, spins as never, { ...options, rng: createRng(7) })).toThrow(
      /trainRbm: data: expected a Matrix/,
    );
  });
});
