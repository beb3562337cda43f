/**
 * Your own experiment 3: an autoencoder against the covariance on image patches. Cut size x size patches
 * from MNIST digits (--data <folder with t10k-images-idx3-ubyte[.gz]>) or, without --data, from synthetic
 * blob images; train a [d, k] autoencoder (sigmoid code, linear decoder) from a random init, and compare
 * its mean squared error with the PCA optimum sum_{a>k} lambda_a / d (Baldi-Hornik: no reconstruction
 * confined to a k-dimensional affine subspace, which a linear decoder's is, can do better) and its decoder
 * subspace with the top k covariance eigenvectors. The covariance (PCA) init is the reference start.
 * Usage: node --import tsx examples/research/autoencoder-vs-pca.ts [--tiny] [--data ../shared/data/mnist]
 *   [--images 1000] [--size 8] [--k 8] [--epochs 20] [--seed 1] [--out results/research/autoencoder-vs-pca]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createAutoencoder,
  deriveRng,
  extractPatches,
  matrix,
  pca,
  reconstructionLoss,
  subspaceOverlap,
  trainAutoencoder,
} from 'coarsegrain';
import { loadMnist } from 'coarsegrain/node';

const flags = ['data', 'images', 'size', 'k', 'epochs', 'lr', 'seed', 'out'];
const options = Object.fromEntries(flags.map((name) => [name, { type: 'string' as const }]));
const values: Record<string, unknown> = parseArgs({
  options: { ...options, tiny: { type: 'boolean' } },
}).values;
const num = (name: string, full: number, tiny: number) => Number(values[name] ?? (values.tiny ? tiny : full));
const images = num('images', 1000, 40);
const [size, k, epochs, seed] = [num('size', 8, 6), num('k', 8, 4), num('epochs', 20, 20), num('seed', 1, 1)];
const out = String(values.out ?? 'results/research/autoencoder-vs-pca');

// Images 28 x 28 in [0, 1]: MNIST digits, or sums of two Gaussian blobs (a stand-in with smooth structure).
let pixels = new Float64Array(images * 784);
if (values.data) pixels = Float64Array.from((await loadMnist(String(values.data), { limit: images })).images);
const rng = deriveRng(seed, 'synthetic');
for (let i = 0; !values.data && i < images * 2; i++) {
  const [x0, y0, a] = [28 * rng.uniform(), 28 * rng.uniform(), rng.uniform()];
  const blob = (p: number) => a * Math.exp(-(((p % 28) - x0) ** 2 + (Math.floor(p / 28) - y0) ** 2) / 8);
  for (let p = 0; p < 784; p++) pixels[(i >> 1) * 784 + p]! += blob(p);
}
const image = (i: number) => ({
  data: pixels.subarray(i * 784, (i + 1) * 784),
  width: 28,
  height: 28,
  channels: 1,
});
const perImage = extractPatches(image(0), size, size).count;
const [d, n] = [size * size, images * perImage];
const X = matrix(new Float64Array(n * d), n, d); // one patch per row
for (let i = 0; i < images; i++) X.data.set(extractPatches(image(i), size, size).data, i * perImage * d);
console.log(`${n} patches ${size} x ${size} of ${values.data ? 'MNIST' : 'synthetic blobs'}, code size ${k}`);

// The covariance side: PCA optimum per element (eigenvalues divide by n - 1, the loss by n).
const p = pca(X, k);
const tail = p.eigenvalues.slice(k).reduce((a, b) => a + b, 0);
const pcaOptimum = (tail * (n - 1)) / n / d;
const variance = (p.eigenvalues.reduce((a, b) => a + b, 0) * (n - 1)) / n / d;

// The network side: covariance init (untrained) and a trained random init.
const start = createAutoencoder({ layers: [d, k], init: { kind: 'covariance', data: X } });
const random = createAutoencoder({ layers: [d, k], rng: deriveRng(seed, 'init') });
const onProgress = (q: { done: number; total: number; metrics?: Readonly<Record<string, number>> }) =>
  console.log(`epoch ${q.done}/${q.total}  training MSE ${q.metrics?.trainLoss?.toExponential(4)}`);
const optimizer = { kind: 'adam', learningRate: num('lr', 1e-2, 1e-2) } as const;
const train = { epochs, batchSize: 100, optimizer, rng: deriveRng(seed, 'train') };
const { model } = trainAutoencoder(random, X, train, { onProgress });

// Decoder subspace: decoder weights are k x d (row-major); their rows span it, as columns of the transpose.
const decoderBasis = (w: ArrayLike<number>) =>
  Float64Array.from({ length: d * k }, (_, j) => w[(j % k) * d + Math.floor(j / k)]!);
const rows = [
  { model: 'covariance init (untrained)', net: start },
  { model: `random init, ${epochs} epochs`, net: model },
].map(({ model: name, net }) => ({
  model: name,
  loss: reconstructionLoss(net, X),
  overlap: subspaceOverlap(matrix(decoderBasis(net.weights[1]!), d, k), p.components),
}));
console.log(`variance per element ${variance.toExponential(4)}, PCA optimum ${pcaOptimum.toExponential(4)}`);
for (const r of rows) {
  const ratio = `x${(r.loss / pcaOptimum).toFixed(3)} the optimum`;
  console.log(
    `${r.model.padEnd(28)} MSE ${r.loss.toExponential(4)} (${ratio}), overlap with PCA ${r.overlap.toFixed(3)}`,
  );
}

mkdirSync(out, { recursive: true });
const config = { data: values.data ?? 'synthetic', images, size, k, epochs, seed, patches: n, d };
const result = { config, variance, pcaOptimum, rows };
writeFileSync(join(out, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${join(out, 'result.json')}`);
