/**
 * The WebAssembly checkerboard sweep (Metropolis and heat bath) against a line-by-line TypeScript model of its algorithm (four
 * xoshiro128** lanes, column-parity split, 16 sites per vector, lazy byte-wise acceptance): the chains
 * must be bit-identical, which pins down the layout, torus wrap, ghost columns and partial last vectors
 * on sizes that are not multiples of 16 or 32. The statistical and exact tests of the backend are the
 * shared sampler suite in metropolis.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../src/core/rng.js';
import { assembleWat } from '../../src/core/wasm/assemble.js';
import { createIsing2D } from '../../src/lattice/ising2d.js';
import { createHeatBathUpdater } from '../../src/sampling/heatBath.js';
import {
  createMetropolisUpdater,
  type MetropolisTable,
  metropolisTable,
  metropolisWasmTable,
} from '../../src/sampling/metropolis.js';
import {
  metropolisGeneratedPath,
  metropolisWatPath,
  renderMetropolisGenerated,
} from '../../src/sampling/wasm/assemble.js';
import { seedXoshiro128x4, TWO_POW_32, xoshiro128Next } from '../../src/sampling/xoshiro.js';

/** Flip threshold in [0, 2^32] (2^32 = always) of a site with spin s and neighbour sum nn. */
type FlipThreshold = (s: number, nn: number) => number;

function metropolisFlip(table: MetropolisTable): FlipThreshold {
  return (s, nn) => {
    const k = s * nn + 4 + ((s + 1) << 3);
    return table.always[k] === 1 ? TWO_POW_32 : (table.thresholds[k]! ^ 0x80000000) >>> 0;
  };
}

/** Draws of lower bytes (ties on the top byte) made by {@link modelSweep}, to check the path is exercised. */
const tieDraws = { count: 0 };

/** Model of one WebAssembly sweep: returns flips; updates spins in place. */
function modelSweep(spins: Int8Array, L: number, flip: FlipThreshold, rng: Rng): number {
  const w = new Int32Array(16);
  seedXoshiro128x4(rng, w);
  const lanes = [0, 1, 2, 3].map((j) => Int32Array.of(w[j]!, w[4 + j]!, w[8 + j]!, w[12 + j]!));
  const draw = (): Uint8Array => {
    const out = new Uint8Array(16);
    for (let j = 0; j < 4; j++) {
      const r = xoshiro128Next(lanes[j]!);
      for (let b = 0; b < 4; b++) out[4 * j + b] = (r >>> (8 * b)) & 0xff;
    }
    return out;
  };
  const h = L / 2;
  let flipped = 0;
  for (let p = 0; p < 2; p++) {
    for (let y = 0; y < L; y++) {
      const c = (y + p) & 1;
      for (let j0 = 0; j0 < h; j0 += 16) {
        const lanesHere = Math.min(16, h - j0);
        const threshold: number[] = [];
        const always: boolean[] = [];
        for (let q = 0; q < lanesHere; q++) {
          const x = 2 * (j0 + q) + c;
          const i = y * L + x;
          const s = spins[i]!;
          const nn =
            spins[y * L + ((x + L - 1) % L)]! +
            spins[y * L + ((x + 1) % L)]! +
            spins[((y + L - 1) % L) * L + x]! +
            spins[((y + 1) % L) * L + x]!;
          const t = flip(s, nn);
          always.push(t >= TWO_POW_32);
          threshold.push(t >= TWO_POW_32 ? 0 : t);
        }
        // r compared byte by byte from the most significant end; lower bytes drawn only on a tie
        const accept = always.slice();
        let tie = always.map((a) => !a);
        for (let b = 3; b >= 0 && (b === 3 || tie.some((t) => t)); b--) {
          const r = draw();
          if (b < 3) tieDraws.count++;
          tie = tie.map((t, q) => {
            if (!t) return false;
            const tb = (threshold[q]! >>> (8 * b)) & 0xff;
            const u = r[q]! ^ 0x80; // the module compares r as signed with t ^ 0x80
            if (u < tb) accept[q] = true;
            return u === tb;
          });
        }
        for (let q = 0; q < lanesHere; q++) {
          if (!accept[q]) continue;
          const i = y * L + 2 * (j0 + q) + c;
          spins[i] = -spins[i]!;
          flipped++;
        }
      }
    }
  }
  return flipped;
}

describe('checkerboard WebAssembly sweep', () => {
  it('Metropolis and heat bath are bit-identical to a TypeScript model of the sweep (sizes around 16 and 32, with fields)', () => {
    for (const [L, beta, h] of [
      [2, 0.3, 0],
      [4, 0.44, 0.2],
      [6, 0.2, 0],
      [10, 0.6, -0.3],
      [30, 0.44, 0],
      [32, 0.44, 0.1],
      [34, 0.3, 0],
      [36, 1.2, 0.5],
      [66, 0.44, 0],
    ] as const) {
      const model = createIsing2D({ L, h });
      const metropolis = L % 4 === 0 || L === 2; // alternate the two users of the module
      const updater = metropolis ? createMetropolisUpdater(model, beta) : createHeatBathUpdater(model, beta);
      const flip = metropolis
        ? metropolisFlip(metropolisTable(1, h, beta))
        : (s: number, nn: number) => {
            const q = 1 / (1 + Math.exp(2 * beta * s * (nn + h)));
            return q >= 1 ? TWO_POW_32 : Math.floor(q * TWO_POW_32);
          };
      const init = createRng(L);
      const a = new Int8Array(L * L);
      for (let i = 0; i < a.length; i++) a[i] = init.uniform() < 0.5 ? 1 : -1;
      const b = a.slice();
      const ra = createRng(1000 + L);
      const rb = createRng(1000 + L);
      for (let k = 0; k < 12; k++) {
        expect(updater.step(a, ra), `L = ${L}, step ${k}`).toBe(modelSweep(b, L, flip, rb));
        expect(Array.from(a), `L = ${L}, step ${k}`).toEqual(Array.from(b));
      }
    }
    expect(tieDraws.count).toBeGreaterThan(20); // the rare lower-byte path ran and agreed
  });

  it('p below 2^-32 never accepts; the byte planes carry the full 32-bit thresholds', () => {
    // beta = 5: dE = 8 gives p = e^-40 < 2^-32 (threshold 0); an all-up lattice never moves
    const model = createIsing2D({ L: 8 });
    const spins = new Int8Array(64).fill(1);
    expect(createMetropolisUpdater(model, 5).step(spins, createRng(1))).toBe(0);
    expect(spins.every((s) => s === 1)).toBe(true);
    // the byte planes carry the full 32-bit threshold
    const table = metropolisTable(1, 0, 0.3);
    const planes = metropolisWasmTable(table);
    const k = 4 + 4 + 16; // s = +1, nn = 4
    const kw = 4 + 4;
    const t =
      (planes[kw]! ^ 0x80) |
      ((planes[16 + kw]! ^ 0x80) << 8) |
      ((planes[32 + kw]! ^ 0x80) << 16) |
      ((planes[48 + kw]! ^ 0x80) << 24);
    expect(t >>> 0).toBe(Math.floor(Math.exp(-0.3 * 8) * TWO_POW_32));
    expect((table.thresholds[k]! ^ 0x80000000) >>> 0).toBe(t >>> 0);
    expect(planes[64 + 0]).toBe(0xff); // s = +1, nn = -4: dE = -8, always accepted
    expect(planes[64 + 1]).toBe(0); // s = -1, nn = -4: dE = 8, threshold
    expect(planes[48 + 1]).toBe(planes[48 + kw]);
  });

  it('the committed module equals a fresh assembly of metropolis.wat', async () => {
    const bytes = await assembleWat(readFileSync(metropolisWatPath, 'utf8'), 'metropolis.wat');
    expect(readFileSync(metropolisGeneratedPath, 'utf8')).toBe(renderMetropolisGenerated(bytes));
  });
});
