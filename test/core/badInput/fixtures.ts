/** Small valid objects shared by the bad-input cases (each call builds a fresh one; all seeded). */
import {
  createAutoencoder,
  createIsing2D,
  createLongRangeChain,
  createMlp,
  createRbm,
  createRng,
  type Ensemble,
  type RbmStack,
  sampleEnsemble,
} from '../../../src/index.js';

export const f64 = (n: number, f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
export const spins = (n: number) =>
  Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 3 === 0 ? 1 : -1));
export const int8Spins = (n: number) =>
  Int8Array.from({ length: n }, (_, i) => ((i * 7919) % 3 === 0 ? 1 : -1));
export const ising = () => createIsing2D({ L: 4 });
export const chain = () => createLongRangeChain({ N: 8, sigma: 0.5 });
export const rbm = (nVisible = 4, nHidden = 3) => createRbm({ nVisible, nHidden, rng: createRng(1) });
export const autoencoder = () => createAutoencoder({ layers: [4, 2], rng: createRng(1) });
export const mlp = () => createMlp({ layers: [4, 3, 2], rng: createRng(1) });
export const stack = (): RbmStack => ({ kind: 'rbm-stack', version: 1, layers: [rbm(16, 4), rbm(4, 1)] });

const ensembleCache = new Map<string, Ensemble>();
/** An L x L Ising ensemble of 16 samples at temperature T (cached: treat as read-only). */
export function ensemble(T = 2.5, L = 4): Ensemble {
  let e = ensembleCache.get(`${T},${L}`);
  if (!e) {
    e = sampleEnsemble(createIsing2D({ L }), {
      temperature: T,
      samples: 16,
      burnIn: 4,
      rng: createRng(T * 10),
    });
    ensembleCache.set(`${T},${L}`, e);
  }
  return e;
}

/** A 4x4 gray image with values 0..15. */
export const image = () => ({ data: f64(16, (i) => i), width: 4, height: 4, channels: 1 });
