/**
 * The E3 diagnosis (docs/experiments.md, E3 "Diagnosis"): what an RBM-stack layer read as a lattice is made
 * of, with the quick preset's data, training and seeds. Per starting temperature it prints the
 * majority-rule RG levels, and for the stack: layer 1's nearest-neighbour correlator on the aligned
 * lattice, unaligned (row-major), and with its units randomly permuted; the mean |tanh| of its units; the
 * thermometer readings; and, per training length, the participation ratio of the layer-1 weight maps
 * (1/3 of the sites for i.i.d. Gaussian maps, 4 sites for a 2 x 2 block).
 * Run: `npx tsx examples/diagnose-e3-layers.ts 20 50 100` (epochs per layer; about 2-8 minutes each on 2 cores).
 */
import { deriveRng, permutation } from '../src/core/rng.js';
import { jackknife } from '../src/core/stats.js';
import { matrix } from '../src/core/tensor.js';
import { E3_PRESETS } from '../src/experiments/e3.js';
import { isingGrid } from '../src/experiments/ensembleGrids.js';
import { kaufmanTorus } from '../src/lattice/exact2d.js';
import { THESIS_ADAM } from '../src/models/optim.js';
import { hiddenMeans } from '../src/models/rbm.js';
import { stackUp, trainRbmStack } from '../src/models/rbmStack.js';
import { alignStackToLattice } from '../src/models/stackGauge.js';
import { blockFlow } from '../src/rg/flow.js';
import { kaufmanLevelThermometer, temperatureGrid } from '../src/rg/levelThermometer.js';
import { formatReading } from '../src/rg/reading.js';
import { configurationObservable } from '../src/rg/thermometer.js';
import { ensembleMatrix } from '../src/sampling/ensemble.js';

const epochsList = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [20];
const c = E3_PRESETS.quick;
const seed = 1;
const sides = [32, 16, 8];
const thermo = kaufmanLevelThermometer(temperatureGrid(0.5, 10, 0.025));
const est = (xs: Float64Array) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return `${m.toFixed(4)}±${jackknife([xs], (q) => q[0]!, 32).error.toFixed(4)}`;
};
const nnCorr = (cfg: Float64Array, side: number) =>
  configurationObservable(cfg, [side, side], 'nnCorrelator');
const train = isingGrid(
  c.L,
  c.trainTemperatures,
  { samples: c.trainSamples, burnIn: c.burnIn, thin: c.thin },
  { seed, id: 'E3', label: 'train' },
);
const flowEns = isingGrid(
  c.L,
  c.startTemperatures,
  { samples: c.samples, burnIn: c.burnIn, thin: c.thin },
  { seed, id: 'E3', label: 'flow' },
);
console.log(
  `Kaufman e(T=10) at L=16: ${kaufmanTorus(16, 10).energy.toFixed(4)}, L=8: ${kaufmanTorus(8, 10).energy.toFixed(4)}`,
);
for (const epochs of epochsList) {
  const t0 = performance.now();
  const { stack } = trainRbmStack(
    ensembleMatrix(train),
    sides.map((s) => s * s),
    {
      rng: deriveRng(seed, 'E3', 'stack'),
      train: {
        epochs,
        batchSize: c.batchSize,
        optimizer: { ...THESIS_ADAM, learningRate: c.learningRate },
        monitorSize: 500,
      },
    },
  );
  const layerShapes = [
    [16, 16],
    [8, 8],
  ];
  const aligned = alignStackToLattice(stack, [32, 32], layerShapes).stack;
  const W0 = aligned.layers[0]!.weights;
  let wabs = 0;
  for (const w of W0) wabs += Math.abs(w);
  let pr = 0;
  const nV = 1024;
  const nH = 256;
  for (let a = 0; a < nH; a++) {
    let s2 = 0;
    let s4 = 0;
    for (let i = 0; i < nV; i++) {
      const w = W0[i * nH + a]!;
      s2 += w * w;
      s4 += w ** 4;
    }
    pr += (s2 * s2) / s4 / nV / nH;
  }
  console.log(
    `participation ratio of layer-1 weight maps / N = ${pr.toFixed(3)} (2x2 block: ${(4 / 1024).toFixed(4)})`,
  );
  console.log(
    `\n=== epochs ${epochs} (trained in ${((performance.now() - t0) / 1000).toFixed(0)} s); mean |W| layer 1 = ${(wabs / W0.length).toFixed(4)}`,
  );
  flowEns.forEach((e, k) => {
    const v = Float64Array.from(e.configs);
    const n = v.length / 1024;
    const V = matrix(v, n, 1024);
    const sampled = (s: typeof stack) =>
      stackUp(s, V, { mode: 'sample', rng: deriveRng(seed, 'E3', 'stack flow', k) }).map((m) => m.data);
    const outs = sampled(aligned);
    const outsRaw = sampled(stack);
    const mf = hiddenMeans(aligned.layers[0]!, V).data; // tanh outputs of layer 1
    const perm = permutation(deriveRng(seed, 'perm', k), 256);
    const permuted = new Float64Array(outs[0]!.length);
    for (let r = 0; r < n; r++)
      for (let i = 0; i < 256; i++) permuted[r * 256 + i] = outs[0]![r * 256 + perm[i]!]!;
    let absT = 0;
    let t2 = 0;
    for (const t of mf) {
      absT += Math.abs(t);
      t2 += t * t;
    }
    const mfnn = nnCorr(mf, 16);
    const rg = blockFlow(v, [32, 32], {
      levels: 2,
      rule: 'majority',
      rng: deriveRng(seed, 'E3', 'rg', k),
      thermometer: thermo,
      keepConfigs: true,
    });
    console.log(
      `T0=${e.temperature.toFixed(3)} | RG L16 nn ${est(nnCorr(rg[1]!.configs, 16))} T ${formatReading(rg[1]!.temperature!)} | RG L8 T ${formatReading(rg[2]!.temperature!)}`,
    );
    console.log(
      `   stack L16: nn(sampled,aligned) ${est(nnCorr(outs[0]!, 16))} T ${formatReading(thermo(outs[0]!, [16, 16]))}; nn(row-major unaligned) ${est(nnCorr(outsRaw[0]!, 16))}; nn(random perm) ${est(nnCorr(permuted, 16))}; <|tanh|> ${(absT / mf.length).toFixed(3)}, <tanh^2> ${(t2 / mf.length).toFixed(3)}, nn(tanh) ${est(mfnn)} -> normalised ${(mfnn.reduce((a, b) => a + b, 0) / n / (t2 / mf.length)).toFixed(3)}`,
    );
    console.log(`   stack L8: nn ${est(nnCorr(outs[1]!, 8))} T ${formatReading(thermo(outs[1]!, [8, 8]))}`);
  });
}
