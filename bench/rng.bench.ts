import { createRng } from '../src/core/rng.js';
import { type Benchmark, bySize, timeIt } from './harness.js';

/** Draw rate of our generator beside the platform's Math.random (not used in the library: unseeded). */
export const benchmarks: Benchmark[] = [
  {
    name: 'rng',
    run() {
      const n = bySize(10_000_000, 100_000);
      const rng = createRng(1);
      const out = new Float64Array(n);
      const ours = timeIt(() => {
        rng.fillUniform(out);
        if (!(out[n - 1]! >= 0 && out[n - 1]! < 1)) throw new Error('rng bench: bad variate');
      }, 3);
      const reference = timeIt(() => {
        for (let i = 0; i < n; i++) out[i] = Math.random();
      }, 3);
      return [
        {
          case: 'uniform fill',
          ours: n / ours,
          reference: n / reference,
          referenceLabel: 'Math.random',
          unit: 'draws/s',
          higherIsBetter: true,
        },
      ];
    },
  },
];
