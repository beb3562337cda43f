/**
 * Loader of the checkerboard flip sweep in src/sampling/wasm/metropolis.wat, shared by the Metropolis and
 * heat-bath updaters (internal: not exported from the package). The module flips each site (x, y) of an
 * L x L torus (L even), colour (x + y) even first, with probability T[k] / 2^32 (or always), where
 * k = nn + 4 + (s = -1 ? 1 : 0) indexes byte planes of the table (see {@link checkerboardFlipPlanes}).
 * @module
 */
import { base64Decode } from '../../core/base64.js';
import type { Rng } from '../../core/rng.js';
import { seedXoshiro128x4 } from '../xoshiro.js';
import { metropolisWasmBase64 } from './metropolis.wasm.generated.js';

interface CheckerboardExports {
  readonly memory: WebAssembly.Memory;
  readonly sweep: (L: number) => number;
  readonly bytes: (L: number) => number;
}

/** Byte offsets in the module memory (see metropolis.wat): table planes, xoshiro state, spins. */
const TABLE_BYTE = 0;
const STATE_BYTE = 128;
const SPINS_BYTE = 256;

let wasmModule: WebAssembly.Module | null | undefined;

/** The compiled module (once), or null without WebAssembly SIMD. */
function checkerboardModule(): WebAssembly.Module | null {
  if (wasmModule !== undefined) return wasmModule;
  wasmModule = null;
  try {
    if (typeof WebAssembly === 'object' && typeof WebAssembly.Module === 'function') {
      const bytes = base64Decode(metropolisWasmBase64);
      wasmModule = new WebAssembly.Module(bytes as BufferSource);
    }
  } catch {
    wasmModule = null; // no SIMD support: callers use their TypeScript kernels
  }
  return wasmModule;
}

/** True if this engine runs the WebAssembly SIMD checkerboard sweep (checked once, then cached). */
export function checkerboardWasmAvailable(): boolean {
  return checkerboardModule() !== null;
}

/** Largest L run by the module: about 2 L^2 bytes of memory, computed in int32 (the WAT's `bytes`). */
const MAX_L = 16384;

/**
 * Byte planes of a flip table: `flip(s, nn)` returns the flip probability of a site with spin s and
 * neighbour sum nn, as an integer threshold in [0, 2^32] (2^32 = always). Writes 80 bytes into `out`:
 * bytes 0..3 (least significant first) of the threshold, each xor 0x80 (the module compares bytes as
 * signed), in planes of 16 at 0, 16, 32, 48, and 0xff at 64 + k where the threshold is 2^32. O(1).
 */
export function checkerboardFlipPlanes(flip: (s: number, nn: number) => number, out: Uint8Array): Uint8Array {
  out.fill(0, 0, 80);
  for (const s of [-1, 1]) {
    for (let nn = -4; nn <= 4; nn += 2) {
      const k = nn + 4 + (s === -1 ? 1 : 0);
      const threshold = flip(s, nn);
      if (threshold >= 4294967296) {
        out[64 + k] = 0xff;
      } else {
        for (let b = 0; b < 4; b++) out[16 * b + k] = ((threshold >>> (8 * b)) & 0xff) ^ 0x80;
      }
    }
  }
  return out;
}

/**
 * A step function running one WebAssembly sweep on an L x L torus (L even) with the flip table `planes`
 * (80 bytes, {@link checkerboardFlipPlanes}), or undefined when the module is unavailable or L is odd or
 * above 16384 (about 512 MiB of module memory). Each call seeds four xoshiro128** lanes from 16 uint32
 * draws of `rng`, copies `spins` (length L^2, +-1, unchecked) in and out, and returns the number of flips.
 * One WebAssembly instance (about 2 L^2 bytes) per call of this factory; allocates nothing per step.
 */
export function createCheckerboardWasmSweep(
  L: number,
  planes: Uint8Array,
): ((spins: Int8Array, rng: Rng) => number) | undefined {
  const module = checkerboardModule();
  if (!module || L < 2 || L % 2 !== 0 || L > MAX_L) return undefined;
  try {
    const exp = new WebAssembly.Instance(module, {}).exports as unknown as CheckerboardExports;
    const bytes = exp.bytes(L);
    const have = exp.memory.buffer.byteLength;
    if (have < bytes) exp.memory.grow(Math.ceil((bytes - have) / 65536));
    const n = L * L;
    const memory = new Uint8Array(exp.memory.buffer);
    memory.set(planes.subarray(0, 80), TABLE_BYTE);
    const state = new Int32Array(exp.memory.buffer, STATE_BYTE, 16);
    const spinsView = new Int8Array(exp.memory.buffer, SPINS_BYTE, n);
    const sweep = exp.sweep;
    return (spins: Int8Array, rng: Rng): number => {
      seedXoshiro128x4(rng, state);
      spinsView.set(spins);
      const flipped = sweep(L);
      spins.set(spinsView);
      return flipped;
    };
  } catch {
    return undefined; // the caller falls back to its TypeScript kernel
  }
}
