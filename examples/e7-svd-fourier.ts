/**
 * Experiment E7: SVD of a trained +-1 RBM's weights on 2D Ising data and the Fourier content of the
 * singular vectors ("hidden = low-pass of visible"). Run: `npx tsx examples/e7-svd-fourier.ts --quick`.
 * Every config field has a flag (`--help` lists them with their quick-preset values).
 * Writes results/e7/{result.json, spectrum.svg, lowpass.svg, vectors.svg, report.md}.
 */
import { E7_PRESETS, imageGrid, linePlot, runE7 } from 'coarsegrain';
import { markdownTable, pm, progressBar, writeResults } from './lib/cli.js';
import { presetCli } from './lib/presetFlags.js';

const { values, config, seed, out } = presetCli('e7-svd-fourier', E7_PRESETS);

const result = runE7(config, { seed, onProgress: progressBar('E7') });
const m = result.measured;
const c = result.parameters;

if (values.json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const ranks = m.singularValues.map((_, j) => j + 1);
  const spectrum = linePlot({
    title: `Singular spectrum of W (${c.L}x${c.L} visible, ${c.hiddenSide}x${c.hiddenSide} hidden, ${c.seeds} seeds)`,
    xLabel: 'rank j',
    yLabel: 'singular value s_j',
    yScale: 'log',
    series: [
      {
        x: ranks,
        y: m.singularValues.map((s) => s.mean),
        yError: m.singularValues.map((s) => (Number.isFinite(s.error) ? s.error : 0)),
        label: 'trained RBM',
        style: 'both',
      },
    ],
  });
  const mr = m.lowPassOverlap.map((_, j) => j + 1);
  const err = (xs: { error: number }[]) => xs.map((s) => (Number.isFinite(s.error) ? s.error : 0));
  const lowpass = linePlot({
    title: 'Low-pass relation vs singular-value rank',
    xLabel: 'rank j',
    yLabel: 'fraction / overlap',
    yDomain: [0, 1.05],
    series: [
      {
        x: mr,
        y: m.visibleBandFraction.map((s) => s.mean),
        yError: err(m.visibleBandFraction),
        label: 'power of u_j inside the hidden band',
        style: 'both',
      },
      {
        x: mr,
        y: m.lowPassOverlap.map((s) => s.mean),
        yError: err(m.lowPassOverlap),
        label: 'abs cos(v_j, low-passed u_j)',
        style: 'both',
      },
      {
        x: mr,
        y: m.visibleBandFractionUntrained.map((s) => s.mean),
        label: 'band power, untrained W',
        style: 'line',
        dashed: true,
      },
      {
        x: mr,
        y: m.lowPassOverlapUntrained.map((s) => s.mean),
        label: 'overlap, untrained W',
        style: 'line',
        dashed: true,
      },
    ],
  });
  const n = m.visibleVectors.length;
  const vectors = imageGrid(Float64Array.from(m.visibleVectors.flat()), {
    rows: 1,
    cols: Math.max(1, n),
    height: c.L,
    width: c.L,
    colormap: 'diverging',
    title: `Top ${n} visible singular vectors u_j (seed 0)`,
  });
  const hidden = imageGrid(Float64Array.from(m.hiddenVectors.flat()), {
    rows: 1,
    cols: Math.max(1, n),
    height: c.hiddenSide,
    width: c.hiddenSide,
    colormap: 'diverging',
    title: `Top ${n} hidden singular vectors v_j (seed 0, ${c.hiddenLayout} layout)`,
  });
  const perRank = markdownTable(
    [
      'j',
      's_j',
      's_j^2 share',
      'band power of u_j',
      'RMS k of u_j',
      'RMS k of v_j',
      'abs cos(v_j, LP u_j)',
      'untrained',
    ],
    m.lowPassOverlap.map((_, j) => [
      j + 1,
      pm(m.singularValues[j]!.mean, m.singularValues[j]!.error),
      pm(m.normShare[j]!.mean, m.normShare[j]!.error),
      pm(m.visibleBandFraction[j]!.mean, m.visibleBandFraction[j]!.error),
      pm(m.visibleRmsWaveNumber[j]!.mean, m.visibleRmsWaveNumber[j]!.error),
      pm(m.hiddenRmsWaveNumber[j]!.mean, m.hiddenRmsWaveNumber[j]!.error),
      pm(m.lowPassOverlap[j]!.mean, m.lowPassOverlap[j]!.error),
      pm(m.lowPassOverlapUntrained[j]!.mean, m.lowPassOverlapUntrained[j]!.error),
    ]),
  );
  const comparisons = markdownTable(
    ['quantity', 'measured', 'reference / expectation', 'source', 'agrees'],
    result.comparisons.map((k) => [
      k.quantity,
      pm(k.measured.mean, k.measured.error),
      `${Number.isFinite(k.reference) ? `${k.reference}; ` : ''}${k.expectation ?? ''}`,
      k.source,
      k.agrees ? 'yes' : 'no',
    ]),
  );
  const report = `# ${result.title}

Preset ${result.preset}; L = ${c.L} (visible ${c.L}x${c.L}), hidden ${c.hiddenSide}x${c.hiddenSide}, T = ${c.temperature.toFixed(4)}, ${c.samples} ${c.sampler} samples per seed, ${c.epochs} epochs (${m.updates} updates, Adam lr ${c.learningRate}), ${c.seeds} seeds; seed ${result.seed}, coarsegrain ${result.version}, ${result.seconds.toFixed(1)} s.
Errors are standard errors over the seeds. Data check: <e> = ${pm(m.data.energy.mean, m.data.energy.error)}, <|m|> = ${pm(m.data.absMagnetization.mean, m.data.absMagnetization.error)}; RBM reconstruction MSE ${pm(m.reconstructionError.mean, m.reconstructionError.error)}.

## Measured vs expected

${comparisons}

Singular values carrying ${Math.round(c.normFraction * 100)}% of sum s^2: ${pm(m.modesForFraction.mean, m.modesForFraction.error)} of ${m.rank} (untrained init: ${pm(m.modesForFractionUntrained.mean, m.modesForFractionUntrained.error)}).

## Per singular pair

${perRank}

Hidden layout: ${c.hiddenLayout}. An RBM is invariant under permuting its hidden units and under h_a -> -h_a with W[:, a] -> -W[:, a], so the hidden singular vectors only have a lattice meaning once the units are placed: 'receptive-field' puts each unit at the hidden site nearest the centre of its weight map and orients it so that its weights sum to >= 0; the untrained baseline gets the same treatment. With the other layout the top-${c.topModes} overlap is ${pm(m.top.lowPassOverlapOtherLayout.mean, m.top.lowPassOverlapOtherLayout.error)}. The visible-side Fourier content does not depend on the layout.

Plots: spectrum.svg, lowpass.svg, vectors.svg (visible), hidden-vectors.svg.
`;
  const folder = writeResults(
    out,
    result,
    {
      'spectrum.svg': spectrum,
      'lowpass.svg': lowpass,
      'vectors.svg': vectors,
      'hidden-vectors.svg': hidden,
    },
    report,
  );
  process.stdout.write(`${comparisons}\n\nwrote ${folder}/ in ${result.seconds.toFixed(1)} s\n`);
}
