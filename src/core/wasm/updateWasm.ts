/**
 * Element-wise parameter updates on WebAssembly SIMD (update.wat): the SGD momentum step and max |x|,
 * bit-identical to the TypeScript loops (src/models/optim.ts's momentum step, the divergence checks'
 * scans). The arrays are streamed through the module's memory in chunks small enough to stay in the
 * core's cache, so the copies cost little beside the arithmetic they speed up. Every function returns
 * false (or null) without touching its arguments when the engine has no WebAssembly SIMD; the caller
 * then runs its TypeScript loop.
 * @module
 */
import { base64Decode } from '../base64.js';
import type { FloatArray } from '../tensor.js';
import { copySkew } from './copySkew.js';
import { instantiateWasm } from './instantiate.js';
import { updateWasmBase64 } from './update.wasm.generated.js';

type MomentumRun = (n: number, pp: number, pg: number, pm: number, mu: number, lr: number) => void;

interface UpdateExports {
  readonly memory: WebAssembly.Memory;
  readonly momentum_f64: MomentumRun;
  readonly momentum_f32: MomentumRun;
  readonly maxabs_f64: (n: number, px: number) => number;
  readonly maxabs_f32: (n: number, px: number) => number;
}

/** Elements per chunk: parameters, gradient and moments of a chunk take about 200 KB. */
const CHUNK = 8192;
/**
 * Page-aligned byte addresses of the chunk buffers (parameters or the scanned array, gradient,
 * moments), each with a page of room for its skew (see {@link copySkew}).
 */
const P_AT = 0;
const G_AT = P_AT + 8 * CHUNK + 4096;
const M_AT = G_AT + 8 * CHUNK + 4096;
const END = M_AT + 8 * CHUNK + 4096;

let exportsCache: UpdateExports | null | undefined;

function load(): UpdateExports | null {
  if (exportsCache === undefined) {
    const exp = instantiateWasm<UpdateExports>(base64Decode(updateWasmBase64));
    const need = END;
    if (exp !== null && exp.memory.buffer.byteLength < need) {
      exp.memory.grow(Math.ceil((need - exp.memory.buffer.byteLength) / 65536));
    }
    exportsCache = exp;
  }
  return exportsCache;
}

/** True if this engine runs the update kernels (WebAssembly SIMD). */
export function updateWasmAvailable(): boolean {
  return load() !== null;
}

/**
 * The SGD momentum step on elements [0, n) of `p` (parameters), `g` (gradient, the same array type as
 * `p`) and `m` (float64 moments), in place: v = mu * m[i] + g[i], m[i] = v, p[i] = p[i] - lr * v, the
 * arithmetic in float64 and a float32 parameter rounded on its store; the same bits as that loop in
 * TypeScript. Returns false, having changed nothing, without WebAssembly SIMD or for arrays of other
 * types. Cost O(n), two copies of each array through cache-sized chunks.
 */
export function momentumStepWasm(
  p: FloatArray,
  g: ArrayLike<number>,
  m: Float64Array,
  mu: number,
  lr: number,
  n: number,
): boolean {
  const single = p instanceof Float32Array;
  if (!(single ? g instanceof Float32Array : p instanceof Float64Array && g instanceof Float64Array)) {
    return false;
  }
  const exp = load();
  if (exp === null) return false;
  const buffer = exp.memory.buffer;
  const mem = single ? new Float32Array(buffer) : new Float64Array(buffer);
  const moments = new Float64Array(buffer);
  const gp = g as Float32Array | Float64Array;
  // chunks start CHUNK elements apart (a whole number of pages), so one skew serves every chunk
  const pBytes = P_AT + copySkew(p);
  const mBytes = M_AT + copySkew(m);
  const pAt = pBytes / mem.BYTES_PER_ELEMENT;
  const gAt = G_AT / mem.BYTES_PER_ELEMENT;
  const mAt = mBytes / 8;
  const run = single ? exp.momentum_f32 : exp.momentum_f64;
  for (let lo = 0; lo < n; lo += CHUNK) {
    const len = Math.min(CHUNK, n - lo);
    const padded = Math.ceil(len / 4) * 4;
    mem.set(p.subarray(lo, lo + len), pAt);
    mem.set(gp.subarray(lo, lo + len), gAt);
    moments.set(m.subarray(lo, lo + len), mAt);
    if (padded > len) {
      // the padding lanes compute on zeros and are never copied back
      mem.fill(0, pAt + len, pAt + padded);
      mem.fill(0, gAt + len, gAt + padded);
      moments.fill(0, mAt + len, mAt + padded);
    }
    run(padded, pBytes, G_AT, mBytes, mu, lr);
    p.set(mem.subarray(pAt, pAt + len), lo);
    m.set(moments.subarray(mAt, mAt + len), lo);
  }
  return true;
}

/**
 * max |x[i]| over the elements [0, n) of a Float32Array or Float64Array `x`, NaN if one is NaN, 0 when
 * n = 0: the value of the TypeScript scan. Null, having read nothing, without WebAssembly SIMD or for
 * another array type. Cost O(n), one copy through cache-sized chunks.
 */
export function maxAbsWasm(x: FloatArray, n: number = x.length): number | null {
  const single = x instanceof Float32Array;
  if (!single && !(x instanceof Float64Array)) return null;
  const exp = load();
  if (exp === null) return null;
  const mem = single ? new Float32Array(exp.memory.buffer) : new Float64Array(exp.memory.buffer);
  const at = P_AT / mem.BYTES_PER_ELEMENT;
  const scan = single ? exp.maxabs_f32 : exp.maxabs_f64;
  let max = 0;
  for (let lo = 0; lo < n; lo += CHUNK) {
    const len = Math.min(CHUNK, n - lo);
    const padded = Math.ceil(len / 16) * 16;
    mem.set(x.subarray(lo, lo + len), at);
    mem.fill(0, at + len, at + padded);
    const chunkMax = scan(padded, P_AT);
    if (Number.isNaN(chunkMax)) return chunkMax;
    if (chunkMax > max) max = chunkMax;
  }
  return max;
}
