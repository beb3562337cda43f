import { fft2d } from '../src/core/fft.js';
import { createRng } from '../src/core/rng.js';
import { directCorrelation, spinCorrelator } from '../src/spectral/correlator.js';
import { type Benchmark, timeIt } from './harness.js';

/** numpy rfft2 -> |.|^2 -> irfft2 correlator of one 256 x 256 lattice, measured on this machine. */
const NUMPY_256_MS = 1.6;

function randomSpins(n: number, seed: number): Int8Array {
  const rng = createRng(seed);
  return Int8Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 1 : -1));
}

/** Direct O(N^2) correlation of a 2D field for the first `count` displacements (row-major order). */
function directPartial(field: Int8Array, L: number, count: number): number {
  let check = 0;
  for (let d = 0; d < count; d++) {
    const dy = Math.floor(d / L);
    const dx = d % L;
    let s = 0;
    for (let y = 0; y < L; y++) {
      const row = y * L;
      const row2 = ((y + dy) % L) * L;
      for (let x = 0; x < L; x++) s += field[row + x]! * field[row2 + ((x + dx) % L)]!;
    }
    check += s;
  }
  return check;
}

export const benchmarks: Benchmark[] = [
  {
    name: 'spectral-correlator',
    run() {
      const L = 256;
      const N = L * L;
      const n = 128;
      const configs = randomSpins(n * N, 1);
      // ensemble path: two lattices per complex FFT, one inverse per pair of jackknife blocks
      const ensemble = timeIt(() => {
        const r = spinCorrelator(configs, [L, L], { blocks: 16 });
        if (Math.abs(r.displacement[0]! - 1) > 1e-9) throw new Error('correlator bench: G(0) != 1');
      }, 3);
      // a single lattice: forward + inverse transform (errors NaN)
      const one = configs.subarray(0, N);
      const single = timeIt(() => {
        const r = spinCorrelator(one, [L, L]);
        if (Math.abs(r.displacement[0]! - 1) > 1e-9) throw new Error('correlator bench: G(0) != 1');
      }, 5);
      // non-power-of-two (Bluestein) lattice 100 x 100, per lattice
      const c100 = randomSpins(128 * 10_000, 2);
      const bluestein = timeIt(() => {
        spinCorrelator(c100, [100, 100], { blocks: 16 });
      }, 3);
      // direct O(N^2): full at L = 32 scaled by (256/32)^4, and a fraction of the displacements at L = 256
      const small = randomSpins(32 * 32, 3);
      const direct32 = timeIt(() => {
        const g = directCorrelation(small, [32, 32]);
        if (g[0] !== 1) throw new Error('direct bench: G(0) != 1');
      }, 5);
      const count = 256;
      const direct256 = timeIt(() => {
        if (directPartial(one, L, count) === Number.POSITIVE_INFINITY) throw new Error('unreachable');
      }, 3);
      // raw complex 2D FFT of 256 x 256
      const z = createRng(4).fillNormal(new Float64Array(2 * N));
      const fftTime = timeIt(() => {
        fft2d(z, L, L, z);
      }, 5);
      return [
        {
          case: 'spin correlator 256^2, ensemble of 128 (per lattice)',
          ours: (ensemble / n) * 1e3,
          reference: NUMPY_256_MS,
          referenceLabel: 'numpy rfft2 path (measured)',
          unit: 'ms',
          higherIsBetter: false,
          target: NUMPY_256_MS,
        },
        {
          case: 'spin correlator 256^2, single lattice',
          ours: single * 1e3,
          reference: NUMPY_256_MS,
          referenceLabel: 'numpy rfft2 path (measured)',
          unit: 'ms',
          higherIsBetter: false,
        },
        {
          case: 'spin correlator 100^2 (Bluestein), per lattice',
          ours: (bluestein / 128) * 1e3,
          reference: Number.NaN,
          referenceLabel: '-',
          unit: 'ms',
          higherIsBetter: false,
        },
        {
          case: 'direct O(N^2) at 256^2: L=32 scaled by 8^4',
          ours: (ensemble / n) * 1e3,
          reference: direct32 * 4096 * 1e3,
          referenceLabel: 'direct sum (scaled)',
          unit: 'ms',
          higherIsBetter: false,
        },
        {
          case: `direct O(N^2) at 256^2: ${count} of 65536 displacements, scaled`,
          ours: (ensemble / n) * 1e3,
          reference: direct256 * (N / count) * 1e3,
          referenceLabel: 'direct sum (scaled)',
          unit: 'ms',
          higherIsBetter: false,
        },
        {
          case: 'complex fft2d 256 x 256',
          ours: fftTime * 1e3,
          reference: Number.NaN,
          referenceLabel: '-',
          unit: 'ms',
          higherIsBetter: false,
        },
      ];
    },
  },
];
