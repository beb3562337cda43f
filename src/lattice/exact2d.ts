/**
 * Exact results for the 2D Ising model with J = 1 (k_B = 1, temperature T in units of J): Onsager's
 * infinite-lattice energy and specific heat, Yang's spontaneous magnetisation, Kaufman's exact partition
 * function of the finite L x L torus, and brute-force enumeration of small tori. These are the public
 * validators of the samplers. Per-site quantities unless a name says otherwise.
 * @module
 */
import { checkFinite, checkInteger, checkPositive } from '../core/validate.js';
import { ising2dEnergyKernel } from './ising2d.js';

/**
 * Critical temperature of the square-lattice Ising model, Tc = 2 / ln(1 + sqrt 2) = 2.269185... (J = 1).
 * @example
 * ```ts
 * import { ISING_TC, onsagerEnergy } from 'coarsegrain';
 * ISING_TC; // 2.269185... (units of J)
 * onsagerEnergy(ISING_TC); // -sqrt 2 = -1.41421... per site
 * ```
 */
export const ISING_TC = 2 / Math.log(1 + Math.SQRT2);

/**
 * Above this coupling K = 1/T the low-temperature series is used: with x = exp(-4K),
 * ln Z / N = 2K + x^2 + 2 x^3 + (9/2) x^4 + O(x^5) (one flipped spin breaks 4 bonds, a domino 6; C. Domb,
 * Adv. Phys. 9, 149 (1960)), whose truncation error is below 1e-14 relative for K >= 3, while the closed
 * forms lose everything to cancellation there (the specific heat ~1e-15 is smaller than their rounding)
 * and overflow (sinh 2K) beyond K ~ 355.
 */
const LOW_T_K = 3;

/**
 * Below this coupling the high-temperature series is used: with t = tanh K,
 * ln Z / N = ln 2 + 2 ln cosh K + t^4 + 2 t^6 + O(t^8) (closed graphs: plaquettes, then 1 x 2 rectangles),
 * whose truncation is below 1e-11 relative for K <= 1e-3, while the closed forms cancel to 0/0 as K -> 0.
 */
const HIGH_T_K = 1e-3;

/**
 * Complete elliptic integrals K(k) and E(k) of the first and second kind from the complementary modulus
 * k' = sqrt(1 - k^2) by the arithmetic-geometric mean. Returns [K, E]; K = Infinity when k' = 0.
 */
function ellipticKE(kprime: number): [number, number] {
  let a = 1;
  let b = kprime;
  let c2 = 1 - kprime * kprime; // k^2
  let sum = 0.5 * c2;
  let pow = 0.5;
  for (let i = 0; i < 64 && Math.abs(a - b) > 1e-16 * a; i++) {
    const an = 0.5 * (a + b);
    const bn = Math.sqrt(a * b);
    const cn = 0.5 * (a - b);
    c2 = cn * cn;
    pow *= 2;
    sum += pow * c2;
    a = an;
    b = bn;
  }
  const K = Math.PI / (2 * a);
  return [K, K * (1 - sum)];
}

/**
 * Onsager's internal energy per site of the infinite square lattice,
 * u(T) = -coth 2K [1 + (2/pi)(2 tanh^2 2K - 1) K1(kappa)], K = 1/T, kappa = 2 sinh 2K / cosh^2 2K,
 * evaluated through the AGM in a form that stays accurate at Tc, where u(Tc) = -sqrt 2. At the extremes
 * (K = 1/T >= 3 or <= 1e-3) the low- and high-temperature series are used instead, so u -> -2 as T -> 0
 * and u ~ -2 tanh(1/T) as T -> infinity, for any T up to Number.MAX_VALUE. O(1).
 * Reference: L. Onsager, Phys. Rev. 65, 117 (1944); K. Huang, Statistical Mechanics (1987), eq. 15.xx.
 * @param temperature - T > 0 in units of J.
 * @throws DomainError unless temperature is a finite number > 0.
 * @example
 * ```ts
 * import { onsagerEnergy } from 'coarsegrain';
 * const u = onsagerEnergy(2); // -1.74556... per site, infinite lattice at T = 2
 * ```
 */
export function onsagerEnergy(temperature: number): number {
  checkPositive(temperature, 'onsagerEnergy: temperature');
  const K = 1 / temperature;
  if (K >= LOW_T_K) {
    const x = Math.exp(-4 * K);
    return -2 + x * x * (8 + x * (24 + 72 * x));
  }
  if (K <= HIGH_T_K) {
    const t = Math.tanh(K);
    const t2 = t * t;
    return -2 * t - (1 - t2) * t2 * t * (4 + 12 * t2);
  }
  const s = Math.sinh(2 * K);
  const s2 = s * s;
  const coth = Math.cosh(2 * K) / s;
  if (s2 === 1) return -coth;
  // (2/pi) K1 = 1 / AGM(1, k'), k' = |1 - s^2| / (1 + s^2); (2 tanh^2 2K - 1) = (s^2 - 1)/(1 + s^2)
  const kprime = Math.abs(1 - s2) / (1 + s2);
  const [K1] = ellipticKE(kprime);
  return -coth * (1 + ((2 / Math.PI) * (s2 - 1) * K1) / (1 + s2));
}

/**
 * Onsager's specific heat per site of the infinite lattice, c = du/dT, from the analytic derivative of
 * {@link onsagerEnergy}: with x = 2K, s = sinh x, B = (s^2 - 1)/(1 + s^2) and F = (2/pi) K1(kappa),
 * du/dx = (1 + B F)/s^2 - coth x [B' F + B F'], B F' = (2/pi)(cosh x / s)[(1 - s^2)^2 K1 / (1 + s^2)^2 - E1],
 * c = -2 K^2 du/dx, with the complete elliptic integrals K1, E1 of modulus kappa = 2s / (1 + s^2).
 * Diverges logarithmically at Tc (returns Infinity there). At the extremes (K >= 3 or K <= 1e-3) the low-
 * and high-temperature series give c ~ 64 K^2 e^(-8K) and c ~ 2 K^2 (never negative, never NaN). O(1).
 * Reference: L. Onsager, Phys. Rev. 65, 117 (1944); K. Huang, Statistical Mechanics (1987), ch. 15.
 * @throws DomainError unless temperature is a finite number > 0.
 * @example
 * ```ts
 * import { onsagerSpecificHeat } from 'coarsegrain';
 * const c = onsagerSpecificHeat(2); // 0.72487... per site, infinite lattice at T = 2 (Infinity at Tc)
 * ```
 */
export function onsagerSpecificHeat(temperature: number): number {
  checkPositive(temperature, 'onsagerSpecificHeat: temperature');
  const K = 1 / temperature;
  if (K >= LOW_T_K) {
    const x = Math.exp(-4 * K);
    return (K * x) ** 2 * (64 + x * (288 + 1152 * x)); // (K x)^2: no Infinity x 0 at K = 1e300
  }
  if (K <= HIGH_T_K) return K * K * highTSecondDerivative(Math.tanh(K), 1, 4, 2);
  const s = Math.sinh(2 * K);
  const c = Math.cosh(2 * K);
  const s2 = s * s;
  if (s2 === 1) return Number.POSITIVE_INFINITY;
  const q = 1 + s2;
  const kprime = Math.abs(1 - s2) / q;
  const [K1, E1] = ellipticKE(kprime);
  const F = (2 / Math.PI) * K1;
  const B = (s2 - 1) / q;
  const dB = (4 * s * c) / (q * q);
  const BdF = (2 / Math.PI) * (c / s) * (((1 - s2) * (1 - s2) * K1) / (q * q) - E1);
  const dudx = (1 + B * F) / s2 - (c / s) * (dB * F + BdF);
  return -2 * K * K * dudx;
}

/**
 * d^2/dK^2 of ln Z / N = ln 2 + 2 ln cosh K + g(t), t = tanh K, for g(t) = a t^p + b t^(p+2): the
 * high-temperature series (a = 1, p = 4, b = 2 on the infinite lattice). dt/dK = 1 - t^2.
 */
function highTSecondDerivative(t: number, a: number, p: number, b: number): number {
  const u = 1 - t * t;
  const g1 = a * p * t ** (p - 1) + b * (p + 2) * t ** (p + 1);
  const g2 = a * p * (p - 1) * t ** (p - 2) + b * (p + 2) * (p + 1) * t ** p;
  return 2 * u + g2 * u * u - 2 * t * u * g1;
}

/**
 * Yang's spontaneous magnetisation per site of the infinite lattice, M = [1 - sinh^-4 2K]^(1/8) for
 * T < Tc and 0 for T >= Tc. O(1).
 * Reference: C. N. Yang, Phys. Rev. 85, 808 (1952).
 * @throws DomainError unless temperature is a finite number > 0.
 * @example
 * ```ts
 * import { yangMagnetization } from 'coarsegrain';
 * const m = yangMagnetization(2); // 0.91132... per site; 0 for T >= Tc
 * ```
 */
export function yangMagnetization(temperature: number): number {
  checkPositive(temperature, 'yangMagnetization: temperature');
  if (temperature >= ISING_TC) return 0;
  const s = Math.sinh(2 / temperature);
  const x = 1 - 1 / (s * s * s * s);
  return x > 0 ? x ** 0.125 : 0;
}

/**
 * Exact correlation length of the infinite square-lattice Ising model along a lattice axis, in lattice
 * spacings: the decay length of the connected spin-spin correlation, <s_0 s_r>_c ~ exp(-r / xi) at large
 * r. With K = 1 / T: xi^-1 = ln coth K - 2K above Tc and xi^-1 = 2 (2K - ln coth K) below Tc (the
 * connected correlation decays twice as fast below Tc); Infinity at Tc. O(1).
 * Reference: B. M. McCoy and T. T. Wu, The Two-Dimensional Ising Model (Harvard, 1973), ch. XI.
 * @example
 * ```ts
 * import { isingCorrelationLength } from 'coarsegrain';
 * isingCorrelationLength(2.5); // 5.96 lattice spacings
 * isingCorrelationLength(2.12); // 4.12: below Tc, the connected correlator's decay length
 * ```
 * @throws DomainError unless temperature is a finite number > 0.
 */
export function isingCorrelationLength(temperature: number): number {
  checkPositive(temperature, 'isingCorrelationLength: temperature');
  if (temperature === ISING_TC) return Number.POSITIVE_INFINITY;
  const K = 1 / temperature;
  const lnCothK = -Math.log(Math.tanh(K));
  const inverse = temperature > ISING_TC ? lnCothK - 2 * K : 2 * (2 * K - lnCothK);
  return inverse > 0 ? 1 / inverse : Number.POSITIVE_INFINITY;
}

/**
 * The temperatures [low, high] around Tc where the infinite-lattice correlation length
 * ({@link isingCorrelationLength}) is at least `length` lattice spacings: the critical window of a
 * finite lattice when `length` is its largest distance (lattice spacings). Bisection to 1e-12 in
 * temperature: O(100) evaluations of the closed form.
 * @throws DomainError unless length is a finite number > 0.
 */
export function isingCriticalWindow(length: number): [number, number] {
  checkPositive(length, 'isingCriticalWindow: length');
  // xi grows monotonically towards Tc from both sides: bisect each side for xi(T) = length
  const edge = (outside: number, inside: number): number => {
    for (let i = 0; i < 200 && Math.abs(inside - outside) > 1e-12; i++) {
      const mid = 0.5 * (outside + inside);
      if (isingCorrelationLength(mid) >= length) inside = mid;
      else outside = mid;
    }
    return inside;
  };
  return [edge(1e-3, ISING_TC), edge(1e3, ISING_TC)];
}

/** Exact thermodynamics of a finite L x L torus (J = 1, h = 0) from {@link kaufmanTorus}. */
export interface KaufmanResult {
  /** Natural log of the total partition function Z (not per site). */
  readonly logZ: number;
  /** Mean energy per site <E>/L^2. */
  readonly energy: number;
  /** Specific heat per site, beta^2 (<E^2> - <E>^2) / L^2. */
  readonly specificHeat: number;
}

interface ProductAccumulator {
  logScale: number;
  sign: number;
  /** Sum over r >= 1 of g'/g. */
  S: number;
  /** Sum over r >= 1 of g''/g - (g'/g)^2. */
  T: number;
  /** First factor scaled by exp(-|a0|), and its derivatives. */
  g0: number;
  g0p: number;
  g0pp: number;
}

/**
 * Kaufman's exact partition function of the L x L torus (J = 1, h = 0):
 * Z = 1/2 (2 sinh 2K)^(L^2/2) sum_{i=1..4} Z_i with Z_1 = prod_r 2 cosh(L gamma_{2r+1}/2),
 * Z_2 = prod_r 2 sinh(L gamma_{2r+1}/2), Z_3 = prod_r 2 cosh(L gamma_{2r}/2), Z_4 = prod_r 2 sinh(L gamma_{2r}/2),
 * r = 0..L-1, cosh gamma_k = cosh 2K coth 2K - cos(pi k / L) and gamma_0 = 2K + ln tanh K (which changes
 * sign at Tc). Evaluated in logarithms (no overflow for any L) with analytic first and second derivatives
 * in K, so the energy and specific heat are exact to rounding, including at Tc (checked against
 * enumeration to 1e-10 and against Onsager at L = 1000). The specific heat subtracts terms of size L^2, so
 * it loses about log10(L^2) - 6 digits beyond L ~ 10^4 (relative error ~1e-3 at L = 10^5); the energy
 * and log Z stay accurate. At the extremes (K = 1/T >= 3 or <= 1e-3, where the closed form overflows or
 * cancels) the low- and high-temperature series are used (exactly from the broken-bond counts for
 * L <= 4), so the ground state (log Z = 2NK + ln 2, energy -2) and the free-spin limit are returned for
 * any T > 0. O(L).
 * Reference: B. Kaufman, Phys. Rev. 76, 1232 (1949); A. E. Ferdinand and M. E. Fisher, Phys. Rev. 185,
 * 832 (1969); P. D. Beale, Phys. Rev. Lett. 76, 78 (1996).
 * @param L - linear size, integer >= 2.
 * @param temperature - T > 0 in units of J.
 * @throws DomainError for a bad L or temperature.
 * @example
 * ```ts
 * import { ISING_TC, kaufmanTorus } from 'coarsegrain';
 * const { logZ, energy, specificHeat } = kaufmanTorus(10, ISING_TC); // the exact 10 x 10 torus
 * // energy: -1.47624... per site, specificHeat: 1.26002... per site, logZ: 93.6103...
 * ```
 */
export function kaufmanTorus(L: number, temperature: number): KaufmanResult {
  checkInteger(L, 'kaufmanTorus: L', 2, 1 << 20);
  checkPositive(temperature, 'kaufmanTorus: temperature');
  const K = 1 / temperature;
  const N = L * L;
  if (L <= 4 && (K >= LOW_T_K || K <= HIGH_T_K)) return smallTorusSeries(L, K);
  if (K >= LOW_T_K) {
    // L >= 5: the infinite-lattice low-temperature series holds up to x^4 (walls around the torus cost
    // 2L >= 10 bonds); the ln 2 counts the two ground states
    const x = Math.exp(-4 * K);
    const x2 = x * x;
    return {
      logZ: 2 * N * K + Math.LN2 + N * x2 * (1 + x * (2 + 4.5 * x)),
      energy: -2 + x2 * (8 + x * (24 + 72 * x)),
      specificHeat: (K * x) ** 2 * (64 + x * (288 + 1152 * x)),
    };
  }
  if (K <= HIGH_T_K) {
    // L >= 5: plaquettes t^4, 1 x 2 rectangles 2 t^6, and the 2L straight loops around the torus (2L/N) t^L
    const t = Math.tanh(K);
    const u = 1 - t * t;
    const terms: [number, number][] = [
      [1, 4],
      [2, 6],
      [(2 * L) / N, L],
    ];
    let g = 0;
    let g1 = 0;
    let g2 = 0;
    for (const [a, p] of terms) {
      g += a * t ** p;
      g1 += a * p * t ** (p - 1);
      g2 += a * p * (p - 1) * t ** (p - 2);
    }
    const logCosh = K - Math.LN2 + Math.log1p(Math.exp(-2 * K));
    return {
      logZ: N * (Math.LN2 + 2 * logCosh + g),
      energy: -(2 * t + g1 * u),
      specificHeat: K * K * (2 * u + g2 * u * u - 2 * t * u * g1),
    };
  }
  const x = 2 * K;
  const sx = Math.sinh(x);
  const cx = Math.cosh(x);
  // c(K) = cosh^2 2K / sinh 2K and its K-derivatives
  const cp = 2 * (cx - cx / (sx * sx));
  const cpp = 4 * (sx + (sx * sx + 2) / (sx * sx * sx));
  const cMinus2 = ((sx - 1) * (sx - 1)) / sx; // c - 2, accurate near Tc
  const half = L / 2;

  // gamma_k and derivatives; k in 0..2L-1
  const gammaOf = (k: number): [number, number, number] => {
    if (k === 0) {
      const g = 2 * K + Math.log(Math.tanh(K));
      return [g, 2 + 2 / sx, (-4 * cx) / (sx * sx)];
    }
    const sinHalf = Math.sin((Math.PI * k) / (2 * L));
    const cm1 = cMinus2 + 1 + 2 * sinHalf * sinHalf - 1; // C - 1 = (c - 2) + 2 sin^2(theta/2)
    const shg = Math.sqrt(cm1 * (cm1 + 2));
    const g = Math.log1p(cm1 + shg);
    const gp = cp / shg;
    const gpp = (cpp - (cm1 + 1) * gp * gp) / shg;
    return [g, gp, gpp];
  };

  const accs: ProductAccumulator[] = [];
  for (let product = 0; product < 4; product++) {
    const odd = product < 2 ? 1 : 0;
    const isSinh = product === 1 || product === 3;
    const acc: ProductAccumulator = { logScale: 0, sign: 1, S: 0, T: 0, g0: 0, g0p: 0, g0pp: 0 };
    for (let r = 0; r < L; r++) {
      const [g, gp, gpp] = gammaOf(2 * r + odd);
      const a = half * g;
      const ap = half * gp;
      const app = half * gpp;
      const abs = Math.abs(a);
      const sgn = a < 0 ? -1 : 1;
      const e = Math.exp(-2 * abs);
      const em = -Math.expm1(-2 * abs); // 1 - e^{-2|a|}
      if (r === 0) {
        acc.logScale += abs;
        if (isSinh) {
          acc.g0 = sgn * em;
          acc.g0p = (1 + e) * ap;
          acc.g0pp = sgn * em * ap * ap + (1 + e) * app;
        } else {
          acc.g0 = 1 + e;
          acc.g0p = sgn * em * ap;
          acc.g0pp = (1 + e) * ap * ap + sgn * em * app;
        }
      } else if (isSinh) {
        acc.logScale += abs + Math.log(em);
        acc.sign *= sgn;
        const coth = 1 / Math.tanh(a);
        const csch2 = coth * coth - 1;
        acc.S += coth * ap;
        acc.T += -csch2 * ap * ap + coth * app;
      } else {
        acc.logScale += abs + Math.log1p(e);
        const th = Math.tanh(a);
        acc.S += th * ap;
        acc.T += (1 - th * th) * ap * ap + th * app;
      }
    }
    accs.push(acc);
  }
  let lmax = Number.NEGATIVE_INFINITY;
  for (const acc of accs) lmax = Math.max(lmax, acc.logScale);
  let W = 0;
  let Wp = 0;
  let Wpp = 0;
  for (const acc of accs) {
    const w = acc.sign * Math.exp(acc.logScale - lmax);
    W += w * acc.g0;
    Wp += w * (acc.g0p + acc.g0 * acc.S);
    Wpp += w * (acc.g0pp + 2 * acc.g0p * acc.S + acc.g0 * (acc.S * acc.S + acc.T));
  }
  const logZ = Math.log(0.5) + (N / 2) * Math.log(2 * sx) + lmax + Math.log(W);
  const dlogZ = N * (cx / sx) + Wp / W;
  const d2logZ = (-2 * N) / (sx * sx) + Wpp / W - (Wp / W) ** 2;
  return { logZ, energy: -dlogZ / N, specificHeat: (K * K * d2logZ) / N };
}

/**
 * Number of configurations of the L x L torus (L <= 4) with m broken bonds, m = 0..2N (bonds to the right
 * and down neighbour, with wrap-around; at L = 2 each pair is joined twice). Exact integers.
 */
function brokenBondCounts(L: number): Float64Array {
  const N = L * L;
  const counts = new Float64Array(2 * N + 1);
  for (let state = 0; state < 1 << N; state++) {
    let m = 0;
    for (let y = 0; y < L; y++)
      for (let x = 0; x < L; x++) {
        const s = (state >> (y * L + x)) & 1;
        if (s !== ((state >> (y * L + ((x + 1) % L))) & 1)) m++;
        if (s !== ((state >> (((y + 1) % L) * L + x)) & 1)) m++;
      }
    counts[m]!++;
  }
  return counts;
}

/**
 * Exact thermodynamics of the L x L torus for L <= 4 at extreme couplings, from the counts of broken bonds
 * (all terms positive, so nothing cancels). Low T (K >= 3): Z = e^(2NK) sum_m n_m y^m with y = e^(-2K).
 * High T (K <= 1e-3): Z = 2^N cosh^(2N) K P(t), t = tanh K, P(t) = 2^-N sum_m n_m (1 - t)^m (1 + t)^(2N - m),
 * whose coefficients (numbers of closed bond sets) are non-negative integers computed exactly.
 */
function smallTorusSeries(L: number, K: number): KaufmanResult {
  const N = L * L;
  const bonds = 2 * N;
  const counts = brokenBondCounts(L);
  if (K >= LOW_T_K) {
    // moments of m under weights n_m y^m; m = 0 has n_0 = 2 (the two ground states)
    const y = Math.exp(-2 * K);
    let z = 0;
    let m1 = 0;
    let m2 = 0;
    for (let m = bonds; m >= 0; m--) {
      const w = counts[m]! * y ** m;
      z += w;
      m1 += m * w;
      m2 += m * m * w;
    }
    const mean = m1 / z;
    return {
      logZ: 2 * N * K + Math.log(z),
      energy: (-2 * N + 2 * mean) / N,
      specificHeat: y === 0 ? 0 : (K * K * 4 * (m2 / z - mean * mean)) / N,
    };
  }
  // P(t) coefficients: a_k = 2^-N sum_m n_m [t^k] (1 - t)^m (1 + t)^(bonds - m)
  const binom: number[][] = [[1]];
  for (let n = 1; n <= bonds; n++) {
    const row = [1];
    for (let k = 1; k < n; k++) row.push(binom[n - 1]![k - 1]! + binom[n - 1]![k]!);
    row.push(1);
    binom.push(row);
  }
  const a = new Float64Array(bonds + 1);
  for (let m = 0; m <= bonds; m++) {
    if (counts[m] === 0) continue;
    for (let j = 0; j <= m; j++)
      for (let i = 0; i <= bonds - m; i++)
        a[i + j]! += counts[m]! * (j % 2 === 0 ? 1 : -1) * binom[m]![j]! * binom[bonds - m]![i]!;
  }
  const t = Math.tanh(K);
  let P = 0;
  let P1 = 0;
  let P2 = 0;
  for (let k = bonds; k >= 0; k--) {
    const ak = a[k]! / 2 ** N;
    P = P * t + ak;
    if (k >= 1) P1 = P1 * t + k * ak;
    if (k >= 2) P2 = P2 * t + k * (k - 1) * ak;
  }
  // P1 = sum k a_k t^(k-1) and P2 = sum k (k-1) a_k t^(k-2) by Horner over the shifted coefficients
  const u = 1 - t * t;
  const r1 = P1 / P;
  const r2 = P2 / P - r1 * r1;
  const logCosh = K - Math.LN2 + Math.log1p(Math.exp(-2 * K));
  return {
    logZ: N * (Math.LN2 + 2 * logCosh) + Math.log(P),
    energy: -(2 * N * t + r1 * u) / N,
    specificHeat: (K * K * (2 * N * u + r2 * u * u - 2 * t * u * r1)) / N,
  };
}

/** Exact ensemble averages of a small L x L torus from {@link enumerateIsing2D}; per site. */
export interface EnumerationResult {
  /** Natural log of the total partition function Z (not per site). */
  readonly logZ: number;
  /** <e>, e = E / N (includes the field term). */
  readonly energy: number;
  /** <m>, m = M / N (0 when h = 0). */
  readonly magnetization: number;
  /** <|m|>. */
  readonly absMagnetization: number;
  /** <m^2>. */
  readonly magnetization2: number;
  /** <m^4>. */
  readonly magnetization4: number;
  /** c = beta^2 N (<e^2> - <e>^2). */
  readonly specificHeat: number;
  /** chi = beta N (<m^2> - <|m|>^2) (the finite-size convention of docs/conventions.md). */
  readonly susceptibility: number;
}

/**
 * Exact averages of the L x L Ising torus (J = 1, field h) by summing over all 2^(L^2) configurations,
 * for L <= 4 (65536 states at L = 4). Weights are shifted by the ground-state energy, so no overflow at
 * any temperature. O(2^(L^2) L^2).
 * @param L - linear size, integer in [2, 4].
 * @param temperature - T > 0 in units of J.
 * @param h - external field (default 0).
 * @throws DomainError for L outside [2, 4], a non-positive or non-finite temperature, or a non-finite h.
 * @example
 * ```ts
 * import { ISING_TC, enumerateIsing2D } from 'coarsegrain';
 * const exact = enumerateIsing2D(4, ISING_TC); // all 2^16 states of the 4 x 4 torus, per-site averages
 * exact.absMagnetization; // 0.84386...
 * exact.energy; // -1.56562... (units of J per site)
 * ```
 */
export function enumerateIsing2D(L: number, temperature: number, h = 0): EnumerationResult {
  checkInteger(L, 'enumerateIsing2D: L', 2, 4);
  checkPositive(temperature, 'enumerateIsing2D: temperature');
  checkFinite(h, 'enumerateIsing2D: h');
  const beta = 1 / temperature;
  const N = L * L;
  const states = 2 ** N;
  const energies = new Float64Array(states);
  const mags = new Float64Array(states);
  const spins = new Int8Array(N);
  let emin = Number.POSITIVE_INFINITY;
  for (let c = 0; c < states; c++) {
    let M = 0;
    for (let i = 0; i < N; i++) {
      const s = (c >>> i) & 1 ? 1 : -1;
      spins[i] = s;
      M += s;
    }
    const E = ising2dEnergyKernel(spins, L, 1, h);
    energies[c] = E;
    mags[c] = M;
    if (E < emin) emin = E;
  }
  // two passes (means, then central moments) so c and chi keep full precision at low temperature
  const weights = new Float64Array(states);
  let z = 0;
  let se = 0;
  let sm = 0;
  let sam = 0;
  for (let c = 0; c < states; c++) {
    const w = Math.exp(-beta * (energies[c]! - emin));
    weights[c] = w;
    z += w;
    se += w * energies[c]!;
    sm += w * mags[c]!;
    sam += w * Math.abs(mags[c]!);
  }
  const meanE = se / z;
  const meanAbsM = sam / z;
  let varE = 0;
  let varAbsM = 0;
  let sm2 = 0;
  let sm4 = 0;
  for (let c = 0; c < states; c++) {
    const w = weights[c]!;
    const de = energies[c]! - meanE;
    const dm = Math.abs(mags[c]!) - meanAbsM;
    const m2 = mags[c]! * mags[c]!;
    varE += w * de * de;
    varAbsM += w * dm * dm;
    sm2 += w * m2;
    sm4 += w * m2 * m2;
  }
  const energy = meanE / N;
  const absMagnetization = meanAbsM / N;
  const magnetization2 = sm2 / z / (N * N);
  return {
    logZ: Math.log(z) - beta * emin,
    energy,
    magnetization: sm / z / N,
    absMagnetization,
    magnetization2,
    magnetization4: sm4 / z / (N * N * N * N),
    // c = beta^2 N var(e) = beta^2 var(E) / N;  chi = beta N (<m^2> - <|m|>^2) = beta var(|M|) / N
    specificHeat: (beta * beta * varE) / z / N,
    susceptibility: (beta * varAbsM) / z / N,
  };
}
