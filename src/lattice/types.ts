/**
 * Plain-data descriptions of the lattice models. Spin configurations are Int8Array of +-1, row-major
 * (site (x, y) of an L x L lattice is index y * L + x).
 * @module
 */

/** Nearest-neighbour Ising model on a periodic L x L square lattice: H = -J sum_<ij> s_i s_j - h sum_i s_i. */
export interface Ising2D {
  readonly kind: 'ising2d';
  /** Linear size (sites per side), >= 2. */
  readonly L: number;
  /** Coupling (J > 0 ferromagnetic), units of energy. Default 1. */
  readonly J: number;
  /** External field, same units as J. Default 0. */
  readonly h: number;
}

/**
 * Long-range Ising ring of N spins: H = -sum_{i<j} J(r_ij) s_i s_j - h sum_i s_i with
 * J(r) = J / r^(1 + sigma) and r the minimum-image distance on the ring (each pair counted once).
 */
export interface LongRangeChain {
  readonly kind: 'lrchain';
  /** Number of spins, >= 2. */
  readonly N: number;
  /** Decay exponent, 0 < sigma <= 2. */
  readonly sigma: number;
  /** Overall coupling scale J > 0. Default 1. */
  readonly J: number;
  /** External field. Default 0. */
  readonly h: number;
  /** J(r) for r = 0..floor(N/2) (couplings[0] = 0), precomputed by the constructor. */
  readonly couplings: Float64Array;
}

/** Any lattice model of the library. */
export type LatticeModel = Ising2D | LongRangeChain;
