/**
 * Grouped bar charts with error bars (e.g. subspace overlaps per data set, speed-up factors), as SVG text.
 * @module
 */
import type { NumericArray } from '../core/validate.js';
import {
  checkInteger,
  checkOneOf,
  checkOptions,
  domainError,
  optionKeys,
  shapeError,
} from '../core/validate.js';
import {
  drawAxes,
  drawLegend,
  drawTitle,
  type Frame,
  type LegendEntry,
  type LegendPosition,
} from './axes.js';
import { escapeXml, fmt, PALETTE, svgDocument } from './svg.js';
import { createScale, linearTicks, type Tick } from './ticks.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const BAR_CHART_OPTIONS_KEYS = optionKeys<BarChartOptions>({
  categories: true,
  groups: true,
  title: true,
  xLabel: true,
  yLabel: true,
  width: true,
  height: true,
  legend: true,
  yDomain: true,
});

/** One group of bars: one value (and optional error) per category. */
export interface BarGroup {
  readonly label: string;
  readonly values: NumericArray;
  readonly errors?: NumericArray;
  readonly color?: string;
}

/** Options of {@link barChart}. */
export interface BarChartOptions {
  readonly categories: readonly string[];
  readonly groups: readonly BarGroup[];
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  readonly width?: number;
  readonly height?: number;
  /** Legend corner, or false for none (default 'top-right'). */
  readonly legend?: boolean | LegendPosition;
  /** Fixed value range (default from the data, always including 0). */
  readonly yDomain?: readonly [number, number];
}

/**
 * An SVG grouped bar chart: categories along x, one bar per group inside each category, bars from 0,
 * symmetric error bars. Deterministic output.
 * @throws ShapeError if a group's values/errors differ in length from the categories; DomainError for
 * non-finite values, negative errors, no categories or no groups.
 * @example
 * ```ts
 * import { barChart } from 'coarsegrain';
 * const svg = barChart({
 *   categories: ['Ising', 'MNIST'],
 *   groups: [
 *     { label: 'RBM', values: [0.9, 0.6], errors: [0.02, 0.03] },
 *     { label: 'PCA', values: [0.8, 0.7], errors: [0.01, 0.02] },
 *   ],
 *   yLabel: 'overlap',
 * }); // an SVG document (string); in Node, write it with fs.writeFileSync('overlap.svg', svg)
 * ```
 */
export function barChart(options: BarChartOptions): string {
  options = checkOptions(options, 'barChart: options', BAR_CHART_OPTIONS_KEYS, true);
  const fn = 'barChart';
  const { categories, groups, title = '', xLabel = '', yLabel = '' } = options;
  const width = checkInteger(options.width ?? 640, `${fn}: width`, 200, 10000);
  const height = checkInteger(options.height ?? 420, `${fn}: height`, 150, 10000);
  if (!Array.isArray(categories) || categories.length === 0)
    throw domainError(`${fn}: categories`, 'a non-empty array of names', categories);
  if (!Array.isArray(groups) || groups.length === 0)
    throw domainError(`${fn}: groups`, 'a non-empty array of groups', groups);
  const m = categories.length;
  let lo = 0;
  let hi = 0;
  groups.forEach((g, i) => {
    const name = `${fn}: groups[${i}]`;
    checkOptions(g, name, ['label', 'values', 'errors', 'color'], true);
    if (!g || g.values?.length !== m)
      throw shapeError(`${name}.values`, `${m} values (one per category)`, `${g?.values?.length}`);
    if (g.errors && g.errors.length !== m)
      throw shapeError(`${name}.errors`, `${m} errors`, `${g.errors.length}`);
    for (let j = 0; j < m; j++) {
      const v = g.values[j]!;
      if (!Number.isFinite(v)) throw domainError(`${name}.values[${j}]`, 'a finite number', v);
      const e = g.errors ? g.errors[j]! : 0;
      if (!Number.isFinite(e) || e < 0) throw domainError(`${name}.errors[${j}]`, 'a finite number >= 0', e);
      lo = Math.min(lo, v - e);
      hi = Math.max(hi, v + e);
    }
  });
  let domain: [number, number];
  let ticks: Tick[];
  if (options.yDomain) {
    const [a, b] = options.yDomain;
    if (!Number.isFinite(a) || !Number.isFinite(b) || !(a < b))
      throw domainError(`${fn}: yDomain`, 'finite lo < hi', `[${a}, ${b}]`);
    domain = [a, b];
    ticks = linearTicks(a, b).ticks.filter((t) => t.value >= a - 1e-12 && t.value <= b + 1e-12);
  } else {
    ({ domain, ticks } = linearTicks(lo, hi));
  }
  const frame: Frame = { left: 72, top: 40, width: width - 92, height: height - 96 };
  const sy = createScale('linear', domain, [frame.top + frame.height, frame.top]);
  const slot = frame.width / m;
  const barWidth = (slot * 0.8) / groups.length;
  let body = drawAxes(
    frame,
    categories.map((c, j) => ({
      value: j,
      major: false,
      label: String(c),
      px: frame.left + slot * (j + 0.5),
    })),
    ticks.map((t) => ({ ...t, px: sy(t.value) })),
    xLabel,
    yLabel,
  );
  const zero = sy(Math.min(Math.max(0, domain[0]), domain[1]));
  const legend: LegendEntry[] = [];
  groups.forEach((g, i) => {
    const color = escapeXml(g.color ?? PALETTE[i % PALETTE.length]!);
    let out = `<g class="bar-group" data-index="${i}" fill="${color}">\n`;
    let bars = '';
    for (let j = 0; j < m; j++) {
      const v = g.values[j]!;
      const x = frame.left + slot * j + slot * 0.1 + barWidth * i;
      const y = sy(v);
      out += `<rect class="bar" x="${fmt(x)}" y="${fmt(Math.min(y, zero))}" width="${fmt(barWidth)}" height="${fmt(Math.abs(zero - y))}"/>\n`;
      const e = g.errors ? g.errors[j]! : 0;
      if (e > 0) {
        const cx = x + barWidth / 2;
        bars += `M${fmt(cx)} ${fmt(sy(v + e))}V${fmt(sy(v - e))}M${fmt(cx - 3)} ${fmt(sy(v + e))}H${fmt(cx + 3)}M${fmt(cx - 3)} ${fmt(sy(v - e))}H${fmt(cx + 3)}`;
      }
    }
    if (bars) out += `<path class="error-bars" d="${bars}" stroke="#222222" fill="none"/>\n`;
    body += `${out}</g>\n`;
    legend.push({ label: g.label, color, line: false, marker: true });
  });
  const position = options.legend ?? true;
  if (position !== false) {
    body += drawLegend(
      frame,
      legend,
      position === true
        ? 'top-right'
        : checkOneOf(position, `${fn}: legend`, [
            'top-right',
            'top-left',
            'bottom-right',
            'bottom-left',
          ] as const),
    );
  }
  body += drawTitle(frame, title);
  return svgDocument(width, height, body, title);
}
