/**
 * Train an RBM on the MNIST test set and draw its filters and samples.
 *
 *   npx tsx examples/rbm-mnist.ts --data ../shared/data/mnist --hidden 100 --epochs 5
 *   npx tsx examples/rbm-mnist.ts --quick        # 2000 digits, 2 epochs
 *
 * Writes into --out (default results/rbm-mnist): filters.svg (the weight column of each hidden unit as a
 * 28 x 28 image), samples.svg (p(v | h) for a hidden sample of each persistent chain at the end of
 * training), gibbs.svg (the same after --gibbs further Gibbs steps from 64 test digits; an RBM trained
 * briefly often falls into one deep mode there, which this figure shows honestly), reconstructions.svg (digits and their mean-field reconstructions), model.json (the model,
 * bit-exact), result.json (training history) and report.md. A progress bar goes to stderr.
 */
import { join } from 'node:path';
import {
  CoarseGrainError,
  createRbm,
  createRng,
  hiddenMeans,
  imageGrid,
  matrix,
  modelToJson,
  rbmFlow,
  sampleHidden,
  trainRbm,
  visibleMeans,
} from 'coarsegrain';
import { loadMnist } from 'coarsegrain/node';
import { markdownTable, numberFlag, parseCli, progressBar, writeResults } from './lib/cli.js';

const USAGE = `usage: npx tsx examples/rbm-mnist.ts [options]
  --data dir        folder with t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]
                    (default ../shared/data/mnist)
  --out dir         results folder (default results/rbm-mnist)
  --n count         digits used (default 10000; --quick: 2000)
  --hidden n        hidden units (default 100)
  --epochs n        epochs (default 5; --quick: 2)
  --method m        pcd|cd (default pcd)
  --k n             Gibbs steps per update (default 1)
  --lr x            Adam learning rate (default 1e-2; the thesis used 1e-3 for Ising data; epsilon 1e-2)
  --batch n         minibatch size (default 100)
  --units u         binary|spin visible and hidden units (default binary; pixels binarised at 128)
  --gibbs n         Gibbs steps for the samples figure (default 1000)
  --dtype d         float32|float64 (default float32)
  --seed s          seed (default 1)`;

async function main(): Promise<void> {
  const { values } = parseCli(USAGE, {
    data: { type: 'string', default: '../shared/data/mnist' },
    n: { type: 'string' },
    hidden: { type: 'string' },
    epochs: { type: 'string' },
    method: { type: 'string', default: 'pcd' },
    k: { type: 'string' },
    lr: { type: 'string' },
    batch: { type: 'string' },
    units: { type: 'string', default: 'binary' },
    gibbs: { type: 'string' },
    dtype: { type: 'string', default: 'float32' },
  });
  const quick = values.quick === true;
  const units = values.units === 'spin' ? 'spin' : 'binary';
  const dtype = values.dtype === 'float64' ? 'float64' : 'float32';
  const n = numberFlag(values, 'n', quick ? 2000 : 10000)!;
  const nHidden = numberFlag(values, 'hidden', 100)!;
  const epochs = numberFlag(values, 'epochs', quick ? 2 : 5)!;
  const seed = numberFlag(values, 'seed', 1)!;
  const gibbs = numberFlag(values, 'gibbs', quick ? 200 : 1000)!;
  const out = String(values.out ?? 'results/rbm-mnist');

  const mnist = await loadMnist(String(values.data), { split: 'test', normalize: units, dtype, limit: n });
  const D = mnist.rows * mnist.cols;
  const rowsOf = <T extends ArrayLike<number>>(x: T) => matrix(x, x.length / D, D); // one image per row
  const rng = createRng(seed);
  const rbm = createRbm({ nVisible: D, nHidden, visibleUnits: units, hiddenUnits: units, dtype, rng });
  const t0 = performance.now();
  const { model, history, checkpoint } = trainRbm(
    rbm,
    rowsOf(mnist.images),
    {
      epochs,
      rng,
      method: values.method === 'cd' ? 'cd' : 'pcd',
      k: numberFlag(values, 'k', 1)!,
      batchSize: numberFlag(values, 'batch', 100)!,
      optimizer: { kind: 'adam', learningRate: numberFlag(values, 'lr', 1e-2)!, epsilon: 1e-2 },
      monitorSize: Math.min(1000, mnist.n),
    },
    { onProgress: progressBar('rbm') },
  );
  const seconds = (performance.now() - t0) / 1000;

  // filters: column a of W as an image
  const shown = Math.min(nHidden, 100);
  const filters = new Float64Array(shown * D);
  for (let a = 0; a < shown; a++)
    for (let i = 0; i < D; i++) filters[a * D + i] = model.weights[i * nHidden + a]!;
  const side = Math.ceil(Math.sqrt(shown));
  const grid = { height: mnist.rows, width: mnist.cols };
  const filtersSvg = imageGrid(filters, {
    ...grid,
    rows: Math.ceil(shown / side),
    cols: side,
    colormap: 'diverging',
    title: `RBM filters (${nHidden} hidden, ${epochs} epochs)`,
  });

  // samples: p(v | h) for a hidden sample drawn from (a) the persistent chains at the end of training
  // (PCD) or the first digits (CD), and (b) 64 test digits after --gibbs steps of block Gibbs sampling
  const starts = mnist.images.slice(0, 64 * D);
  const lo = units === 'spin' ? -1 : 0;
  const toUnit = (x: ArrayLike<number>) => Float64Array.from(x, (v) => (v - lo) / (1 - lo));
  const chainRows = checkpoint.chains ? Math.min(64, checkpoint.chains.length / D) : 64;
  const chainStates = (checkpoint.chains ?? starts).slice(0, chainRows * D);
  const chainMeans = visibleMeans(model, sampleHidden(model, rowsOf(chainStates), rng)).data;
  const samplesSvg = imageGrid(toUnit(chainMeans), {
    ...grid,
    rows: Math.ceil(chainRows / 8),
    cols: 8,
    normalize: 'none',
    title: checkpoint.chains ? 'persistent chains after training' : 'one Gibbs step from digits',
  });
  const flow = rbmFlow(model, starts, gibbs, { rng, record: 'last' }, { onProgress: progressBar('gibbs') });
  const means = visibleMeans(model, sampleHidden(model, rowsOf(flow.configurations), rng)).data;
  const gibbsSvg = imageGrid(toUnit(means), {
    ...grid,
    rows: 8,
    cols: 8,
    normalize: 'none',
    title: `after ${gibbs} Gibbs steps from test digits`,
  });
  const rec = visibleMeans(model, hiddenMeans(model, rowsOf(starts.slice(0, 32 * D)))).data;
  const pairs = new Float64Array(64 * D);
  for (let r = 0; r < 32; r++) {
    pairs.set(toUnit(starts.subarray(r * D, (r + 1) * D)), 2 * r * D);
    pairs.set(toUnit(rec.subarray(r * D, (r + 1) * D)), (2 * r + 1) * D);
  }
  const recSvg = imageGrid(pairs, {
    ...grid,
    rows: 8,
    cols: 8,
    normalize: 'none',
    title: 'digit | reconstruction',
  });

  const last = history[history.length - 1]!;
  const report = [
    `# RBM on MNIST (test set, ${mnist.n} digits)`,
    '',
    `${D} ${units} visible, ${nHidden} ${units} hidden, ${values.method} k=${values.k ?? 1}, Adam lr ${values.lr ?? 1e-2} eps 1e-2, ${dtype}; ${seconds.toFixed(1)} s`,
    '',
    markdownTable(
      ['epoch', 'reconstruction MSE (1000 digits)'],
      history.map((h) => [h.epoch, h.reconstructionError.toFixed(5)]),
    ),
    '',
    'Figures: filters.svg, samples.svg (persistent chains), gibbs.svg, reconstructions.svg. Model: model.json (modelFromJson restores it).',
    '',
  ].join('\n');
  writeResults(
    out,
    { n: mnist.n, nHidden, epochs, seconds, history, finalReconstructionError: last.reconstructionError },
    {
      'filters.svg': filtersSvg,
      'samples.svg': samplesSvg,
      'gibbs.svg': gibbsSvg,
      'reconstructions.svg': recSvg,
    },
    report,
  );
  const { writeFileSync } = await import('node:fs');
  writeFileSync(join(out, 'model.json'), modelToJson(model));
  process.stdout.write(`${report}\nwrote ${out}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof CoarseGrainError ? e.message : String(e)}\n`);
  process.exit(1);
});
