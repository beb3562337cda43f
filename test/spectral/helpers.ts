import type { Rng } from '../../src/core/rng.js';

/**
 * Exact samples of the periodic Ising chain of N spins at coupling K: the bonds b_i = s_i s_(i+1) are
 * independent with P(b = +1) = e^K / (2 cosh K) conditioned on prod b_i = +1 (rejection), s_0 uniform.
 */
export function sampleIsingChain(N: number, K: number, n: number, rng: Rng): Int8Array {
  const out = new Int8Array(n * N);
  const pPlus = Math.exp(K) / (2 * Math.cosh(K));
  const bonds = new Int8Array(N);
  for (let c = 0; c < n; c++) {
    for (;;) {
      let prod = 1;
      for (let i = 0; i < N; i++) {
        bonds[i] = rng.uniform() < pPlus ? 1 : -1;
        prod *= bonds[i]!;
      }
      if (prod === 1) break;
    }
    let s = rng.uniform() < 0.5 ? 1 : -1;
    for (let i = 0; i < N; i++) {
      out[c * N + i] = s;
      s *= bonds[i]!;
    }
  }
  return out;
}

/** Exact <s_0 s_r> of the periodic chain: (t^r + t^(N-r)) / (1 + t^N), t = tanh K. */
export function chainCorrelation(N: number, K: number, r: number): number {
  const t = Math.tanh(K);
  return (t ** r + t ** (N - r)) / (1 + t ** N);
}

export function randomSpins(n: number, rng: Rng): Int8Array {
  const out = new Int8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniform() < 0.5 ? 1 : -1;
  return out;
}
