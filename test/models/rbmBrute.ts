/** Brute-force reference computations for tiny RBMs (test helper). */
import { createRng } from '../../src/core/rng.js';
import { createRbm } from '../../src/models/init.js';
import type { Rbm, UnitType } from '../../src/models/types.js';

export type Combo = [UnitType, Exclude<UnitType, 'gaussian'>];
export const COMBOS: Combo[] = [
  ['spin', 'spin'],
  ['spin', 'binary'],
  ['binary', 'spin'],
  ['binary', 'binary'],
  ['gaussian', 'spin'],
  ['gaussian', 'binary'],
];

/** All 2^n configurations of n discrete units, row-major. */
export function allStates(n: number, units: UnitType): number[][] {
  const out: number[][] = [];
  for (let k = 0; k < 2 ** n; k++) {
    const s: number[] = [];
    for (let i = 0; i < n; i++) {
      const bit = (k >> i) & 1;
      s.push(units === 'spin' ? 2 * bit - 1 : bit);
    }
    out.push(s);
  }
  return out;
}

/** E(v, h) straight from the definition. */
export function bruteEnergy(rbm: Rbm, v: number[], h: number[]): number {
  const { nVisible: nv, nHidden: nh, weights: w, visibleBias: a, hiddenBias: b } = rbm;
  let e = 0;
  for (let j = 0; j < nh; j++) e -= b[j]! * h[j]!;
  for (let i = 0; i < nv; i++) {
    const s2 = rbm.visibleUnits === 'gaussian' ? rbm.visibleSigma![i]! ** 2 : 1;
    if (rbm.visibleUnits === 'gaussian') e += (v[i]! - a[i]!) ** 2 / (2 * s2);
    else e -= a[i]! * v[i]!;
    for (let j = 0; j < nh; j++) e -= (v[i]! / s2) * w[i * nh + j]! * h[j]!;
  }
  return e;
}

export function logSumExp(xs: number[]): number {
  let m = Number.NEGATIVE_INFINITY;
  for (const x of xs) if (x > m) m = x;
  let s = 0;
  for (const x of xs) s += Math.exp(x - m);
  return m + Math.log(s);
}

/** A random model with non-trivial parameters. */
export function randomRbm(nv: number, nh: number, [vu, hu]: Combo, seed: number, scale = 0.7): Rbm {
  const rng = createRng(seed);
  const rbm = createRbm({
    nVisible: nv,
    nHidden: nh,
    visibleUnits: vu,
    hiddenUnits: hu,
    init: { kind: 'gaussian', sigma: scale },
    rng,
  });
  for (let i = 0; i < nv; i++) rbm.visibleBias[i] = 0.5 * rng.normal();
  for (let j = 0; j < nh; j++) rbm.hiddenBias[j] = 0.5 * rng.normal();
  if (rbm.visibleSigma) for (let i = 0; i < nv; i++) rbm.visibleSigma[i] = 0.6 + 0.8 * rng.uniform();
  return rbm;
}
