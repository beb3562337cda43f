/** The first 50 bad-input cases (core, data, lattice, sampling, models, rg, spectral, plot). */

import { createCovarianceAccumulator } from '../../../src/core/covariance.js';
import { fftPlan } from '../../../src/core/fft.js';
import { gemm } from '../../../src/core/gemm.js';
import { createRng, permutation, shuffleInPlace, splitRng } from '../../../src/core/rng.js';
import { binningAnalysis, integratedAutocorrelationTime, mean, variance } from '../../../src/core/stats.js';
import { matrix } from '../../../src/core/tensor.js';
import { encodeIdx } from '../../../src/data/idx.js';
import { encodeNpy } from '../../../src/data/npy.js';
import { minibatchIndices, trainTestSplit } from '../../../src/data/split.js';
import { kaufmanTorus, onsagerEnergy } from '../../../src/lattice/exact2d.js';
import { createIsing2D } from '../../../src/lattice/ising2d.js';
import { createLongRangeChain } from '../../../src/lattice/longRangeChain.js';
import { createAutoencoder } from '../../../src/models/autoencoder.js';
import { createRbm } from '../../../src/models/init.js';
import { createMlp } from '../../../src/models/mlp.js';
import { cloneRbm, unitMean } from '../../../src/models/rbm.js';
import { rbmFlow } from '../../../src/models/rbmFlow.js';
import { colormapHex } from '../../../src/plot/colormap.js';
import { heatmap } from '../../../src/plot/heatmap.js';
import { linePlot } from '../../../src/plot/linePlot.js';
import { formatTick } from '../../../src/plot/ticks.js';
import { blockAverage, blockMajority } from '../../../src/rg/block.js';
import { createChainState, runChain } from '../../../src/sampling/chain.js';
import { sampleEnsemble } from '../../../src/sampling/ensemble.js';
import { createHeatBathUpdater, heatBathThresholds } from '../../../src/sampling/heatBath.js';
import { createMetropolisUpdater, metropolisTable } from '../../../src/sampling/metropolis.js';
import { createWolffUpdater } from '../../../src/sampling/wolff.js';
import { twoPointCorrelator } from '../../../src/spectral/correlator.js';
import { mapLocality } from '../../../src/spectral/inputOutput.js';
import { fitScalingDimension } from '../../../src/spectral/scaling.js';
import { fourierPower } from '../../../src/spectral/weights.js';
import type { Case } from './harness.js';

export const f64 = (n: number, f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
export const spins = (n: number) =>
  Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 3 === 0 ? 1 : -1));
export const ising = () => createIsing2D({ L: 4 });
export const rbm = () => createRbm({ nVisible: 4, nHidden: 3, rng: createRng(1) });
export const pngBytes = () => Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

export const baseCases: Case[] = [
  // core
  {
    name: 'gemm',
    call: gemm as never,
    args: () => [
      null,
      matrix(
        f64(6, (i) => i),
        2,
        3,
      ),
      matrix(
        f64(6, (i) => i + 1),
        3,
        2,
      ),
      {},
    ],
    kinds: [undefined, 'matrixNumbers', 'matrixNumbers', 'options'],
    extra: () => {
      const a = matrix(
        f64(6, (i) => i),
        2,
        3,
      );
      const b = matrix(
        f64(6, (i) => i + 1),
        3,
        2,
      );
      const empty = (rows: number, cols: number) => ({ data: new Float64Array(0), rows, cols });
      return [
        [null, a, matrix(b.data, 2, 3), {}], // b with its sizes swapped: inner sizes 3 and 2
        [null, a, b, { transB: true }], // op(B) = B^T is 2 x 3
        [matrix(new Float64Array(4), 1, 4), a, b, {}], // out not 2 x 2
        [matrix(a.data.subarray(0, 4), 2, 2), a, b, {}], // out shares memory with a
        [matrix(new Int8Array(4), 2, 2), a, b, {}], // out of integers
        [null, matrix(Int8Array.of(1, -1, 1, -1, 1, -1), 2, 3), b, {}], // spins: convert first
        [null, a, b, { transA: 'yes' }],
        [null, a, b, { alpha: Number.NaN }],
        [null, empty(2 ** 20, 0), empty(0, 2 ** 20), {}], // a 2^40-entry product to allocate
      ];
    },
  },
  {
    name: 'createCovarianceAccumulator',
    call: createCovarianceAccumulator as never,
    args: () => [3, {}],
    kinds: ['size', 'options'],
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
    kinds: ['rng', 'count', 'int', 'options'],
  },
  {
    name: 'trainTestSplit',
    call: trainTestSplit as never,
    args: () => [createRng(1), 10, 0.2, {}],
    kinds: ['rng', 'count', undefined, 'options'],
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
  { name: 'cloneRbm', call: cloneRbm as never, args: () => [rbm()], kinds: ['object'] },
  { name: 'unitMean', call: unitMean as never, args: () => ['spin', 0.3], kinds: ['enum'] },
  {
    name: 'rbmFlow',
    call: rbmFlow as never,
    args: () => [rbm(), spins(8), 2, { rng: createRng(1) }, {}],
    kinds: [undefined, undefined, 'count', 'required', 'options'],
  },
  {
    name: 'createAutoencoder',
    call: createAutoencoder as never,
    args: () => [{ layers: [4, 2], rng: createRng(1) }],
    kinds: ['required'],
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
    args: () => [
      matrix(
        f64(4, (i) => i),
        2,
        2,
      ),
      {},
    ],
    kinds: ['object', 'options'],
  },
  {
    name: 'linePlot',
    call: linePlot as never,
    args: () => [
      {
        series: [{ x: [1, 2, 3], y: [1, 4, 9], band: { lower: [0, 3, 8], upper: [2, 5, 10] } }],
        referenceLines: [{ y: 2 }],
      },
    ],
    kinds: ['required'],
    nested: [
      [0, 'series', 0],
      [0, 'series', 0, 'band'],
      [0, 'referenceLines', 0],
    ],
  },
];
