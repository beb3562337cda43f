/**
 * thinSvdKernel with a threaded GEMM (2 threads): bit-identical to the single-thread call, and its large
 * products really have every operand on a SharedArrayBuffer (so the threaded GEMM can split them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GemmKernelFunction } from '../../src/core/gemm.js';
import { setSvdQrFirstRatio, thinSvdKernel } from '../../src/core/linalg/bidiagonal.js';
import { createRng } from '../../src/core/rng.js';
import type { FloatArray } from '../../src/core/tensor.js';
import {
  createThreadedGemm,
  THREADED_GEMM_MIN_WORK,
  type ThreadedGemm,
} from '../../src/parallel/threadedGemm.js';

const shared = (x: FloatArray): boolean => x.buffer instanceof SharedArrayBuffer;

function svd(a: Float64Array, m: number, n: number, gemm?: GemmKernelFunction) {
  const r = Math.min(m, n);
  const u = new Float64Array(m * r);
  const s = new Float64Array(r);
  const v = new Float64Array(n * r);
  thinSvdKernel(a, m, n, u, s, v, gemm);
  return { u, s, v };
}

describe('thinSvdKernel with a threaded GEMM', () => {
  let two: ThreadedGemm;
  beforeAll(() => {
    two = createThreadedGemm({ threads: 2 });
  });
  afterAll(() => two.close());

  it('gives bit-identical results (direct, QR first, wide) and splits its large products', () => {
    const rng = createRng(41);
    let split = 0;
    const counting: GemmKernelFunction = (
      ta,
      tb,
      m,
      n,
      k,
      alpha,
      a,
      oa,
      lda,
      b,
      ob,
      ldb,
      beta,
      c,
      oc,
      ldc,
    ) => {
      if (m * n * k >= THREADED_GEMM_MIN_WORK && shared(a) && shared(b) && shared(c)) split++;
      two.gemm(ta, tb, m, n, k, alpha, a, oa, lda, b, ob, ldb, beta, c, oc, ldc);
    };
    const previous = setSvdQrFirstRatio(5);
    try {
      for (const [m, n, ratio] of [
        [260, 180, 5],
        [260, 120, 1.5],
        [150, 240, 5],
      ] as const) {
        setSvdQrFirstRatio(ratio);
        const a = rng.fillNormal(new Float64Array(m * n));
        const one = svd(a, m, n);
        const threaded = svd(a, m, n, counting);
        for (const key of ['u', 's', 'v'] as const)
          expect(Buffer.compare(Buffer.from(one[key].buffer), Buffer.from(threaded[key].buffer))).toBe(0);
      }
    } finally {
      setSvdQrFirstRatio(previous);
    }
    expect(split).toBeGreaterThan(10);
  });
});
