/**
 * GEMM micro-tile shapes measured in isolation (issue 15), not part of `npm run bench`. Usage:
 * `npx tsx bench/gemmTiles.ts [rounds]`. Generates, for each shape, a WebAssembly SIMD micro-kernel written
 * like gemm.wat's (MR rows x NR columns of C in v128 accumulators, one splat load per row of A, NR / lanes
 * loads of B per depth step, multiply then add; `unroll` depth steps per loop turn with an exit between
 * them) and the GotoBLAS loops around it, then prints GFLOP/s (best of `rounds`, shapes interleaved) for
 *   - L1: 256-deep panels reused in place (the kernel alone);
 *   - packed: a packed 240 x 768 x 2048 product (A block in L2, B in L3, like one chunk of gemmWasm).
 * Every shape's packed product is first checked bit for bit against the per-element order of gemm.wat
 * (256-deep blocks from +0, alpha t + beta C), so a shape that breaks it is reported. V8 issues a turn's
 * loads first, so a shape needs MR NR / lanes + MR + NR / lanes + 1 <= 15 vector registers or it spills.
 * Compare shapes within one run: other processes on the machine shift all figures together.
 * @module
 */
import { assembleWat } from '../src/core/wasm/assemble.js';

interface Shape {
  readonly prec: 'f32' | 'f64';
  readonly mr: number;
  /** B vectors per depth step (NR = nrv * lanes). */
  readonly nrv: number;
  readonly unroll: number;
}

const name = (s: Shape): string =>
  `${s.prec}_${s.mr}x${(s.nrv * 16) / (s.prec === 'f64' ? 8 : 4)}_u${s.unroll}`;

function kernelWat(s: Shape): string {
  const es = s.prec === 'f64' ? 8 : 4;
  const nr = (s.nrv * 16) / es;
  const t = s.prec === 'f64' ? 'f64x2' : 'f32x4';
  const splat = s.prec === 'f64' ? 'v128.load64_splat' : 'v128.load32_splat';
  const l: string[] = [];
  l.push(`(func $k_${name(s)} (param $kb i32) (param $a i32) (param $b i32) (param $c i32) (param $ldc i32)`);
  l.push('(param $acc i32) (param $alpha v128) (param $beta v128) (local $end i32)');
  for (let r = 0; r < s.mr; r++) l.push(`(local $a${r} v128)`);
  for (let q = 0; q < s.nrv; q++) l.push(`(local $b${q} v128)`);
  for (let r = 0; r < s.mr; r++) for (let q = 0; q < s.nrv; q++) l.push(`(local $c${r}_${q} v128)`);
  l.push(`(local.set $end (i32.add (local.get $a) (i32.mul (local.get $kb) (i32.const ${s.mr * es}))))`);
  l.push('(block $out (loop $p');
  for (let u = 0; u < s.unroll; u++) {
    for (let q = 0; q < s.nrv; q++)
      l.push(`(local.set $b${q} (v128.load offset=${u * nr * es + 16 * q} (local.get $b)))`);
    for (let r = 0; r < s.mr; r++)
      l.push(`(local.set $a${r} (${splat} offset=${u * s.mr * es + r * es} (local.get $a)))`);
    for (let r = 0; r < s.mr; r++) {
      for (let q = 0; q < s.nrv; q++) {
        const c = `$c${r}_${q}`;
        l.push(
          `(local.set ${c} (${t}.add (local.get ${c}) (${t}.mul (local.get $a${r}) (local.get $b${q}))))`,
        );
      }
    }
    if (u + 1 < s.unroll) {
      const next = (u + 1) * s.mr * es;
      l.push(`(br_if $out (i32.ge_u (i32.add (local.get $a) (i32.const ${next})) (local.get $end)))`);
    }
  }
  l.push(`(local.set $a (i32.add (local.get $a) (i32.const ${s.unroll * s.mr * es})))`);
  l.push(`(local.set $b (i32.add (local.get $b) (i32.const ${s.unroll * nr * es})))`);
  l.push('(br_if $p (i32.lt_u (local.get $a) (local.get $end)))))');
  for (let r = 0; r < s.mr; r++) {
    for (let q = 0; q < s.nrv; q++) {
      const c = `(local.get $c${r}_${q})`;
      const old = `(v128.load offset=${16 * q} (local.get $c))`;
      const scaled = `(${t}.mul (local.get $alpha) ${c})`;
      l.push(
        `(v128.store offset=${16 * q} (local.get $c) (select (${t}.add ${scaled} (${t}.mul (local.get $beta) ${old})) ${scaled} (local.get $acc)))`,
      );
    }
    l.push('(local.set $c (i32.add (local.get $c) (local.get $ldc)))');
  }
  l.push(')');
  return l.join('\n');
}

/** gemm.wat's loops (jc / p0 / ic / jr / ir) around the kernel of `s`, and an L1 repeat driver. */
function driversWat(s: Shape): string {
  const es = s.prec === 'f64' ? 8 : 4;
  const nr = (s.nrv * 16) / es;
  const t = s.prec === 'f64' ? 'f64x2' : 'f32x4';
  const n = name(s);
  const get = (x: string) => `(local.get $${x})`;
  const mul = (x: string, y: string) => `(i32.mul ${x} ${y})`;
  const add = (x: string, y: string) => `(i32.add ${x} ${y})`;
  const min = (x: string, y: string) => `(select ${y} ${x} (i32.gt_u ${x} ${y}))`;
  return `(func (export "gemm_${n}") (param $mp i32) (param $np i32) (param $k i32) (param $pa i32) (param $pb i32)
  (param $pc i32) (param $mc i32) (param $acc0 i32) (param $alpha ${s.prec}) (param $beta ${s.prec})
  (local $pcb i32) (local $kb i32) (local $ic i32) (local $iend i32) (local $jr i32) (local $ir i32) (local $acc i32)
  (local $av v128) (local $bv v128)
  (local.set $av (${t}.splat ${get('alpha')}))
  (block $pc_done (loop $pc_loop
    (br_if $pc_done (i32.ge_u ${get('pcb')} ${get('k')}))
    (local.set $kb ${min(`(i32.sub ${get('k')} ${get('pcb')})`, '(i32.const 256)')})
    (local.set $acc (i32.or ${get('acc0')} (i32.ne ${get('pcb')} (i32.const 0))))
    (local.set $bv (${t}.splat (select ${get('beta')} (${s.prec}.const 1) (i32.eqz ${get('pcb')}))))
    (local.set $ic (i32.const 0))
    (block $ic_done (loop $ic_loop
      (br_if $ic_done (i32.ge_u ${get('ic')} ${get('mp')}))
      (local.set $iend ${min(add(get('ic'), get('mc')), get('mp'))})
      (local.set $jr (i32.const 0))
      (block $jr_done (loop $jr_loop
        (br_if $jr_done (i32.ge_u ${get('jr')} ${get('np')}))
        (local.set $ir ${get('ic')})
        (block $ir_done (loop $ir_loop
          (br_if $ir_done (i32.ge_u ${get('ir')} ${get('iend')}))
          (call $k_${n} ${get('kb')}
            ${add(get('pa'), mul(add(mul(get('pcb'), get('mp')), mul(get('ir'), get('kb'))), `(i32.const ${es})`))}
            ${add(get('pb'), mul(add(mul(get('pcb'), get('np')), mul(get('jr'), get('kb'))), `(i32.const ${es})`))}
            ${add(get('pc'), mul(add(mul(get('ir'), get('np')), get('jr')), `(i32.const ${es})`))}
            ${mul(get('np'), `(i32.const ${es})`)} ${get('acc')} ${get('av')} ${get('bv')})
          (local.set $ir ${add(get('ir'), `(i32.const ${s.mr})`)})
          (br $ir_loop)))
        (local.set $jr ${add(get('jr'), `(i32.const ${nr})`)})
        (br $jr_loop)))
      (local.set $ic ${add(get('ic'), get('mc'))})
      (br $ic_loop)))
    (local.set $pcb ${add(get('pcb'), '(i32.const 256)')})
    (br $pc_loop))))
(func (export "l1_${n}") (param $reps i32) (param $a i32) (param $b i32) (param $c i32)
  (loop $r
    (call $k_${n} (i32.const 256) ${get('a')} ${get('b')} ${get('c')} (i32.const 256) (i32.const 1)
      (${t}.splat (${s.prec}.const 1)) (${t}.splat (${s.prec}.const 0.5)))
    (local.set $reps (i32.sub ${get('reps')} (i32.const 1)))
    (br_if $r ${get('reps')})))`;
}

const SHAPES: Shape[] = [
  { prec: 'f64', mr: 4, nrv: 2, unroll: 1 }, // the float64 tile before issue 15's work
  { prec: 'f64', mr: 4, nrv: 2, unroll: 2 },
  { prec: 'f64', mr: 2, nrv: 4, unroll: 1 },
  { prec: 'f64', mr: 2, nrv: 4, unroll: 2 }, // gemm.wat's float64 tile
  { prec: 'f64', mr: 2, nrv: 4, unroll: 4 },
  { prec: 'f64', mr: 6, nrv: 2, unroll: 1 },
  { prec: 'f64', mr: 4, nrv: 3, unroll: 1 },
  { prec: 'f64', mr: 3, nrv: 3, unroll: 1 },
  { prec: 'f64', mr: 8, nrv: 1, unroll: 1 },
  { prec: 'f64', mr: 1, nrv: 6, unroll: 2 },
  { prec: 'f32', mr: 4, nrv: 2, unroll: 1 }, // the float32 tile before
  { prec: 'f32', mr: 4, nrv: 2, unroll: 2 }, // gemm.wat's float32 tile
  { prec: 'f32', mr: 2, nrv: 4, unroll: 2 },
];

const MP = 240;
const NP = 768;
const K = 2048;
const MC = 120;

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 5);
  const wat = `(module (memory (export "memory") 800 800)\n${SHAPES.map((s) => `${kernelWat(s)}\n${driversWat(s)}`).join('\n')})`;
  const bytes = await assembleWat(wat, 'gemmTiles.wat');
  const module = new WebAssembly.Module(bytes as BufferSource);
  const ex = new WebAssembly.Instance(module).exports as Record<string, unknown>;
  const buffer = (ex.memory as WebAssembly.Memory).buffer;
  const call = (f: string, ...args: number[]) => (ex[f] as (...a: number[]) => void)(...args);
  const fill = (view: Float32Array | Float64Array) => {
    let x = 12345;
    for (let i = 0; i < view.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      view[i] = x / 4294967296 - 0.5;
    }
  };
  fill(new Float64Array(buffer, 0, 24 << 17)); // float64 data: bytes [0, 24 MB)
  fill(new Float32Array(buffer, 24 << 20, 6 << 18)); // float32 data: [24 MB, 30 MB)
  const base = (s: Shape) => (s.prec === 'f64' ? 0 : 24 << 20);
  const l1 = new Map<string, number>();
  const packed = new Map<string, number>();
  for (const s of SHAPES) {
    const bad = checkOrder(s, buffer, call);
    if (bad > 0) console.log(`${name(s)}: ${bad} elements differ from gemm.wat's order`);
  }
  for (let r = 0; r < rounds; r++) {
    for (const s of SHAPES) {
      const es = s.prec === 'f64' ? 8 : 4;
      const nr = (s.nrv * 16) / es;
      const flops = 2 * s.mr * nr * 256;
      const reps = Math.round(2e8 / flops);
      const a = base(s);
      let t0 = performance.now();
      call(`l1_${name(s)}`, reps, a, a + 65536, a + 131072);
      l1.set(name(s), Math.max(l1.get(name(s)) ?? 0, (flops * reps) / (performance.now() - t0) / 1e6));
      const mp = MP - (MP % s.mr);
      const np = NP - (NP % nr);
      t0 = performance.now();
      call(
        `gemm_${name(s)}`,
        mp,
        np,
        K,
        a,
        a + mp * K * es,
        a + (mp * K + K * np) * es,
        MC - (MC % s.mr),
        0,
        1,
        0,
      );
      packed.set(
        name(s),
        Math.max(packed.get(name(s)) ?? 0, (2 * mp * np * K) / (performance.now() - t0) / 1e6),
      );
    }
  }
  console.log('shape (MR x NR, depth steps per turn)   L1 GFLOP/s   packed 240x768x2048 GFLOP/s');
  for (const s of SHAPES)
    console.log(
      `${name(s).padEnd(40)} ${l1.get(name(s))!.toFixed(2).padStart(10)}   ${packed.get(name(s))!.toFixed(2)}`,
    );
}

/** Pack a random 60 x 100 x 531 product for `s`, run it, count elements that differ from the written-out order. */
function checkOrder(s: Shape, buffer: ArrayBuffer, call: (f: string, ...a: number[]) => void): number {
  const es = s.prec === 'f64' ? 8 : 4;
  const nr = (s.nrv * 16) / es;
  const round = s.prec === 'f64' ? (x: number) => x : Math.fround;
  const m = 60 - (60 % s.mr);
  const n = 96 - (96 % nr);
  const k = 531;
  const at = 40 << 20;
  const view = s.prec === 'f64' ? new Float64Array(buffer, at) : new Float32Array(buffer, at);
  const aOf = (i: number, p: number) => round(Math.sin(i * 7.1 + p * 1.3));
  const bOf = (p: number, j: number) => round(Math.cos(p * 0.7 + j * 3.9));
  let d = 0;
  for (let p0 = 0; p0 < k; p0 += 256) {
    const kb = Math.min(256, k - p0);
    for (let ir = 0; ir < m; ir += s.mr)
      for (let p = 0; p < kb; p++) for (let r = 0; r < s.mr; r++) view[d++] = aOf(ir + r, p0 + p);
  }
  const pb = d;
  for (let p0 = 0; p0 < k; p0 += 256) {
    const kb = Math.min(256, k - p0);
    for (let jr = 0; jr < n; jr += nr)
      for (let p = 0; p < kb; p++) for (let q = 0; q < nr; q++) view[d++] = bOf(p0 + p, jr + q);
  }
  const pc = d;
  for (let e = 0; e < m * n; e++) view[pc + e] = round(e / 7);
  const alpha = 0.75;
  const beta = -1.25;
  call(`gemm_${name(s)}`, m, n, k, at, at + pb * es, at + pc * es, 30 - (30 % s.mr), 1, alpha, beta);
  let bad = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let c = round((i * n + j) / 7);
      for (let p0 = 0; p0 < k; p0 += 256) {
        let t = 0;
        for (let p = p0; p < Math.min(k, p0 + 256); p++) t = round(t + round(aOf(i, p) * bOf(p, j)));
        c = p0 === 0 ? round(round(alpha * t) + round(beta * c)) : round(round(alpha * t) + c);
      }
      if (!Object.is(c, view[pc + i * n + j])) bad++;
    }
  }
  return bad;
}

await main();
