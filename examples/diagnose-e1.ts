/**
 * The E1 diagnosis (docs/experiments.md, E1 "Diagnosis"), two measurements:
 * - `bayes`: the best accuracy any temperature classifier can reach on the network thermometer's own
 *   training ensembles (quick and full presets). The energy is a sufficient statistic of the
 *   nearest-neighbour Ising model, so argmax_k [-E(x)/T_k - ln Z(T_k)] with Kaufman's exact ln Z is the
 *   Bayes-optimal rule for equal class sizes. It prints its accuracy and its accuracy within one class.
 * - `training U1 U2 ...`: the full preset rerun with U PCD updates each (network thermometer off), printing
 *   the fixed point's Kaufman temperature and the flow-minus-Monte-Carlo correlators at r = 1 and L/2.
 * Run: `npx tsx examples/diagnose-e1.ts bayes` (seconds) or `npx tsx examples/diagnose-e1.ts training
 * 4000 16000` (minutes per run on 2 cores).
 */
import { deriveRng } from '../src/core/rng.js';
import { E1_PRESETS, runE1 } from '../src/experiments/e1.js';
import { kaufmanTorus } from '../src/lattice/exact2d.js';
import { createIsing2D } from '../src/lattice/ising2d.js';
import { formatReading } from '../src/rg/reading.js';
import { sampleEnsemble } from '../src/sampling/ensemble.js';
import { pm } from './lib/cli.js';

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'training') {
  for (const updates of rest.map(Number)) {
    const r = runE1({ preset: 'full', networkThermometer: false, updates }, { seed: 1 });
    const m = r.measured;
    process.stdout.write(
      `updates ${updates} (${m.training.epochs} epochs, ${r.seconds.toFixed(0)} s): fixed point ${formatReading(m.fixedPointTemperature)}; data ${formatReading(m.flow[0]!.temperature)}; G(1) ${pm(m.spinDifference.short.mean, m.spinDifference.short.error)}; G(L/2) ${pm(m.spinDifference.long.mean, m.spinDifference.long.error)}; G_eps(1) ${pm(m.energyDifference.short.mean, m.energyDifference.short.error)}\n`,
    );
  }
} else {
  for (const name of ['quick', 'full'] as const) {
    const p = E1_PRESETS[name];
    const L = p.L;
    const temps = p.thermometerTemperatures;
    const logZ = temps.map((T) => kaufmanTorus(L, T).logZ);
    let exact = 0;
    let within = 0;
    let total = 0;
    let lowExact = 0;
    let lowTotal = 0;
    temps.forEach((T, k) => {
      const e = sampleEnsemble(createIsing2D({ L }), {
        temperature: T,
        samples: p.thermometerSamples,
        burnIn: 100,
        thin: 2,
        sampler: 'wolff',
        rng: deriveRng(1, 'E1', 'thermometer-data', k),
      });
      for (const E of e.energy) {
        const Etot = E * L * L;
        let best = 0;
        let bestV = -Infinity;
        temps.forEach((Tj, j) => {
          const v = -Etot / Tj - logZ[j]!;
          if (v > bestV) {
            bestV = v;
            best = j;
          }
        });
        total++;
        if (best === k) exact++;
        if (Math.abs(best - k) <= 1) within++;
        if (T <= 1.5) {
          lowTotal++;
          if (best === k) lowExact++;
        }
      }
    });
    const se = (x: number) => Math.sqrt(((x / total) * (1 - x / total)) / total);
    process.stdout.write(
      `${name}: ${temps.length} classes ${temps[0]}..${temps.at(-1)}, ${p.thermometerSamples}/class: Bayes-optimal accuracy ${(exact / total).toFixed(4)} ± ${se(exact).toFixed(4)}, within one class ${(within / total).toFixed(4)} ± ${se(within).toFixed(4)}; classes T <= 1.5: ${lowTotal ? (lowExact / lowTotal).toFixed(4) : '-'}` +
        '\n',
    );
  }
}
