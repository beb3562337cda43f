/**
 * Property-based bad-input suite (fast-check): every public function listed below is called with its
 * valid baseline arguments, one argument replaced by generated bad input (null, undefined, wrong types,
 * NaN/Infinity inside arrays, negative/zero/fractional sizes, unknown option keys). Each call must throw
 * a CoarseGrainError whose message has the contract form "fn: arg: expected ..., received ...": never
 * a TypeError/RangeError from deep inside, never a silent result.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { covarianceMatrix, createCovarianceAccumulator } from '../../src/core/covariance.js';
import { symmetricEigen, thinSvd } from '../../src/core/decompose.js';
import { CoarseGrainError, DomainError, StateError } from '../../src/core/errors.js';
import { fftPlan } from '../../src/core/fft.js';
import { gemm } from '../../src/core/gemm.js';
import { createRng, permutation, restoreRng, shuffleInPlace, splitRng } from '../../src/core/rng.js';
import { binningAnalysis, integratedAutocorrelationTime, mean, variance } from '../../src/core/stats.js';
import { encodeIdx } from '../../src/data/idx.js';
import { encodeNpy } from '../../src/data/npy.js';
import { minibatchIndices, trainTestSplit } from '../../src/data/split.js';
import { runE1 } from '../../src/experiments/e1.js';
import { runE6 } from '../../src/experiments/e6.js';
import { kaufmanTorus, onsagerEnergy } from '../../src/lattice/exact2d.js';
import { createIsing2D } from '../../src/lattice/ising2d.js';
import { createLongRangeChain } from '../../src/lattice/longRangeChain.js';
import { createAutoencoder, trainAutoencoder } from '../../src/models/autoencoder.js';
import { createRbm } from '../../src/models/init.js';
import { createMlp } from '../../src/models/mlp.js';
import { cloneRbm, gibbsStep, sampleHidden, unitMean } from '../../src/models/rbm.js';
import { rbmFlow } from '../../src/models/rbmFlow.js';
import { trainRbm } from '../../src/models/rbmTrain.js';
import { decodeImage } from '../../src/node/decodeImage.js';
import { gemmParallel } from '../../src/parallel/gemmParallel.js';
import { builtinTasks } from '../../src/parallel/tasks.js';
import { colormapHex } from '../../src/plot/colormap.js';
import { heatmap } from '../../src/plot/heatmap.js';
import { linePlot } from '../../src/plot/linePlot.js';
import { formatTick } from '../../src/plot/ticks.js';
import { blockAverage, blockMajority } from '../../src/rg/block.js';
import { createChainState, runChain } from '../../src/sampling/chain.js';
import { sampleEnsemble } from '../../src/sampling/ensemble.js';
import { decodeEnsemble } from '../../src/sampling/ensembleIO.js';
import { createHeatBathUpdater, heatBathThresholds } from '../../src/sampling/heatBath.js';
import { createMetropolisUpdater, metropolisTable } from '../../src/sampling/metropolis.js';
import { createWolffUpdater } from '../../src/sampling/wolff.js';
import { twoPointCorrelator } from '../../src/spectral/correlator.js';
import { inputOutputCorrelator, mapLocality } from '../../src/spectral/inputOutput.js';
import { fitScalingDimension } from '../../src/spectral/scaling.js';
import { fourierPower } from '../../src/spectral/weights.js';

/** "fn: arg: expected ..., received ..." (fn may be dotted, e.g. 'metropolis.step'; arg may be nested). */
const CONTRACT = /^[\w.:-]+: [^\n]*expected [^\n]+, received/;

/** What kind of value an argument slot takes, which decides the bad values generated for it. */
type Kind =
  | 'size' // integer >= 1
  | 'count' // integer >= 0
  | 'positive' // finite number > 0
  | 'finite' // finite number
  | 'data' // numeric array whose elements must be finite
  | 'numbers' // numeric array of any values (pure arithmetic: NaN propagates by contract)
  | 'rng'
  | 'options' // optional options object
  | 'required' // required options/config object
  | 'model'
  | 'shape'
  | 'enum'; // one of a few strings

const nonsense = [null, undefined, {}, [], 'abc', true, Symbol.for('x'), () => 1] as const;
const unknownKey = fc
  .string({ minLength: 1, maxLength: 12 })
  .filter((k) => k !== '__proto__')
  .map((k) => ({ [`${k}_bogus`]: 1 }));

function badValues(kind: Kind, baseline: unknown): fc.Arbitrary<unknown> {
  switch (kind) {
    case 'size':
      return fc.constantFrom(...nonsense, -1, 0, 0.5, 2.5, Number.NaN, Number.POSITIVE_INFINITY, '4', -0.5);
    case 'count':
      return fc.constantFrom(...nonsense, -1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, '4');
    case 'positive':
      return fc.constantFrom(
        ...nonsense,
        -1,
        0,
        Number.NaN,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        '1',
      );
    case 'finite':
      return fc.constantFrom(
        ...nonsense,
        Number.NaN,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        '1',
      );
    case 'data': {
      const base = baseline as ArrayLike<number>;
      const injected = fc
        .tuple(
          fc.integer({ min: 0, max: base.length - 1 }),
          fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
        )
        .map(([i, v]) => {
          const copy = ArrayBuffer.isView(base) ? (base as Float64Array).slice() : Array.from(base);
          copy[i] = v;
          return copy;
        });
      return fc.oneof(fc.constantFrom(null, undefined, {}, 'abc', 42, true), injected);
    }
    case 'numbers':
      return fc.constantFrom(null, undefined, {}, 'abc', 42, true);
    case 'rng':
      return fc.constantFrom(null, undefined, {}, 42, 'rng', { uniform: 1 }, []);
    case 'options':
      return fc.oneof(
        fc.constantFrom(42, 'x', [], true, () => 1),
        unknownKey,
      );
    case 'required':
      return fc.oneof(fc.constantFrom(null, undefined, 42, 'x', [], true), unknownKey);
    case 'model':
      return fc.constantFrom(
        null,
        undefined,
        {},
        42,
        'ising2d',
        { kind: 'bogus' },
        { kind: 'ising2d', L: -1 },
      );
    case 'shape':
      return fc.constantFrom(null, undefined, '4,4', 4, {}, [], [0], [-2], [2.5], [Number.NaN]);
    case 'enum':
      return fc.constantFrom(null, undefined, 'bogus', 42, {}, '');
  }
}

interface Case {
  readonly name: string;
  readonly call: (...args: unknown[]) => unknown;
  /** Fresh valid arguments (the call must succeed with them). */
  readonly args: () => unknown[];
  /** Kind of each argument that is checked (undefined: left alone). */
  readonly kinds: readonly (Kind | undefined)[];
}

const f64 = (n: number, f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
const spins = (n: number) => Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 3 === 0 ? 1 : -1));
const ising = () => createIsing2D({ L: 4 });
const rbm = () => createRbm({ nVisible: 4, nHidden: 3, rng: createRng(1) });
const pngBytes = () => Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

const cases: Case[] = [
  // core
  {
    name: 'gemm',
    call: gemm as never,
    args: () => [null, f64(4, (i) => i), f64(4, (i) => i + 1), 2, 2, 2, {}],
    kinds: [undefined, 'numbers', 'numbers', 'size', 'size', 'size', 'options'],
  },
  {
    name: 'covarianceMatrix',
    call: covarianceMatrix as never,
    args: () => [f64(12, (i) => Math.sin(i)), 4, 3, {}],
    kinds: ['data', 'size', 'size', 'options'],
  },
  {
    name: 'createCovarianceAccumulator',
    call: createCovarianceAccumulator as never,
    args: () => [3, {}],
    kinds: ['size', 'options'],
  },
  {
    name: 'symmetricEigen',
    call: symmetricEigen as never,
    args: () => [Float64Array.of(2, 1, 1, 2), 2],
    kinds: ['data', 'size'],
  },
  {
    name: 'thinSvd',
    call: thinSvd as never,
    args: () => [f64(6, (i) => i * i), 3, 2],
    kinds: ['data', 'size', 'size'],
  },
  { name: 'fftPlan', call: fftPlan as never, args: () => [8], kinds: ['size'] },
  { name: 'permutation', call: permutation as never, args: () => [createRng(1), 5], kinds: ['rng', 'count'] },
  {
    name: 'shuffleInPlace',
    call: shuffleInPlace as never,
    args: () => [createRng(1), [1, 2, 3]],
    kinds: ['rng'],
  },
  { name: 'splitRng', call: splitRng as never, args: () => [createRng(1)], kinds: ['rng'] },
  { name: 'mean', call: mean as never, args: () => [f64(5, (i) => i)], kinds: ['data'] },
  { name: 'variance', call: variance as never, args: () => [f64(5, (i) => i)], kinds: ['data'] },
  {
    name: 'binningAnalysis',
    call: binningAnalysis as never,
    args: () => [f64(256, (i) => Math.sin(i))],
    kinds: ['data'],
  },
  {
    name: 'integratedAutocorrelationTime',
    call: integratedAutocorrelationTime as never,
    args: () => [f64(256, (i) => Math.sin(i))],
    kinds: ['data'],
  },
  // data
  {
    name: 'minibatchIndices',
    call: minibatchIndices as never,
    args: () => [createRng(1), 10, 3, {}],
    kinds: ['rng', 'size', 'size', 'options'],
  },
  {
    name: 'trainTestSplit',
    call: trainTestSplit as never,
    args: () => [createRng(1), 10, 0.2, {}],
    kinds: ['rng', 'size', undefined, 'options'],
  },
  {
    name: 'encodeNpy',
    call: encodeNpy as never,
    args: () => [new Float64Array(4), [2, 2]],
    kinds: [undefined, 'shape'],
  },
  {
    name: 'encodeIdx',
    call: encodeIdx as never,
    args: () => [new Uint8Array(4), [2, 2]],
    kinds: [undefined, 'shape'],
  },
  // lattice
  { name: 'createIsing2D', call: createIsing2D as never, args: () => [{ L: 4 }], kinds: ['required'] },
  {
    name: 'createLongRangeChain',
    call: createLongRangeChain as never,
    args: () => [{ N: 8, sigma: 0.5 }],
    kinds: ['required'],
  },
  { name: 'onsagerEnergy', call: onsagerEnergy as never, args: () => [2], kinds: ['positive'] },
  { name: 'kaufmanTorus', call: kaufmanTorus as never, args: () => [4, 2], kinds: ['size', 'positive'] },
  // sampling
  {
    name: 'metropolisTable',
    call: metropolisTable as never,
    args: () => [1, 0, 0.5],
    kinds: ['finite', 'finite', 'positive'],
  },
  {
    name: 'heatBathThresholds',
    call: heatBathThresholds as never,
    args: () => [1, 0, 0.5],
    kinds: ['finite', 'finite', 'positive'],
  },
  {
    name: 'createMetropolisUpdater',
    call: createMetropolisUpdater as never,
    args: () => [ising(), 0.5, {}],
    kinds: ['model', 'positive', 'options'],
  },
  {
    name: 'createHeatBathUpdater',
    call: createHeatBathUpdater as never,
    args: () => [ising(), 0.5, {}],
    kinds: ['model', 'positive', 'options'],
  },
  {
    name: 'createWolffUpdater',
    call: createWolffUpdater as never,
    args: () => [ising(), 0.5, {}],
    kinds: ['model', 'positive', 'options'],
  },
  {
    name: 'createChainState',
    call: createChainState as never,
    args: () => [ising(), { rng: createRng(1) }],
    kinds: ['model', 'required'],
  },
  {
    name: 'runChain',
    call: runChain as never,
    args: () => [
      createMetropolisUpdater(ising(), 0.5),
      createChainState(ising(), { rng: createRng(1) }),
      2,
      {},
    ],
    kinds: [undefined, undefined, 'count', 'options'],
  },
  {
    name: 'sampleEnsemble',
    call: sampleEnsemble as never,
    args: () => [ising(), { temperature: 2, samples: 2, burnIn: 2, rng: createRng(1) }],
    kinds: ['model', 'required'],
  },
  // models
  {
    name: 'createRbm',
    call: createRbm as never,
    args: () => [{ nVisible: 4, nHidden: 3, rng: createRng(1) }],
    kinds: ['required'],
  },
  { name: 'cloneRbm', call: cloneRbm as never, args: () => [rbm()], kinds: ['required'] },
  {
    name: 'sampleHidden',
    call: sampleHidden as never,
    args: () => [rbm(), spins(8), createRng(1)],
    kinds: [undefined, undefined, 'rng'],
  },
  {
    name: 'gibbsStep',
    call: gibbsStep as never,
    args: () => [rbm(), spins(8), createRng(1)],
    kinds: [undefined, undefined, 'rng'],
  },
  { name: 'unitMean', call: unitMean as never, args: () => ['spin', 0.3], kinds: ['enum'] },
  {
    name: 'trainRbm',
    call: trainRbm as never,
    args: () => [rbm(), spins(16), { epochs: 1, rng: createRng(2), batchSize: 2 }, {}],
    kinds: [undefined, undefined, 'required', 'options'],
  },
  {
    name: 'rbmFlow',
    call: rbmFlow as never,
    args: () => [rbm(), spins(8), 2, { rng: createRng(1) }, {}],
    kinds: [undefined, undefined, 'count', 'options', 'options'],
  },
  {
    name: 'createAutoencoder',
    call: createAutoencoder as never,
    args: () => [{ layers: [4, 2], rng: createRng(1) }],
    kinds: ['required'],
  },
  {
    name: 'trainAutoencoder',
    call: trainAutoencoder as never,
    args: () => [
      createAutoencoder({ layers: [4, 2], rng: createRng(1) }),
      f64(16, (i) => (i % 5) / 5),
      { epochs: 1, batchSize: 2, optimizer: { kind: 'sgd', learningRate: 0.1 }, rng: createRng(2) },
    ],
    kinds: [undefined, 'data', 'required'],
  },
  {
    name: 'createMlp',
    call: createMlp as never,
    args: () => [{ layers: [4, 3, 2], rng: createRng(1) }],
    kinds: ['required'],
  },
  // rg, spectral
  {
    name: 'blockAverage',
    call: blockAverage as never,
    args: () => [spins(16), [4, 4], 2],
    kinds: [undefined, 'shape', 'size'],
  },
  {
    name: 'blockMajority',
    call: blockMajority as never,
    args: () => [spins(16), [4, 4], 2, createRng(1)],
    kinds: [undefined, 'shape', 'size'],
  },
  {
    name: 'twoPointCorrelator',
    call: twoPointCorrelator as never,
    args: () => [spins(32), [4, 4], {}],
    kinds: ['data', 'shape', 'options'],
  },
  {
    name: 'fitScalingDimension',
    call: fitScalingDimension as never,
    args: () => [
      Float64Array.of(1, 2, 3, 4),
      Float64Array.of(1, 0.8, 0.7, 0.65),
      Float64Array.of(0.01, 0.01, 0.01, 0.01),
      {},
    ],
    kinds: ['data', 'data', 'data', 'options'],
  },
  {
    name: 'inputOutputCorrelator',
    call: inputOutputCorrelator as never,
    args: () => [spins(8), f64(6, (i) => i / 6), 2, 4, 3, {}],
    kinds: ['data', 'data', 'size', 'size', 'size', 'options'],
  },
  {
    name: 'mapLocality',
    call: mapLocality as never,
    args: () => [f64(16, (i) => (i === 5 ? 1 : 0.1)), [4, 4]],
    kinds: ['data', 'shape'],
  },
  {
    name: 'fourierPower',
    call: fourierPower as never,
    args: () => [f64(16, (i) => i), [4, 4]],
    kinds: ['data', 'shape'],
  },
  // plot
  { name: 'formatTick', call: formatTick as never, args: () => [1, 0.5], kinds: ['finite', 'positive'] },
  { name: 'colormapHex', call: colormapHex as never, args: () => ['gray', 0.5], kinds: ['enum'] },
  {
    name: 'heatmap',
    call: heatmap as never,
    args: () => [f64(4, (i) => i), 2, 2, {}],
    kinds: [undefined, 'size', 'size', 'options'],
  },
  {
    name: 'linePlot',
    call: linePlot as never,
    args: () => [{ series: [{ x: [1, 2, 3], y: [1, 4, 9] }] }],
    kinds: ['required'],
  },
];

function expectContractError(run: () => unknown, label: string): void {
  let thrown: unknown;
  try {
    run();
  } catch (e) {
    thrown = e;
  }
  if (!(thrown instanceof CoarseGrainError))
    throw new Error(
      `${label}: expected a CoarseGrainError, got ${thrown === undefined ? 'no error' : String(thrown)}`,
    );
  if (!CONTRACT.test(thrown.message))
    throw new Error(`${label}: message not in the contract form: ${JSON.stringify(thrown.message)}`);
}

function show(v: unknown): string {
  if (typeof v === 'symbol' || typeof v === 'function') return String(v);
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}[${Array.from(v as Float64Array).join(',')}]`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

describe('bad input never crashes, hangs or passes silently (property-based)', () => {
  for (const c of cases) {
    it(`${c.name}: valid baseline succeeds; each bad argument gives a typed contract-form error`, () => {
      expect(() => c.call(...c.args())).not.toThrow();
      c.kinds.forEach((kind, slot) => {
        if (!kind) return;
        fc.assert(
          fc.property(badValues(kind, c.args()[slot]), (bad) => {
            const args = c.args();
            args[slot] = bad;
            expectContractError(() => c.call(...args), `${c.name} argument ${slot} = ${show(bad)}`);
          }),
          { numRuns: 25, seed: 14 },
        );
      });
    });
  }

  it('every options object rejects an unknown key, naming it and listing the known ones', () => {
    expect(() =>
      sampleEnsemble(ising(), { temperature: 2, samples: 2, burnin: 10, rng: createRng(1) } as never),
    ).toThrow(
      /^sampleEnsemble: options: expected only the known keys temperature, sampler, samples, burnIn, thin, rng, init, onProgress, signal, received unknown key 'burnin' \(did you mean 'burnIn'\?\)$/,
    );
  });

  it('null/undefined for an optional options argument count as not given; undefined values too', () => {
    const a = f64(12, (i) => Math.sin(i));
    const ref = covarianceMatrix(a, 4, 3);
    expect(covarianceMatrix(a, 4, 3, null as never).matrix).toEqual(ref.matrix);
    expect(covarianceMatrix(a, 4, 3, undefined).matrix).toEqual(ref.matrix);
    expect(covarianceMatrix(a, 4, 3, { center: undefined }).matrix).toEqual(ref.matrix);
    expect(gemm(null, Float64Array.of(1, 2), Float64Array.of(3, 4), 1, 1, 2, null as never)).toEqual(
      Float64Array.of(11),
    );
  });

  it('decoders refuse generated garbage with a FormatError (never a generic error)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (tail) => {
        const png = new Uint8Array(8 + tail.length);
        png.set(pngBytes());
        png.set(tail, 8);
        expectContractError(() => decodeImage(png), 'decodeImage');
        expectContractError(() => decodeEnsemble(tail), 'decodeEnsemble');
      }),
      { numRuns: 200, seed: 14 },
    );
  });

  it('restoreRng refuses a carry of 2.5 and registers outside [0, 1)', () => {
    const state = createRng(1).save();
    expect(() => restoreRng({ ...state, state: { ...state.state, c: 2.5 } })).toThrow(
      'restoreRng: state.c: expected an integer carry in [0, 2091639], received 2.5',
    );
    expect(() => restoreRng({ ...state, state: { ...state.state, s1: 1.5 } })).toThrow(/state\.s1/);
    expect(restoreRng(state).uniform()).toBe(createRng(1).uniform());
  });

  it('experiments: a null options argument counts as not given (typed errors come from the config)', () => {
    expect(() => runE1({ L: -1 } as never, null as never)).toThrow(DomainError);
    expect(() => runE1({ L: -1 } as never, null as never)).toThrow(/^runE1: config\.L: expected/);
    expect(() => runE6({ N: -1 }, null as never)).toThrow(/^runE6: config\.N: expected/);
    expect(() => runE6({ N: 32 }, { seeed: 1 } as never)).toThrow(/received unknown key 'seeed'/);
  });

  it('runChain refuses spins of 0 (naming the index) and a chain without a generator', () => {
    const state = createChainState(ising(), { rng: createRng(1) });
    state.spins[5] = 0;
    const updater = createMetropolisUpdater(ising(), 0.5);
    expect(() => runChain(updater, state, 1)).toThrow(
      'runChain: state.spins[5]: expected a spin +1 or -1, received 0',
    );
    const noRng = { ...createChainState(ising(), { rng: createRng(1) }), rng: null };
    expect(() => runChain(updater, noRng as never, 1)).toThrow(/^runChain: state\.rng: expected an Rng/);
  });

  it('gemmParallel refuses a pool that is not one ({}) or a destroyed one, before any work', async () => {
    const a = Float64Array.of(1, 2, 3, 4);
    await expect(gemmParallel({} as never, null, a, a, 2, 2, 2)).rejects.toThrow(
      /^gemmParallel: pool: expected a pool made by createWorkerPool, received object$/,
    );
    const destroyed = { slots: [], destroyed: true };
    await expect(gemmParallel(destroyed as never, null, a, a, 2, 2, 2)).rejects.toThrow(StateError);
  });

  it('built-in worker tasks refuse unknown payloads with typed errors instead of returning undefined', () => {
    for (const [name, task] of Object.entries(builtinTasks)) {
      for (const bad of [null, undefined, {}, 42, 'x'])
        expectContractError(() => task(bad), `${name}(${show(bad)})`);
    }
  });
});
