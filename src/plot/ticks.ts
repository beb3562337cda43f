/**
 * Axis scales and "nice" ticks: 1-2-5 steps on linear axes, decades (with 2..9 minor ticks) on log axes.
 * @module
 */
import { checkFinite, checkPositive, domainError } from '../core/validate.js';

/** Axis type. */
export type AxisScale = 'linear' | 'log';

/** A tick: its data value, whether it is labelled (major) and its label. */
export interface Tick {
  readonly value: number;
  readonly major: boolean;
  readonly label: string;
  /** For log decades, the exponent k of 10^k (drawn as a superscript). */
  readonly exponent?: number;
}

/** A 1-2-5 step close to `span / target`. */
export function niceStep(span: number, target: number): number {
  const raw = span / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * power;
}

/**
 * Format a linear tick value with the decimals its step needs ("0.25", "1e+06" for huge values).
 * @throws DomainError unless `value` is a finite number and `step` a finite number > 0.
 */
export function formatTick(value: number, step: number): string {
  checkFinite(value, 'formatTick: value');
  checkPositive(step, 'formatTick: step');
  if (value === 0) return '0';
  const a = Math.abs(value);
  if (a >= 1e6 || a < 1e-4) {
    const digits = Math.max(0, Math.min(6, Math.ceil(Math.log10(a / step) - 1e-9)));
    return value.toExponential(digits).replace(/\.?0+e/, 'e');
  }
  const decimals = Math.max(0, Math.min(10, -Math.floor(Math.log10(step) + 1e-9)));
  const s = value.toFixed(decimals);
  return /^-0(\.0*)?$/.test(s) ? '0' : s;
}

/**
 * A nice linear domain and its ticks: the domain [lo, hi] is widened to whole steps.
 * A degenerate span (lo == hi) is widened by 1 (or 10% of |lo|) on each side.
 */
export function linearTicks(lo: number, hi: number, target = 6): { domain: [number, number]; ticks: Tick[] } {
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep(hi - lo, target);
  const start = Math.floor(lo / step + 1e-9);
  const end = Math.ceil(hi / step - 1e-9);
  const ticks: Tick[] = [];
  for (let i = start; i <= end; i++) {
    const value = i * step;
    ticks.push({ value, major: true, label: formatTick(value, step) });
  }
  return { domain: [start * step, end * step], ticks };
}

/**
 * A log domain widened to whole decades and its ticks: every decade 10^k is a major tick (labelled
 * "10^k"; every m-th decade when there are more than 10), 2..9 x 10^k are minor ticks (labelled when the
 * domain spans a single decade).
 * @throws DomainError unless 0 < lo <= hi are finite.
 */
export function logTicks(lo: number, hi: number): { domain: [number, number]; ticks: Tick[] } {
  if (!(lo > 0) || !(hi >= lo) || !Number.isFinite(hi)) {
    throw domainError(
      'logTicks: domain',
      'finite 0 < lo <= hi (a log axis needs positive values)',
      `[${lo}, ${hi}]`,
    );
  }
  let k0 = Math.floor(Math.log10(lo) + 1e-9);
  let k1 = Math.ceil(Math.log10(hi) - 1e-9);
  if (k1 === k0) k1 = k0 + 1;
  const decades = k1 - k0;
  const every = Math.ceil(decades / 10);
  if (every > 1) {
    k0 = Math.floor(k0 / every) * every;
    k1 = Math.ceil(k1 / every) * every;
  }
  const ticks: Tick[] = [];
  for (let k = k0; k <= k1; k++) {
    const labelled = (k - k0) % every === 0;
    ticks.push({ value: 10 ** k, major: labelled, label: labelled ? `10^${k}` : '', exponent: k });
    if (k < k1 && every === 1) {
      for (let m = 2; m <= 9; m++) {
        const value = m * 10 ** k;
        const label = decades === 1 && (m === 2 || m === 5) ? formatTick(value, 10 ** k) : '';
        ticks.push({ value, major: false, label });
      }
    }
  }
  return { domain: [10 ** k0, 10 ** k1], ticks };
}

/**
 * A log domain fitted to the data: [lo, hi] widened by `pad` (fraction of the span in decades) on each
 * side, with ticks at the decades 10^k inside it (major, labelled "10^k") and at 2..9 x 10^k (minor).
 * When fewer than two decades are visible, the ticks 2 and 5 x 10^k are labelled too (all of 2..9 x 10^k
 * if that still gives fewer than two labels) and count as major (with grid lines). Over more than 10 decades minor ticks are left out
 * and every m-th decade is labelled.
 * @throws DomainError unless 0 < lo <= hi are finite.
 */
export function logTicksFitted(
  lo: number,
  hi: number,
  pad = 0.04,
): { domain: [number, number]; ticks: Tick[] } {
  if (!(lo > 0) || !(hi >= lo) || !Number.isFinite(hi)) {
    throw domainError(
      'logTicksFitted: domain',
      'finite 0 < lo <= hi (a log axis needs positive values)',
      `[${lo}, ${hi}]`,
    );
  }
  let l0 = Math.log10(lo);
  let l1 = Math.log10(hi);
  if (l1 - l0 < 1e-9) {
    l0 -= 0.5;
    l1 += 0.5;
  }
  const span = l1 - l0;
  const a = l0 - pad * span;
  const b = l1 + pad * span;
  const inside = (v: number) => Math.log10(v) >= a - 1e-12 && Math.log10(v) <= b + 1e-12;
  const k0 = Math.floor(a);
  const k1 = Math.ceil(b);
  const decades = k1 - k0;
  const every = Math.max(1, Math.ceil(decades / 10));
  const ticks: { value: number; m: number; k: number }[] = [];
  for (let k = k0; k <= k1; k++) {
    for (let m = 1; m <= (decades > 10 ? 1 : 9); m++) {
      const value = m * 10 ** k;
      if (inside(value)) ticks.push({ value, m, k });
    }
  }
  const majors = ticks.filter((t) => t.m === 1).length;
  let labelled = (t: { m: number; k: number }) => t.m === 1 && ((t.k % every) + every) % every === 0;
  if (majors < 2) {
    const some = (t: { m: number }) => t.m === 1 || t.m === 2 || t.m === 5;
    labelled = ticks.filter(some).length >= 2 ? some : () => true;
  }
  return {
    domain: [10 ** a, 10 ** b],
    ticks: ticks.map((t) => {
      const show = labelled(t);
      if (t.m === 1 && show) return { value: t.value, major: true, label: `10^${t.k}`, exponent: t.k };
      return { value: t.value, major: t.m === 1 || show, label: show ? formatTick(t.value, 10 ** t.k) : '' };
    }),
  };
}

/** A map from data values to pixels: `range[0]` at `domain[0]`, `range[1]` at `domain[1]`. */
export function createScale(
  kind: AxisScale,
  domain: readonly [number, number],
  range: readonly [number, number],
): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (kind === 'log') {
    const l0 = Math.log10(d0);
    const span = Math.log10(d1) - l0 || 1;
    return (v) => r0 + ((Math.log10(v) - l0) / span) * (r1 - r0);
  }
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}
