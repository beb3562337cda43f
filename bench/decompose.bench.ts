/**
 * Decompositions of issue 7 beside ml-matrix (measured in the same run, once on the big sizes because it
 * is slow) and beside numpy/LAPACK figures measured earlier on this 2-core machine (stated in the label).
 * Our figure is the best of several runs (the machine is shared; the best is the least disturbed run).
 */
import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';
import { covarianceMatrix } from '../src/core/covariance.js';
import { symmetricEigen, thinSvd } from '../src/core/decompose.js';
import { topEigenpairs } from '../src/core/linalg/randomized.js';
import { createRng } from '../src/core/rng.js';
import type { Benchmark, BenchRow } from './harness.js';

/** Best wall time in seconds over `repeats` runs (after no warm-up when repeats === 1). */
function bestOf(fn: () => void, repeats: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`decompose bench: sanity check failed: ${what}`);
}

function toMatrix(a: Float64Array, rows: number, cols: number): Matrix {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m.set(i, j, a[i * cols + j]!);
  return m;
}

function row(c: string, ours: number, reference: number, label: string, target?: number): BenchRow {
  return { case: c, ours, reference, referenceLabel: label, unit: 's', higherIsBetter: false, target };
}

/** 10,000 x 784 data with a decaying spectrum (per-feature scales), like centred image pixels. */
function makeData(n: number, d: number): Float64Array {
  const x = createRng(7).fillNormal(new Float64Array(n * d));
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) x[i * d + j] = x[i * d + j]! * Math.exp(-j / 60) + 0.5;
  return x;
}

export const benchmarks: Benchmark[] = [
  {
    name: 'decompose-covariance',
    run() {
      const n = 10_000;
      const d = 784;
      const x = makeData(n, d);
      let cov: Float64Array = new Float64Array(0);
      const ours = bestOf(() => {
        cov = covarianceMatrix(x, n, d).matrix;
        check(Math.abs(cov[0]! - 1) < 0.1 && cov[1] === cov[d], 'covariance diagonal/symmetry');
      }, 3);
      const m = toMatrix(x, n, d);
      const reference = bestOf(() => {
        const centred = m.clone().center('column');
        const c = centred
          .transpose()
          .mmul(centred)
          .div(n - 1);
        check(Math.abs(c.get(0, 0) - cov[0]!) < 1e-9, 'ml-matrix covariance agrees');
      }, 1);
      const rows: BenchRow[] = [
        row('covariance 10000x784', ours, reference, 'ml-matrix center+mmul (numpy 0.074 s)', 0.25),
      ];
      const rng = createRng(1);
      const top = bestOf(() => {
        const r = topEigenpairs(cov, d, 50, { rng, oversample: 10, powerIterations: 2 });
        check(r.values[0]! > r.values[49]! && r.residuals[0]! < 1e-2 * r.values[0]!, 'top-50 residuals');
      }, 5);
      const covMatrix = toMatrix(cov, d, d);
      const full = bestOf(() => {
        const e = new EigenvalueDecomposition(covMatrix, { assumeSymmetric: true });
        check(e.realEigenvalues.length === d, 'ml-matrix eigen');
      }, 1);
      rows.push(
        row(
          'top-50 eigenpairs of cov 784 (p=10, q=2)',
          top,
          full,
          'ml-matrix full EVD (numpy eigh 0.034 s)',
          0.1,
        ),
      );
      // the same with a larger sketch: residuals ~1e-4 of the eigenvalue on this slowly decaying spectrum
      const accurate = bestOf(() => {
        const r = topEigenpairs(cov, d, 50, { rng, oversample: 50, powerIterations: 4 });
        check(r.residuals[49]! < 1e-2 * r.values[49]!, 'top-50 residuals (p=50, q=4)');
      }, 5);
      rows.push(
        row(
          'top-50 eigenpairs of cov 784 (p=50, q=4)',
          accurate,
          full,
          'ml-matrix full EVD (numpy eigh 0.034 s)',
          0.1,
        ),
      );
      return rows;
    },
  },
  {
    name: 'decompose-eigen',
    run() {
      const d = 784;
      const x = createRng(3).fillNormal(new Float64Array(d * d));
      const a = new Float64Array(d * d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) a[i * d + j] = x[i * d + j]! + x[j * d + i]!;
      const ours = bestOf(() => {
        const r = symmetricEigen(a, d);
        check(r.values[0]! >= r.values[d - 1]!, 'eigen order');
      }, 3);
      const am = toMatrix(a, d, d);
      const reference = bestOf(() => {
        new EigenvalueDecomposition(am, { assumeSymmetric: true });
      }, 1);
      return [row('symmetric eigen 784x784', ours, reference, 'ml-matrix EVD (numpy eigh 0.034 s)', 0.3)];
    },
  },
  {
    name: 'decompose-svd',
    run() {
      const rows: BenchRow[] = [];
      for (const [m, n, numpy, target] of [
        [784, 500, 0.061, 0.6],
        [1024, 1024, 0.28, undefined],
      ] as const) {
        const a = createRng(4).fillNormal(new Float64Array(m * n));
        const ours = bestOf(
          () => {
            const r = thinSvd(a, m, n);
            check(r.s[0]! >= r.s[r.rank - 1]! && r.s[r.rank - 1]! >= 0, 'svd order');
          },
          m * n > 600_000 ? 2 : 3,
        );
        const am = toMatrix(a, m, n);
        const reference = bestOf(() => {
          new SingularValueDecomposition(am, { autoTranspose: true });
        }, 1);
        rows.push(row(`thin SVD ${m}x${n}`, ours, reference, `ml-matrix SVD (numpy svd ${numpy} s)`, target));
      }
      return rows;
    },
  },
];
