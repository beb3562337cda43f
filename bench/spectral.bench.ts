import { fft2d } from '../src/core/fft.js';
import { createRng } from '../src/core/rng.js';
import { fft2dBackend, setFft2dBackend } from '../src/core/wasm/fft2dWasm.js';
import { directCorrelation, spinCorrelator } from '../src/spectral/correlator.js';
import { type Benchmark, bestTime, bySize, referenceRow, reps, timeIt } from './harness.js';
import { pick, pythonReference } from './reference.js';

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
      const L = bySize(256, 32);
      const N = L * L;
      const n = bySize(128, 8);
      const blocks = bySize(16, 4);
      const configs = randomSpins(n * N, 1);
      // ensemble path: two lattices per complex FFT, one inverse per pair of jackknife blocks (WebAssembly
      // SIMD when available)
      const runEnsemble = () => {
        const r = spinCorrelator(configs, [L, L], { blocks });
        if (Math.abs(r.displacement[0]! - 1) > 1e-9) throw new Error('correlator bench: G(0) != 1');
      };
      // best of 5 after a warm-up, as the python reference's best_of
      const ensemble = bestTime(runEnsemble, 5);
      const backend = fft2dBackend();
      // the same on the TypeScript path (the fallback without WebAssembly SIMD; same results to the last bit)
      setFft2dBackend('typescript');
      let typescript: number;
      try {
        typescript = bestTime(runEnsemble, 3);
      } finally {
        setFft2dBackend('auto');
      }
      // a single lattice: forward + inverse transform (errors NaN)
      const one = configs.subarray(0, N);
      const single = bestTime(() => {
        const r = spinCorrelator(one, [L, L]);
        if (Math.abs(r.displacement[0]! - 1) > 1e-9) throw new Error('correlator bench: G(0) != 1');
      }, 5);
      // non-power-of-two (Bluestein) lattice 100 x 100, per lattice
      const B = bySize(100, 12);
      const c100 = randomSpins(n * B * B, 2);
      const bluestein = timeIt(() => {
        spinCorrelator(c100, [B, B], { blocks });
      }, 3);
      // direct O(N^2): full at L = 32 scaled by (256/32)^4, and a fraction of the displacements at L = 256
      const small = randomSpins(32 * 32, 3);
      const direct32 = timeIt(() => {
        const g = directCorrelation(small, [32, 32]);
        if (g[0] !== 1) throw new Error('direct bench: G(0) != 1');
      }, 5);
      const count = bySize(256, 8);
      const direct256 = timeIt(() => {
        if (directPartial(one, L, count) === Number.POSITIVE_INFINITY) throw new Error('unreachable');
      }, 3);
      // raw complex 2D FFT of 256 x 256
      const z = createRng(4).fillNormal(new Float64Array(2 * N));
      const fftTime = timeIt(() => {
        fft2d(z, L, L, z);
      }, 5);
      // numpy / scipy: rfft2 of the ensemble, |.|^2 averaged, irfft2 (seconds per lattice); and one lattice
      const ref = pythonReference('numpy', 'correlator.py', { L, count: n, repeats: reps(3) });
      const ms = (seconds: number) => seconds * 1e3;
      const scipy = pick(ref, 'scipy-ensemble', 'no scipy in the python3 used');
      return [
        // issue 15: at least 1.0x scipy
        referenceRow(
          `spin correlator ${L}^2, ensemble of ${n} (per lattice) vs scipy`,
          (ensemble / n) * 1e3,
          scipy,
          'ms',
          false,
          {
            toUnit: ms,
          },
        ),
        referenceRow(
          `spin correlator ${L}^2, ensemble of ${n} (per lattice) vs numpy`,
          (ensemble / n) * 1e3,
          pick(ref, 'numpy-ensemble'),
          'ms',
          false,
          { toUnit: ms },
        ),
        {
          case: `spin correlator ${L}^2, ensemble of ${n} (per lattice): ${backend} vs TypeScript path`,
          ours: (ensemble / n) * 1e3,
          reference: (typescript / n) * 1e3,
          referenceLabel: 'TypeScript path (fallback)',
          unit: 'ms',
          higherIsBetter: false,
        },
        referenceRow(
          `spin correlator ${L}^2, single lattice vs numpy`,
          single * 1e3,
          pick(ref, 'numpy-single'),
          'ms',
          false,
          {
            toUnit: ms,
          },
        ),
        {
          case: `spin correlator ${B}^2 (Bluestein), per lattice`,
          ours: (bluestein / n) * 1e3,
          reference: Number.NaN,
          referenceLabel: '-',
          unit: 'ms',
          higherIsBetter: false,
        },
        {
          case: `direct O(N^2) at ${L}^2: L=32 scaled by (L/32)^4`,
          ours: (ensemble / n) * 1e3,
          reference: direct32 * (L / 32) ** 4 * 1e3,
          referenceLabel: 'direct sum (scaled)',
          unit: 'ms',
          higherIsBetter: false,
        },
        {
          case: `direct O(N^2) at ${L}^2: ${count} of ${N} displacements, scaled`,
          ours: (ensemble / n) * 1e3,
          reference: direct256 * (N / count) * 1e3,
          referenceLabel: 'direct sum (scaled)',
          unit: 'ms',
          higherIsBetter: false,
        },
        {
          case: `complex fft2d ${L} x ${L}`,
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
