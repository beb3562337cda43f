/**
 * Loader of the Wolff cluster kernel in src/sampling/wasm/wolff.wat (internal: not exported from the
 * package). The module grows the same clusters, with the same xoshiro128** draws in the same order, as the
 * TypeScript kernels of src/sampling/wolff.ts, on an L x L torus with L a power of two.
 * @module
 */
import { base64Decode } from '../../core/base64.js';
import { wolffWasmBase64 } from './wolff.wasm.generated.js';

interface WolffExports {
  readonly memory: WebAssembly.Memory;
  readonly bytes: (n: number) => number;
  readonly clusters: (L: number, threshold: number, scale: number, count: number) => number;
}

/** Byte offsets in the module memory (see wolff.wat): xoshiro state, then the spins. */
const STATE_BYTE = 0;
const SPINS_BYTE = 16;

let wasmModule: WebAssembly.Module | null | undefined;

/** The compiled module (once), or null without WebAssembly. */
function wolffModule(): WebAssembly.Module | null {
  if (wasmModule !== undefined) return wasmModule;
  wasmModule = null;
  try {
    if (typeof WebAssembly === 'object' && typeof WebAssembly.Module === 'function') {
      const bytes = base64Decode(wolffWasmBase64);
      wasmModule = new WebAssembly.Module(bytes as BufferSource);
    }
  } catch {
    wasmModule = null; // callers use their TypeScript kernels
  }
  return wasmModule;
}

/** True if this engine runs the WebAssembly Wolff kernel (checked once, then cached). */
export function wolffWasmAvailable(): boolean {
  return wolffModule() !== null;
}

/**
 * A function flipping `count` Wolff clusters on an L x L torus in WebAssembly, or undefined when the module
 * is unavailable or L is not a power of two in [2, 16384]. Each call copies `spins` (length L^2, +-1,
 * unchecked) and the xoshiro128** state `xs` (4 words) in, grows `count` clusters, each from the site
 * floor(draw * L^2 / 2^32), accepting an aligned neighbour when the draw is below `addThreshold` (see
 * `clusterBondThreshold`), copies both back and returns the number of spins flipped. One instance (about
 * 5 L^2 bytes) per call of this factory; allocates nothing per call.
 */
export function createWolffWasmClusters(
  L: number,
  addThreshold: number,
): ((spins: Int8Array, xs: Int32Array, count: number) => number) | undefined {
  const module = wolffModule();
  if (!module || L < 2 || L > 16384 || (L & (L - 1)) !== 0) return undefined;
  try {
    const exp = new WebAssembly.Instance(module, {}).exports as unknown as WolffExports;
    const n = L * L;
    const bytes = exp.bytes(n);
    const have = exp.memory.buffer.byteLength;
    if (have < bytes) exp.memory.grow(Math.ceil((bytes - have) / 65536));
    const state = new Int32Array(exp.memory.buffer, STATE_BYTE, 4);
    const spinsView = new Int8Array(exp.memory.buffer, SPINS_BYTE, n);
    const threshold = (Math.floor(addThreshold) - 2147483648) | 0; // as in wolffClusterKernel
    const scale = n / 4294967296;
    const clusters = exp.clusters;
    return (spins: Int8Array, xs: Int32Array, count: number): number => {
      state.set(xs.subarray(0, 4));
      spinsView.set(spins);
      const flipped = clusters(L, threshold, scale, count) >>> 0;
      spins.set(spinsView);
      xs.set(state);
      return flipped;
    };
  } catch {
    return undefined;
  }
}
