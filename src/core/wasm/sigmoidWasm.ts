/**
 * The sigmoid of binary units, p = 1 / (1 + exp(-x)), and Bernoulli samples (u < p ? 1 : 0) on
 * WebAssembly SIMD (sigmoid.wat), bit-identical to the TypeScript `1 / (1 + Math.exp(-x))`: the module's
 * exp is V8's Math.exp algorithm (fdlibm) in two float64 lanes, and the few inputs it does not cover
 * (|x| >= 708, NaN, x = 1) call the engine's own Math.exp. Saves the cost of one Math.exp call per unit.
 * On first use the module's exp is compared with this engine's Math.exp on 4096 probes; it is used
 * only if they agree bit for bit (V8; an engine with another Math.exp keeps the TypeScript loops).
 * The module has its own memory; arrays are copied in and out (O(n) each). It also holds the column
 * accumulations of the CD gradient's bias terms ({@link columnAccumulateWasm}).
 * @module
 */
import { base64Decode } from '../base64.js';
import type { FloatArray } from '../tensor.js';
import { instantiateWasm } from './instantiate.js';
import { sigmoidWasmBase64 } from './sigmoid.wasm.generated.js';

type SigmoidRun = (
  n: number,
  px: number,
  pp: number,
  pu: number,
  ps: number,
  means: number,
  sample: number,
) => void;

type ColumnRun = (
  px: number,
  rows: number,
  cols: number,
  stride: number,
  d: number,
  mode: number,
  po: number,
) => void;

interface SigmoidExports {
  readonly memory: WebAssembly.Memory;
  readonly exp_f64: (n: number, px: number, py: number) => void;
  readonly sigmoid_f64: SigmoidRun;
  readonly sigmoid_f32: SigmoidRun;
  readonly colacc_f64: ColumnRun;
  readonly colacc_f32: ColumnRun;
}

let exportsCache: SigmoidExports | null | undefined;

function load(): SigmoidExports | null {
  if (exportsCache === undefined) {
    const exp = instantiateWasm<SigmoidExports>(base64Decode(sigmoidWasmBase64), {
      m: { exp: Math.exp },
    });
    // The module reproduces V8's Math.exp (fdlibm); an engine whose Math.exp is another algorithm
    // would see other bits, so the module is used only where it agrees with this engine's Math.exp.
    exportsCache = exp !== null && agreesWithMathExp(exp) ? exp : null;
  }
  return exportsCache;
}

/** True if the module's exp equals Math.exp bit for bit on probes across every branch of fdlibm exp. */
function agreesWithMathExp(exp: SigmoidExports): boolean {
  const n = 4096;
  if (exp.memory.buffer.byteLength < 16 * n) exp.memory.grow(1);
  const x = new Float64Array(exp.memory.buffer, 0, n);
  // a deterministic spread over (-750, 750), denser near 0 (every branch of the reduction)
  for (let i = 0; i < n; i++) {
    const t = (i + 0.5) / n - 0.5;
    x[i] = (i & 1 ? 1500 * t : 8 * t) + i * 1e-9;
  }
  exp.exp_f64(n, 0, 8 * n);
  const y = new Float64Array(exp.memory.buffer, 8 * n, n);
  for (let i = 0; i < n; i++) if (!Object.is(y[i], Math.exp(x[i]!))) return false;
  return true;
}

/** True if this engine runs the sigmoid module (WebAssembly SIMD). */
export function sigmoidWasmAvailable(): boolean {
  return load() !== null;
}

/** n rounded up to a multiple of 4: the module works on four elements at a time. */
function padToQuads(n: number): number {
  return Math.ceil(n / 4) * 4;
}

/**
 * Byte addresses of three regions of `bytes` each (x, u, s), 16-aligned, growing the memory if needed;
 * null if it cannot grow.
 */
function regions(exp: SigmoidExports, bytes: number): [number, number, number] | null {
  const size = Math.ceil(bytes / 16) * 16;
  const need = 3 * size;
  const have = exp.memory.buffer.byteLength;
  if (have < need) {
    try {
      exp.memory.grow(Math.ceil((need - have) / 65536));
    } catch {
      return null;
    }
  }
  return [0, size, 2 * size];
}

/**
 * exp(x_i) of every element of `x` into `out` (same length) by the module's exp, for tests: equals
 * Math.exp bit for bit. Returns false, having written nothing, without WebAssembly SIMD.
 */
export function expWasm(x: Float64Array, out: Float64Array): boolean {
  const exp = load();
  const n = x.length;
  const padded = padToQuads(n);
  const at = exp === null ? null : regions(exp, 8 * padded);
  if (exp === null || at === null) return false;
  const mem = new Float64Array(exp.memory.buffer);
  mem.set(x, at[0] / 8);
  mem.fill(0, at[0] / 8 + n, at[0] / 8 + padded);
  exp.exp_f64(n, at[0], at[1]);
  out.set(mem.subarray(at[1] / 8, at[1] / 8 + n));
  return true;
}

/**
 * Binary units, for i in [0, n): p_i = 1 / (1 + Math.exp(-x_i)), bit for bit. With `means`, p_i is stored
 * there (may be `x`: in place; float32 arrays round it); with `sample`, sample_i = 1 if u_i < p_i else 0
 * (p_i compared in float64, before any rounding), where u_0, u_1, ... are drawn in element order by
 * `fillUniform` (an Rng's, so that the stream is the one `u()` per element would give). `sample` may be
 * `x` when `means` is null. `x`, `means` and `sample` must all be Float64Array or all Float32Array.
 * Returns false, having drawn and written nothing, when they are not, or without WebAssembly SIMD (or
 * memory); the caller then runs its TypeScript loop. Cost O(n): copies in and out, two divisions and
 * about 30 vector operations per pair of elements.
 */
export function binarySigmoidWasm(
  x: FloatArray,
  n: number,
  means: FloatArray | null,
  sample: FloatArray | null,
  fillUniform: ((out: Float64Array) => unknown) | null,
): boolean {
  const single = x instanceof Float32Array;
  if (!single && !(x instanceof Float64Array)) return false;
  if (means !== null && means instanceof Float32Array !== single) return false;
  if (sample !== null && (sample instanceof Float32Array !== single || fillUniform === null)) return false;
  if (means !== null && !(means instanceof Float32Array || means instanceof Float64Array)) return false;
  if (sample !== null && !(sample instanceof Float32Array || sample instanceof Float64Array)) return false;
  const exp = load();
  const padded = padToQuads(n);
  const at = exp === null ? null : regions(exp, 8 * padded);
  if (exp === null || at === null) return false;
  const [px, pu, ps] = at;
  const buffer = exp.memory.buffer;
  const mem = single ? new Float32Array(buffer) : new Float64Array(buffer);
  const bx = px / mem.BYTES_PER_ELEMENT;
  mem.set(x.subarray(0, n), bx);
  mem.fill(0, bx + n, bx + padded); // the padding: values on the vector path, never read back
  if (sample !== null) {
    const u = new Float64Array(buffer, pu, padded);
    fillUniform!(u.subarray(0, n));
    u.fill(0, n);
  }
  const run = single ? exp.sigmoid_f32 : exp.sigmoid_f64;
  run(n, px, px, pu, ps, means === null ? 0 : 1, sample === null ? 0 : 1);
  if (means !== null) means.set(mem.subarray(bx, bx + n));
  if (sample !== null) {
    const bs = ps / mem.BYTES_PER_ELEMENT;
    sample.set(mem.subarray(bs, bs + n));
  }
  return true;
}

/** How {@link columnAccumulateWasm} adds row r of x to `out`. */
export type ColumnMode = 'minus-divided' | 'plus-divided' | 'plus-scaled';

const COLUMN_MODES: Record<ColumnMode, number> = { 'minus-divided': 0, 'plus-divided': 1, 'plus-scaled': 2 };

/**
 * For r = 0 .. rows - 1 in order, for each column j: out[j] = out[j] - x[r][j] / d ('minus-divided'),
 * out[j] + x[r][j] / d ('plus-divided') or out[j] + d * x[r][j] ('plus-scaled'), in float64: the same
 * operations in the same order as the TypeScript loops `out[j] -= x[r * cols + j] / d` (and so on) over
 * rows then columns, so the same bits, on WebAssembly SIMD (two columns at a time). `x` is rows x cols,
 * row-major, from element 0. Returns false, having written nothing, without WebAssembly SIMD or memory.
 * Cost O(rows cols), plus copies of x and out in and out.
 */
export function columnAccumulateWasm(
  x: FloatArray,
  rows: number,
  cols: number,
  d: number,
  mode: ColumnMode,
  out: Float64Array,
): boolean {
  const exp = load();
  const single = x instanceof Float32Array;
  const bytesPer = single ? 4 : 8;
  const width = cols + (cols & 1); // even: the module works on column pairs
  const at = exp === null ? null : regions(exp, Math.max(rows * width * bytesPer, width * 8));
  if (exp === null || at === null) return false;
  const [px, po] = at;
  const buffer = exp.memory.buffer;
  const mem = single ? new Float32Array(buffer) : new Float64Array(buffer);
  const bx = px / bytesPer;
  if (width === cols) mem.set(x.subarray(0, rows * cols), bx);
  else {
    for (let r = 0; r < rows; r++) {
      mem.set(x.subarray(r * cols, (r + 1) * cols), bx + r * width);
      mem[bx + r * width + cols] = 0;
    }
  }
  const o = new Float64Array(buffer, po, width);
  o.set(out.subarray(0, cols));
  if (width > cols) o[cols] = 0;
  (single ? exp.colacc_f32 : exp.colacc_f64)(px, rows, width, width * bytesPer, d, COLUMN_MODES[mode], po);
  out.set(o.subarray(0, cols));
  return true;
}
