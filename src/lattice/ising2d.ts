/**
 * The nearest-neighbour Ising model on the periodic L x L square lattice,
 * H = -J sum_<ij> s_i s_j - h sum_i s_i, each bond counted once (2 L^2 bonds: every site's right and
 * down bond). Energies here are totals (not per site); spins are an Int8Array of +-1, site (x, y) at
 * index `y * L + x`.
 * @module
 */
import {
  checkFinite,
  checkInteger,
  checkLength,
  checkLimit,
  checkOptions,
  checkSpins,
  domainError,
  MAX_ELEMENTS,
  optionKeys,
} from '../core/validate.js';
import type { Ising2D } from './types.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const ISING2D_OPTIONS_KEYS = optionKeys<Ising2DOptions>({ L: true, J: true, h: true });

/** Options of {@link createIsing2D}. */
export interface Ising2DOptions {
  /** Linear size, an integer >= 2. */
  readonly L: number;
  /** Coupling, finite (default 1, ferromagnetic). */
  readonly J?: number;
  /** External field, finite (default 0). */
  readonly h?: number;
}

/**
 * Create the plain-data description of a 2D Ising model on an L x L torus. O(1).
 * @throws DomainError if L is not an integer >= 2 or J, h are not finite.
 * @example
 * ```ts
 * import { createIsing2D, modelEnergy } from 'coarsegrain';
 * const model = createIsing2D({ L: 16 }); // { kind: 'ising2d', L: 16, J: 1, h: 0 }
 * const spins = new Int8Array(16 * 16).fill(1); // row-major, index y * L + x
 * modelEnergy(model, spins); // -512 = -2 J per site, the ground state
 * ```
 */
export function createIsing2D(options: Ising2DOptions): Ising2D {
  options = checkOptions(options, 'createIsing2D: options', ISING2D_OPTIONS_KEYS, true);
  if (options === null || typeof options !== 'object') {
    throw domainError('createIsing2D: options', 'an object { L, J?, h? }', options);
  }
  const L = checkInteger(options.L, 'createIsing2D: L', 2, 46340);
  checkLimit(L * L, 'createIsing2D: L x L', MAX_ELEMENTS, 'sites');
  const J = options.J === undefined ? 1 : checkFinite(options.J, 'createIsing2D: J');
  const h = options.h === undefined ? 0 : checkFinite(options.h, 'createIsing2D: h');
  return { kind: 'ising2d', L, J, h };
}

/** Validate a model passed to a public function (kind, L, J, h). */
export function checkIsing2D(model: Ising2D, fn: string): void {
  if (model === null || typeof model !== 'object' || model.kind !== 'ising2d') {
    throw domainError(`${fn}: model`, "an Ising2D model (kind 'ising2d', see createIsing2D)", model);
  }
  checkInteger(model.L, `${fn}: model.L`, 2, 46340);
  checkFinite(model.J, `${fn}: model.J`);
  checkFinite(model.h, `${fn}: model.h`);
}

function checkConfig(model: Ising2D, spins: Int8Array, fn: string): void {
  checkIsing2D(model, fn);
  checkLength(spins, `${fn}: spins`, model.L * model.L);
}

/**
 * Unchecked total energy: -J sum_i s_i (s_right + s_down) - h sum_i s_i. Allocates nothing. O(L^2).
 */
export function ising2dEnergyKernel(spins: Int8Array, L: number, J: number, h: number): number {
  let bonds = 0;
  let m = 0;
  for (let y = 0; y < L; y++) {
    const row = y * L;
    const down = ((y + 1) % L) * L;
    for (let x = 0; x < L; x++) {
      const s = spins[row + x]!;
      const right = x + 1 === L ? row : row + x + 1;
      bonds += s * (spins[right]! + spins[down + x]!);
      m += s;
    }
  }
  return -J * bonds - h * m;
}

/**
 * Total energy H(s) = -J sum_<ij> s_i s_j - h sum_i s_i of a configuration (not per site). O(L^2).
 * @param spins - Int8Array of L^2 spins +-1.
 * @throws DomainError for a bad model or a spin that is not +-1; ShapeError if spins has the wrong length.
 * @example
 * ising2dEnergy(createIsing2D({ L: 4 }), new Int8Array(16).fill(1)); // -32
 */
export function ising2dEnergy(model: Ising2D, spins: Int8Array): number {
  checkConfig(model, spins, 'ising2dEnergy');
  checkSpins(spins, 'ising2dEnergy: spins');
  return ising2dEnergyKernel(spins, model.L, model.J, model.h);
}

/**
 * Total magnetisation M = sum_i s_i (an integer; divide by the number of sites for m per site). O(n).
 * @throws DomainError if spins is not an array.
 */
export function ising2dMagnetization(spins: Int8Array): number {
  if (spins === null || spins === undefined || typeof spins.length !== 'number') {
    throw domainError('ising2dMagnetization: spins', 'an Int8Array of +-1', spins);
  }
  let m = 0;
  for (let i = 0; i < spins.length; i++) m += spins[i]!;
  return m;
}

/** Unchecked local field J * (sum of the 4 neighbour spins) + h at `site`. O(1). */
export function ising2dLocalFieldKernel(
  spins: Int8Array,
  L: number,
  J: number,
  h: number,
  site: number,
): number {
  const x = site % L;
  const row = site - x;
  const n = L * L;
  const right = x + 1 === L ? row : site + 1;
  const left = x === 0 ? row + L - 1 : site - 1;
  const down = site + L >= n ? site + L - n : site + L;
  const up = site < L ? site + n - L : site - L;
  return J * (spins[right]! + spins[left]! + spins[down]! + spins[up]!) + h;
}

function checkSite(model: Ising2D, spins: Int8Array, site: number, fn: string): void {
  checkConfig(model, spins, fn);
  checkInteger(site, `${fn}: site`, 0, model.L * model.L - 1);
}

/**
 * Local field acting on `site`: J * (sum of its 4 neighbour spins) + h, so that the site's energy is
 * -s_site * field. O(1).
 * @throws DomainError for a bad model or site; ShapeError if spins has the wrong length.
 */
export function ising2dLocalField(model: Ising2D, spins: Int8Array, site: number): number {
  checkSite(model, spins, site, 'ising2dLocalField');
  return ising2dLocalFieldKernel(spins, model.L, model.J, model.h, site);
}

/**
 * Energy change H(s') - H(s) if the spin at `site` were flipped: 2 s_site (J sum_nn s_j + h). Does not
 * flip it. O(1).
 * @throws DomainError for a bad model or site, or a spin at `site` that is not +-1; ShapeError if spins
 * has the wrong length.
 */
export function ising2dFlipDelta(model: Ising2D, spins: Int8Array, site: number): number {
  checkSite(model, spins, site, 'ising2dFlipDelta');
  const s = spins[site]!;
  if (s !== 1 && s !== -1) throw domainError(`ising2dFlipDelta: spins[${site}]`, 'a spin +1 or -1', s);
  return 2 * s * ising2dLocalFieldKernel(spins, model.L, model.J, model.h, site);
}
