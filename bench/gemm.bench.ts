import { Worker } from 'node:worker_threads';
import { Matrix } from 'ml-matrix';
import { gemmKernel, gemmReferenceKernel, gemmWasmKernel } from '../src/core/gemm.js';
import { createRng } from '../src/core/rng.js';
import { type FloatArray, matrix } from '../src/core/tensor.js';
import { gemmParallel, sharedFloatArray } from '../src/parallel/gemmParallel.js';
import { createWorkerPool, destroyWorkerPool } from '../src/parallel/pool.js';
import {
  type Benchmark,
  type BenchRow,
  bestAsync,
  bySize,
  referenceRow,
  reps,
  withThreadedGemm,
} from './harness.js';
import { pick, pythonReference } from './reference.js';

/** Speed-up of 2 plain worker threads over 1 on a scalar loop: what the (shared) machine gives right now. */
async function machineCapacity(): Promise<number> {
  const code = `const { parentPort } = require('node:worker_threads');
let x = 0; for (let i = 0; i < ${bySize(1e8, 1e6)}; i++) x = (x + i * 7) % 1000003; parentPort.postMessage(x);`;
  const run = async (threads: number) => {
    const t0 = performance.now();
    await Promise.all(
      Array.from(
        { length: threads },
        () => new Promise((resolve) => new Worker(code, { eval: true }).once('message', resolve)),
      ),
    );
    return performance.now() - t0;
  };
  const t1 = await run(1);
  return (2 * t1) / (await run(2));
}

/** Best wall time in seconds of `fn` over `repeats` runs after one warm-up (the machine is shared: best, not median). */
function best(fn: () => void, repeats: number): number {
  fn();
  let t = Number.POSITIVE_INFINITY;
  for (let r = 0; r < reps(repeats); r++) {
    const t0 = performance.now();
    fn();
    t = Math.min(t, (performance.now() - t0) / 1000);
  }
  return t;
}

/** The textbook triple loop (dot product per entry, B walked by columns). */
function naive(m: number, n: number, k: number, a: FloatArray, b: FloatArray, c: FloatArray): void {
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
      c[i * n + j] = s;
    }
}

function operands(T: Float32ArrayConstructor | Float64ArrayConstructor, m: number, n: number, k: number) {
  const rng = createRng(`gemm-bench-${m}-${n}-${k}`);
  return { a: rng.fillNormal(new T(m * k)), b: rng.fillNormal(new T(k * n)), c: new T(m * n) };
}

/** Sanity check inside the timed code: one entry against a float64 dot product. */
function check(
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
  tol: number,
): void {
  const i = m - 1;
  const j = n >> 1;
  let s = 0;
  let scale = 0;
  for (let p = 0; p < k; p++) {
    s += a[i * k + p]! * b[p * n + j]!;
    scale += Math.abs(a[i * k + p]! * b[p * n + j]!);
  }
  if (!(Math.abs(c[i * n + j]! - s) <= tol * scale))
    throw new Error(`gemm bench: wrong product (${c[i * n + j]} vs ${s})`);
}

const gflops = (m: number, n: number, k: number, seconds: number) => (2 * m * n * k) / seconds / 1e9;

function wasmRun(T: Float32ArrayConstructor | Float64ArrayConstructor, m: number, n: number, k: number) {
  const { a, b, c } = operands(T, m, n, k);
  const tol = T === Float32Array ? 1e-5 : 1e-12;
  return best(() => {
    gemmWasmKernel(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n);
    check(m, n, k, a, b, c, tol);
  }, 7);
}

export const benchmarks: Benchmark[] = [
  {
    name: 'gemm',
    async run() {
      const rows: BenchRow[] = [];
      // a 1000-image batch times a 784 x 500 weight matrix
      const [m, n, k] = bySize([1000, 500, 784], [100, 50, 78]);
      const size = `${m} x ${k} x ${n}`;
      // references, measured once (they are slow)
      const ref = operands(Float64Array, m, n, k);
      const A = new Matrix(m, k);
      const B = new Matrix(k, n);
      for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) A.set(i, p, ref.a[i * k + p]!);
      for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) B.set(p, j, ref.b[p * n + j]!);
      const tMl = best(() => {
        const C = A.mmul(B);
        if (!Number.isFinite(C.get(m - 1, n - 1))) throw new Error('ml-matrix: bad product');
      }, 1);
      const tNaive = best(() => {
        naive(m, n, k, ref.a, ref.b, ref.c);
        check(m, n, k, ref.a, ref.b, ref.c, 1e-12);
      }, 1);
      const mlGf = gflops(m, n, k, tMl);
      const naiveGf = gflops(m, n, k, tNaive);
      const f32 = gflops(m, n, k, wasmRun(Float32Array, m, n, k));
      const f64 = gflops(m, n, k, wasmRun(Float64Array, m, n, k));
      const unit = 'GFLOP/s';
      rows.push({
        case: `f32 wasm 1 thread ${size}`,
        ours: f32,
        reference: mlGf,
        referenceLabel: 'ml-matrix mmul (f64)',
        unit,
        higherIsBetter: true,
        target: 12,
      });
      rows.push({
        case: `f32 wasm 1 thread ${size}`,
        ours: f32,
        reference: naiveGf,
        referenceLabel: 'naive triple loop (f64)',
        unit,
        higherIsBetter: true,
        target: 12,
      });
      rows.push({
        case: `f64 wasm 1 thread ${size}`,
        ours: f64,
        reference: mlGf,
        referenceLabel: 'ml-matrix mmul (f64)',
        unit,
        higherIsBetter: true,
      });
      // the TypeScript fallback
      const ts = operands(Float64Array, m, n, k);
      const tTs = best(() => {
        gemmReferenceKernel(false, false, m, n, k, 1, ts.a, 0, k, ts.b, 0, n, 0, ts.c, 0, n);
        check(m, n, k, ts.a, ts.b, ts.c, 1e-12);
      }, 2);
      rows.push({
        case: `f64 TypeScript fallback ${size}`,
        ours: gflops(m, n, k, tTs),
        reference: naiveGf,
        referenceLabel: 'naive triple loop (f64)',
        unit,
        higherIsBetter: true,
      });
      // two workers, rows of C split
      const pool = createWorkerPool({ workers: 2 });
      try {
        for (const T of [Float32Array, Float64Array]) {
          const { a, b, c } = operands(T, m, n, k);
          const tol = T === Float32Array ? 1e-5 : 1e-12;
          const t2 = await bestAsync(async () => {
            await gemmParallel(pool, matrix(c, m, n), matrix(a, m, k), matrix(b, k, n));
            check(m, n, k, a, b, c, tol);
          }, 7);
          const single = T === Float32Array ? f32 : f64;
          const dtype = T === Float32Array ? 'float32' : 'float64';
          const tag = T === Float32Array ? 'f32' : 'f64';
          // numpy's matmul in the same dtype, with its BLAS threads (the header states how many)
          const ref = pick(
            pythonReference('numpy', 'linalg.py', { op: 'gemm', m, n, k, dtype, repeats: reps(7) }),
            'gemm',
          );
          const toUnit = (seconds: number) => gflops(m, n, k, seconds);
          rows.push(
            referenceRow(`${tag} wasm 1 thread ${size} vs numpy`, single, ref, unit, true, { toUnit }),
          );
          rows.push(
            referenceRow(`${tag} wasm 2 workers ${size} vs numpy`, gflops(m, n, k, t2), ref, unit, true, {
              toUnit,
            }),
          );
          rows.push({
            case: `${T === Float32Array ? 'f32' : 'f64'} wasm 2 workers ${size}`,
            ours: gflops(m, n, k, t2),
            reference: single,
            referenceLabel: 'same, 1 thread',
            unit,
            higherIsBetter: true,
            ...(T === Float32Array ? { target: 22 } : {}),
          });
          if (T === Float32Array) {
            rows.push({
              case: `f32 wasm 2 workers / 1 thread (speed-up) ${size}`,
              ours: gflops(m, n, k, t2) / single,
              reference: await machineCapacity(),
              referenceLabel: 'plain threads, scalar loop (machine now)',
              unit: 'x',
              higherIsBetter: true,
            });
          }
        }
      } finally {
        await destroyWorkerPool(pool);
      }
      // both cores as a user of synchronous code asks for them: createThreadedGemm (the calling thread
      // computes a part too), operands on SharedArrayBuffers; the workers start once, outside the timed
      // loop, and their start-up is a row of its own
      rows.push(
        ...(await withThreadedGemm((threaded) => {
          const threadedRows: BenchRow[] = [];
          for (const dtype of ['float32', 'float64'] as const) {
            const plain = operands(dtype === 'float32' ? Float32Array : Float64Array, m, n, k);
            const a = sharedFloatArray(dtype as 'float64', m * k);
            const b = sharedFloatArray(dtype as 'float64', k * n);
            const c = sharedFloatArray(dtype as 'float64', m * n);
            a.set(plain.a);
            b.set(plain.b);
            const tol = dtype === 'float32' ? 1e-5 : 1e-12;
            // one thread and two, interleaved, best of each (the machine is shared)
            let t1 = Number.POSITIVE_INFINITY;
            let t2 = Number.POSITIVE_INFINITY;
            for (let r = 0; r < reps(7) + 1; r++) {
              let s0 = performance.now();
              gemmKernel(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n);
              if (r > 0) t1 = Math.min(t1, (performance.now() - s0) / 1000);
              check(m, n, k, a, b, c, tol);
              s0 = performance.now();
              threaded.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n);
              if (r > 0) t2 = Math.min(t2, (performance.now() - s0) / 1000);
              check(m, n, k, a, b, c, tol);
            }
            const tag = dtype === 'float32' ? 'f32' : 'f64';
            threadedRows.push({
              case: `${tag} threaded gemm, 2 threads / 1 thread (speed-up) ${size}`,
              ours: t1 / t2,
              reference: 2,
              referenceLabel: 'ideal (issue 15 target 1.8)',
              unit: 'x',
              higherIsBetter: true,
              target: 1.8,
            });
            threadedRows.push({
              case: `${tag} threaded gemm, 2 threads ${size}`,
              ours: gflops(m, n, k, t2),
              reference: gflops(m, n, k, t1),
              referenceLabel: 'same operands, 1 thread (interleaved)',
              unit,
              higherIsBetter: true,
            });
          }
          return threadedRows;
        })),
      );
      // minibatch and small sizes: gemmKernel (chooses the backend) beside the TypeScript kernel
      for (const [mm, nn, kk] of [
        [100, 500, 784],
        [100, 784, 500],
        [64, 64, 64],
        [16, 16, 16],
        [8, 8, 8],
      ] as const) {
        const o = operands(Float32Array, mm, nn, kk);
        const loops = Math.max(3, Math.min(2000, Math.round(bySize(2e7, 2e5) / (mm * nn * kk))));
        const tOurs =
          best(() => {
            for (let r = 0; r < loops; r++)
              gemmKernel(false, false, mm, nn, kk, 1, o.a, 0, kk, o.b, 0, nn, 0, o.c, 0, nn);
            check(mm, nn, kk, o.a, o.b, o.c, 1e-5);
          }, 5) / loops;
        const tWasm =
          best(() => {
            for (let r = 0; r < loops; r++)
              gemmWasmKernel(false, false, mm, nn, kk, 1, o.a, 0, kk, o.b, 0, nn, 0, o.c, 0, nn);
          }, 5) / loops;
        const tRef =
          best(() => {
            for (let r = 0; r < loops; r++)
              gemmReferenceKernel(false, false, mm, nn, kk, 1, o.a, 0, kk, o.b, 0, nn, 0, o.c, 0, nn);
          }, 5) / loops;
        const label = `${mm} x ${kk} x ${nn}`;
        rows.push({
          case: `f32 gemmKernel ${label}`,
          ours: gflops(mm, nn, kk, tOurs),
          reference: gflops(mm, nn, kk, tRef),
          referenceLabel: 'TypeScript kernel',
          unit,
          higherIsBetter: true,
        });
        rows.push({
          case: `f32 wasm forced ${label}`,
          ours: gflops(mm, nn, kk, tWasm),
          reference: gflops(mm, nn, kk, tRef),
          referenceLabel: 'TypeScript kernel',
          unit,
          higherIsBetter: true,
        });
      }
      return rows;
    },
  },
];
