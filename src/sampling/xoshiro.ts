/**
 * A small inline generator for hot sampling loops: xoshiro128** (Blackman and Vigna), 128 bits of state
 * in an Int32Array(4). A sampler seeds it from 4 uint32 draws of the chain's {@link Rng} at the start of
 * each step and uses it only inside that step, so the chain state stays (spins, rng): checkpoints and
 * bit-identical resumption are unaffected. Hot loops copy the 4 words into locals and inline the update;
 * {@link xoshiro128Next} is the reference form (and the one used outside hot loops).
 * Reference: D. Blackman and S. Vigna, ACM Trans. Math. Softw. 47, 36 (2021).
 * @module
 */
import type { Rng } from '../core/rng.js';

/** Seed an xoshiro128** state from 4 uint32 draws of `rng` (an all-zero draw is replaced by a fixed non-zero word). */
export function seedXoshiro128(rng: Rng, state: Int32Array): Int32Array {
  state[0] = rng.uint32() | 0;
  state[1] = rng.uint32() | 0;
  state[2] = rng.uint32() | 0;
  state[3] = rng.uint32() | 0;
  if ((state[0]! | state[1]! | state[2]! | state[3]!) === 0) state[0] = 0x9e3779b9 | 0;
  return state;
}

/**
 * Seed four xoshiro128** streams (for the i32x4 lanes of a WebAssembly SIMD kernel) from 16 uint32 draws
 * of `rng`, in index order. Layout is word-major: `state[4 * w + j]` is word w of stream j, so each of
 * the 4 consecutive groups of 4 words is one v128 of the vector state. A stream whose 4 words are all zero
 * gets a fixed non-zero word 0. `state` needs length >= 16; returns it. O(1).
 */
export function seedXoshiro128x4(rng: Rng, state: Int32Array): Int32Array {
  for (let i = 0; i < 16; i++) state[i] = rng.uint32() | 0;
  for (let j = 0; j < 4; j++) {
    if ((state[j]! | state[4 + j]! | state[8 + j]! | state[12 + j]!) === 0) state[j] = 0x9e3779b9 | 0;
  }
  return state;
}

/** Next uint32 in [0, 2^32) of an xoshiro128** state (advances `state`). O(1). */
export function xoshiro128Next(state: Int32Array): number {
  let s0 = state[0]!;
  let s1 = state[1]!;
  let s2 = state[2]!;
  let s3 = state[3]!;
  const m = Math.imul(s1, 5);
  const r = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = (s3 << 11) | (s3 >>> 21);
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
  return r;
}

/** 2^32 as a number: acceptance thresholds are probabilities times this, compared with uint32 draws. */
export const TWO_POW_32 = 4294967296;
