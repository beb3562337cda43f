import { readFileSync } from 'node:fs';
import FFT from 'fft.js';
import { afterEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import { createRng, type Rng } from '../../src/core/rng.js';
import { assembleWat, fft2dWatPath } from '../../src/core/wasm/assemble.js';
import {
  createPairPowerWorkspace,
  fft2dBackend,
  fft2dWasmBytes,
  fft2dWasmModule,
  laneFftTables,
  setFft2dBackend,
} from '../../src/core/wasm/fft2dWasm.js';

afterEach(() => setFft2dBackend('auto'));

/** Direct circular autocorrelation sum_x f(x) f(x + d) of a rows x cols field (row-major). */
function autocorrelation(f: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let dy = 0; dy < rows; dy++)
    for (let dx = 0; dx < cols; dx++) {
      let s = 0;
      for (let y = 0; y < rows; y++)
        for (let x = 0; x < cols; x++)
          s += f[y * cols + x]! * f[((y + dy) % rows) * cols + ((x + dx) % cols)]!;
      out[dy * cols + dx] = s;
    }
  return out;
}

/** Direct |F(q)|^2, F(q) = sum_x f(x) exp(-2 pi i (q0 y / rows + q1 x / cols)). */
function directPower(f: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let q0 = 0; q0 < rows; q0++)
    for (let q1 = 0; q1 < cols; q1++) {
      let re = 0;
      let im = 0;
      for (let y = 0; y < rows; y++)
        for (let x = 0; x < cols; x++) {
          const a = -2 * Math.PI * ((q0 * y) / rows + (q1 * x) / cols);
          re += f[y * cols + x]! * Math.cos(a);
          im += f[y * cols + x]! * Math.sin(a);
        }
      out[q0 * cols + q1] = re * re + im * im;
    }
  return out;
}

function randomInt8(n: number, rng: Rng): Int8Array {
  return Int8Array.from({ length: n }, () => Math.floor(rng.uniform() * 256) - 128);
}

const SHAPES: ReadonlyArray<readonly [number, number]> = [
  [2, 2],
  [2, 8],
  [8, 2],
  [4, 16],
  [16, 4],
  [8, 8],
  [32, 16],
];

describe.runIf(fft2dWasmModule() !== null)('WebAssembly SIMD 2D FFT of field pairs (fft2d.wat)', () => {
  it('embeds exactly the bytes assembled from fft2d.wat', async () => {
    const fresh = await assembleWat(readFileSync(fft2dWatPath, 'utf8'), 'fft2d.wat');
    expect(Array.from(fft2dWasmBytes())).toEqual(Array.from(fresh));
  });

  it('each lane of the 1D kernel equals fft.js bit for bit and the direct DFT to rounding (n = 2 .. 1024)', () => {
    const exp = fft2dWasmModule()!;
    const rng = createRng(21);
    for (let n = 2; n <= 1024; n *= 2) {
      const t = laneFftTables(n);
      const tw = 0;
      const br = 32 * n;
      const src = br + 4 * n + 64;
      const dst = src + 32 * n;
      if (exp.memory.buffer.byteLength < dst + 32 * n) exp.memory.grow(1);
      const f64 = new Float64Array(exp.memory.buffer);
      f64.set(t.tw, tw / 8);
      new Int32Array(exp.memory.buffer).set(t.br, br / 4);
      const x = [rng.fillNormal(new Float64Array(2 * n)), rng.fillNormal(new Float64Array(2 * n))];
      for (let e = 0; e < n; e++)
        for (let lane = 0; lane < 2; lane++) {
          f64[src / 8 + 4 * e + lane] = x[lane]![2 * e]!;
          f64[src / 8 + 4 * e + 2 + lane] = x[lane]![2 * e + 1]!;
        }
      exp.fft(src, dst, n, tw, br, t.s);
      const f = new FFT(n);
      for (let lane = 0; lane < 2; lane++) {
        const ref = f.createComplexArray() as number[];
        f.transform(ref, Array.from(x[lane]!));
        let scale = 0;
        for (const v of x[lane]!) scale += Math.abs(v);
        for (let k = 0; k < n; k++) {
          const re = f64[dst / 8 + 4 * k + lane]!;
          const im = f64[dst / 8 + 4 * k + 2 + lane]!;
          expect(Object.is(re, ref[2 * k])).toBe(true);
          expect(Object.is(im, ref[2 * k + 1])).toBe(true);
          if (n <= 64) {
            let dr = 0;
            let di = 0;
            for (let j = 0; j < n; j++) {
              const a = (-2 * Math.PI * ((j * k) % n)) / n;
              dr += x[lane]![2 * j]! * Math.cos(a) - x[lane]![2 * j + 1]! * Math.sin(a);
              di += x[lane]![2 * j]! * Math.sin(a) + x[lane]![2 * j + 1]! * Math.cos(a);
            }
            expect(Math.abs(re - dr)).toBeLessThan(1e-13 * scale);
            expect(Math.abs(im - di)).toBeLessThan(1e-13 * scale);
          }
        }
      }
    }
  });

  it('block power sums and their inverse equal direct sums (int8 and float64 input, rows != cols, 2 x 2, unpaired last field)', () => {
    const rng = createRng(22);
    for (const [R, C] of SHAPES) {
      const N = R * C;
      for (const kind of ['int8', 'float64'] as const) {
        // fields 0, 1 (pair) -> blocks 0, 1; fields 2, 3 (pair) -> both block 1; field 4 alone -> block 2
        const fields = Array.from({ length: 5 }, () =>
          kind === 'int8' ? randomInt8(N, rng) : rng.fillNormal(new Float64Array(N)),
        );
        const ws = createPairPowerWorkspace(R, C, 3, kind)!;
        expect(ws).not.toBeNull();
        const plan: Array<[number, boolean, number, number]> = [
          [0, true, 0, 1],
          [2, true, 1, 1],
          [4, false, 2, 2],
        ];
        for (const [c, pair, b1, b2] of plan) {
          if (kind === 'int8') {
            (ws.input as Int8Array).set(fields[c] as Int8Array);
            if (pair) (ws.input as Int8Array).set(fields[c + 1] as Int8Array, N);
            else (ws.input as Int8Array).fill(99, N); // ignored without a pair
          } else {
            (ws.input as Float64Array).set(fields[c]!);
            if (pair) (ws.input as Float64Array).set(fields[c + 1]!, N);
            else (ws.input as Float64Array).fill(Number.NaN, N);
          }
          const [s1, s2] = ws.accumulate(pair, b1, b2);
          let e1 = 0;
          let e2 = 0;
          for (let i = 0; i < N; i++) {
            e1 += fields[c]![i]!;
            if (pair) e2 += fields[c + 1]![i]!;
          }
          expect(s1).toBe(e1); // exact integers for int8, the same index-order sum for float64
          expect(s2).toBe(e2);
        }
        ws.inverse(0, true, 1 / N);
        ws.inverse(2, false, 1 / N);
        const blocks = [[0], [1, 2, 3], [4]];
        for (let b = 0; b < 3; b++) {
          const expected = new Float64Array(N);
          let norm = 0;
          for (const c of blocks[b]!) {
            const g = autocorrelation(fields[c]!, R, C);
            for (let i = 0; i < N; i++) expected[i]! += g[i]!;
            norm += g[0]!;
          }
          for (let i = 0; i < N; i++)
            expect(Math.abs(ws.blockValues[b * N + i]! - expected[i]!)).toBeLessThan(1e-12 * norm);
        }
      }
    }
  });

  it('the inverse alone equals the direct inverse DFT of the direct power spectrum (4 x 8, one unpaired field)', () => {
    const rng = createRng(23);
    const [R, C] = [4, 8];
    const N = R * C;
    const f = rng.fillNormal(new Float64Array(N));
    const ws = createPairPowerWorkspace(R, C, 2, 'float64')!;
    (ws.input as Float64Array).set(f);
    ws.accumulate(false, 1, 1);
    ws.inverse(0, true, 1 / N);
    const P = directPower(f, R, C);
    let norm = 0;
    for (const v of P) norm += v / N;
    for (let d0 = 0; d0 < R; d0++)
      for (let d1 = 0; d1 < C; d1++) {
        let g = 0;
        for (let q0 = 0; q0 < R; q0++)
          for (let q1 = 0; q1 < C; q1++)
            g += (P[q0 * C + q1]! * Math.cos(2 * Math.PI * ((q0 * d0) / R + (q1 * d1) / C))) / N;
        expect(Math.abs(ws.blockValues[N + d0 * C + d1]! - g)).toBeLessThan(1e-12 * norm);
        // block 0 got nothing; it shares the complex inverse with block 1, hence rounding-level values
        expect(Math.abs(ws.blockValues[d0 * C + d1]!)).toBeLessThan(1e-14 * norm);
      }
  });

  it('jackknife and group-mean kernels equal plain scalar loops bit for bit (several chunks, odd B, with and without means)', () => {
    const rng = createRng(24);
    for (const [R, C, B] of [
      [2, 2, 2],
      [2, 4, 3],
      [64, 32, 5],
      [16, 8, 4],
      [8, 4, 1],
    ] as const) {
      const N = R * C;
      const n = 3 * B + 1;
      const ws = createPairPowerWorkspace(R, C, B, 'float64')!;
      const g = rng.fillNormal(new Float64Array(B * N));
      g[0] = -0; // a signed zero as the first block's entry: sums start from +0
      const count = Float64Array.from({ length: B }, (_, b) => n - 3 - (b % 2));
      const mu = Float64Array.from({ length: B }, () => rng.normal());
      for (const withMean of [true, false]) {
        ws.blockValues.set(g);
        const full = new Float64Array(N);
        const error = new Float64Array(N).fill(7);
        const m = withMean ? 0.3 : 0;
        ws.jackknife(n, m, B >= 2 ? count : null, withMean ? mu : null, full, error);
        // reference: the loops of the original correlator
        const total = new Float64Array(N);
        for (let b = 0; b < B; b++) for (let i = 0; i < N; i++) total[i]! += g[b * N + i]!;
        for (let i = 0; i < N; i++) expect(Object.is(full[i], total[i]! / n - m * m)).toBe(true);
        if (B < 2) {
          expect(error.every((v) => v === 7)).toBe(true);
          continue;
        }
        const leave = new Float64Array(B * N);
        for (let b = 0; b < B; b++)
          for (let i = 0; i < N; i++)
            leave[b * N + i] = (total[i]! - g[b * N + i]!) / count[b]! - (withMean ? mu[b]! * mu[b]! : 0);
        const mean = new Float64Array(N);
        for (let b = 0; b < B; b++) for (let i = 0; i < N; i++) mean[i]! += leave[b * N + i]!;
        for (let i = 0; i < N; i++) mean[i]! /= B;
        const dev = new Float64Array(N);
        for (let b = 0; b < B; b++)
          for (let i = 0; i < N; i++)
            dev[i]! += (leave[b * N + i]! - mean[i]!) * (leave[b * N + i]! - mean[i]!);
        for (let i = 0; i < N; i++) {
          expect(Object.is(error[i], Math.sqrt(((B - 1) / B) * dev[i]!))).toBe(true);
        }
        for (let i = 0; i < B * N; i++) expect(Object.is(ws.blockValues[i], leave[i])).toBe(true);
        // group means of the leave-one-block-out estimates: min(7, N) groups of random members (group 3
        // empty; with 2 x 4 and 3 blocks the sums do not fit the member-order scratch: the by-group kernel runs)
        const K = Math.min(7, N);
        const group = Int32Array.from({ length: N }, () => {
          const k = Math.floor(rng.uniform() * (K + 2)) - 2;
          return k === 3 ? -1 : Math.max(-1, k);
        });
        const groupStart = new Int32Array(K + 1);
        const byGroupList: number[] = [];
        for (let k = 0; k < K; k++) {
          groupStart[k] = byGroupList.length;
          for (let i = 0; i < N; i++) if (group[i] === k) byGroupList.push(i);
        }
        groupStart[K] = byGroupList.length;
        const groups = {
          group,
          members: Int32Array.from({ length: N }, (_, i) => i).filter((i) => group[i]! >= 0),
          byGroup: Int32Array.from(byGroupList),
          groupStart,
          multiplicity: Float64Array.from({ length: K }, (_, k) =>
            Math.max(1, groupStart[k + 1]! - groupStart[k]!),
          ),
        };
        const est = new Float64Array(B * K);
        ws.groupMeans(groups, est);
        for (let b = 0; b < B; b++)
          for (let k = 0; k < K; k++) {
            let sum = 0;
            for (let j = groupStart[k]!; j < groupStart[k + 1]!; j++) sum += leave[b * N + byGroupList[j]!]!;
            expect(Object.is(est[b * K + k], sum / groups.multiplicity[k]!)).toBe(true);
          }
        // the same means of the full estimate
        const value = new Float64Array(K);
        ws.groupMeans(groups, value, true);
        for (let k = 0; k < K; k++) {
          let sum = 0;
          for (let j = groupStart[k]!; j < groupStart[k + 1]!; j++) sum += full[byGroupList[j]!]!;
          expect(Object.is(value[k], sum / groups.multiplicity[k]!)).toBe(true);
        }
      }
    }
  });

  it("setFft2dBackend('typescript') turns the workspaces off; other choices throw", () => {
    expect(fft2dBackend()).toBe('wasm-simd');
    setFft2dBackend('typescript');
    expect(fft2dBackend()).toBe('typescript');
    expect(createPairPowerWorkspace(8, 8, 2, 'int8')).toBeNull();
    expect(() => setFft2dBackend('fast' as 'auto')).toThrow(DomainError);
    expect(() => setFft2dBackend('fast' as 'auto')).toThrow(/setFft2dBackend: choice/);
  });
});
