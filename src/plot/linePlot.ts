/**
 * Line and scatter plots with error bars, linear or log axes, reference lines and a legend, as SVG text.
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
import { escapeXml, fmt, PALETTE, svgDocument, text } from './svg.js';
import { type AxisScale, createScale, linearTicks, logTicksFitted, type Tick } from './ticks.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const LINE_PLOT_OPTIONS_KEYS = optionKeys<LinePlotOptions>({
  series: true,
  title: true,
  xLabel: true,
  yLabel: true,
  xScale: true,
  yScale: true,
  width: true,
  height: true,
  xDomain: true,
  yDomain: true,
  referenceLines: true,
  legend: true,
});
const LINE_SERIES_KEYS = optionKeys<LineSeries>({
  x: true,
  y: true,
  yError: true,
  band: true,
  label: true,
  style: true,
  color: true,
  dashed: true,
  bounds: true,
});
const REFERENCE_LINE_KEYS = optionKeys<ReferenceLine>({ x: true, y: true, label: true, color: true });

/** One data series of a {@link linePlot}. */
export interface LineSeries {
  readonly x: NumericArray;
  readonly y: NumericArray;
  /** Symmetric error bars: y +- yError (same length as y). */
  readonly yError?: NumericArray;
  /** A shaded band between `lower` and `upper` (same length as y), e.g. the spread over seeds. */
  readonly band?: { readonly lower: NumericArray; readonly upper: NumericArray };
  /** Legend label ('' or absent: not in the legend). */
  readonly label?: string;
  /** 'line' (default), 'points' (markers), or 'both'. */
  readonly style?: 'line' | 'points' | 'both';
  /** CSS colour; default the palette colour of the series' index. */
  readonly color?: string;
  /** Dashed line (e.g. an exact power law drawn beside measurements). */
  readonly dashed?: boolean;
  /**
   * Points whose value is only a bound (same length as y; `null` = an ordinary point): 'above' means the
   * true value is >= y, 'below' that it is <= y, e.g. a thermometer reading at or beyond its grid with y
   * the grid's edge. Such a point is drawn as an open marker with an arrow pointing beyond it, gets no
   * error bar, and the series' line is broken there (a bound is not a value to join).
   */
  readonly bounds?: readonly ('above' | 'below' | null)[];
}

/** A horizontal (`y`) or vertical (`x`) reference line across the plot, e.g. Tc or the fixed point. */
export interface ReferenceLine {
  readonly x?: number;
  readonly y?: number;
  readonly label?: string;
  readonly color?: string;
}

/** Options of {@link linePlot}. */
export interface LinePlotOptions {
  readonly series: readonly LineSeries[];
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  readonly xScale?: AxisScale;
  readonly yScale?: AxisScale;
  /** Pixel size of the whole SVG (default 640 x 420). */
  readonly width?: number;
  readonly height?: number;
  /** Fixed axis ranges (otherwise from the data, widened to nice ticks / whole decades). */
  readonly xDomain?: readonly [number, number];
  readonly yDomain?: readonly [number, number];
  readonly referenceLines?: readonly ReferenceLine[];
  /** Legend corner, or false for none (default 'top-right'; only labelled series are listed). */
  readonly legend?: boolean | LegendPosition;
}

const MARGIN = { left: 72, right: 20, top: 40, bottom: 56 };

function axisTicks(
  kind: AxisScale,
  values: number[],
  fixed: readonly [number, number] | undefined,
  name: string,
): { domain: [number, number]; ticks: Tick[] } {
  if (fixed) {
    const [lo, hi] = fixed;
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi) || (kind === 'log' && lo <= 0)) {
      throw domainError(name, `finite lo < hi${kind === 'log' ? ' with lo > 0' : ''}`, `[${lo}, ${hi}]`);
    }
    const t = kind === 'log' ? logTicksFitted(lo, hi, 0) : linearTicks(lo, hi);
    return {
      domain: [lo, hi],
      ticks: t.ticks.filter((k) => k.value >= lo * (1 - 1e-12) && k.value <= hi * (1 + 1e-12)),
    };
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (kind === 'log' && !(v > 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) {
    lo = kind === 'log' ? 1 : 0;
    hi = kind === 'log' ? 10 : 1;
  }
  return kind === 'log' ? logTicksFitted(lo, hi) : linearTicks(lo, hi);
}

/**
 * An SVG line/scatter plot.
 *
 * Axes: linear axes are widened to whole 1-2-5 steps; log axes span the data plus 4% (in decades) on
 * each side, with decade ticks (see logTicksFitted).
 *
 * Rules: every x, y and yError value must be finite (NaN or Infinity throws). On a log axis, points
 * whose value is <= 0 are skipped (a line is broken there) and error-bar ends <= 0 are clipped to the
 * bottom of the axis; data outside a fixed domain is clipped by the frame. The output is deterministic:
 * the same input gives byte-identical SVG.
 * @returns a standalone SVG document (string).
 * @throws ShapeError if x, y (and yError) differ in length; DomainError for non-finite data, negative
 * error bars, bad sizes or domains, bad `bounds`, or an empty series list. Points in `bounds` are drawn
 * as open markers with an arrow (above: up; below: down) and break the line.
 * @example
 * ```ts
 * import { linePlot } from 'coarsegrain';
 * const r = [1, 2, 4, 8];
 * const svg = linePlot({
 *   series: [{ x: r, y: r.map((x) => 0.7 * x ** -0.25), yError: [0.01, 0.01, 0.01, 0.01], label: 'G(r)', style: 'points' }],
 *   xScale: 'log',
 *   yScale: 'log',
 *   xLabel: 'r',
 * }); // a standalone SVG document; the same input gives byte-identical output
 * ```
 */
export function linePlot(options: LinePlotOptions): string {
  options = checkOptions(options, 'linePlot: options', LINE_PLOT_OPTIONS_KEYS, true);
  const fn = 'linePlot';
  const { series, title = '', xLabel = '', yLabel = '', referenceLines = [] } = options;
  const xScale = checkOneOf(options.xScale ?? 'linear', `${fn}: xScale`, ['linear', 'log'] as const);
  const yScale = checkOneOf(options.yScale ?? 'linear', `${fn}: yScale`, ['linear', 'log'] as const);
  const width = checkInteger(options.width ?? 640, `${fn}: width`, 200, 10000);
  const height = checkInteger(options.height ?? 420, `${fn}: height`, 150, 10000);
  if (!Array.isArray(series) || series.length === 0)
    throw domainError(`${fn}: series`, 'a non-empty array of series', series);
  const xs: number[] = [];
  const ys: number[] = [];
  series.forEach((s, i) => {
    const name = `${fn}: series[${i}]`;
    if (!s || s.x === undefined || s.y === undefined)
      throw domainError(name, 'an object with x and y arrays', s);
    checkOptions(s, name, LINE_SERIES_KEYS, true);
    if (s.band !== undefined) checkOptions(s.band, `${name}.band`, ['lower', 'upper'], true);
    if (s.x.length !== s.y.length)
      throw shapeError(`${name}.y`, `length ${s.x.length} (as x)`, `length ${s.y.length}`);
    if (s.yError && s.yError.length !== s.y.length) {
      throw shapeError(`${name}.yError`, `length ${s.y.length} (as y)`, `length ${s.yError.length}`);
    }
    if (s.style !== undefined) checkOneOf(s.style, `${name}.style`, ['line', 'points', 'both'] as const);
    if (s.bounds !== undefined) {
      if (!Array.isArray(s.bounds) || s.bounds.length !== s.y.length)
        throw shapeError(`${name}.bounds`, `length ${s.y.length} (as y)`, `length ${s.bounds?.length}`);
      for (let j = 0; j < s.bounds.length; j++) {
        const b: unknown = s.bounds[j];
        if (b !== null) checkOneOf(b, `${name}.bounds[${j}]`, ['above', 'below'] as const);
      }
    }
    if (s.band) {
      for (const side of ['lower', 'upper'] as const) {
        const b = s.band[side];
        if (!b || b.length !== s.y.length) {
          throw shapeError(`${name}.band.${side}`, `length ${s.y.length} (as y)`, `length ${b?.length}`);
        }
        for (let j = 0; j < b.length; j++) {
          const v = b[j]!;
          if (!Number.isFinite(v)) throw domainError(`${name}.band.${side}[${j}]`, 'a finite number', v);
          if (yScale === 'linear' || v > 0) ys.push(v);
        }
      }
    }
    for (let j = 0; j < s.x.length; j++) {
      const x = s.x[j]!;
      const y = s.y[j]!;
      if (!Number.isFinite(x)) throw domainError(`${name}.x[${j}]`, 'a finite number', x);
      if (!Number.isFinite(y)) throw domainError(`${name}.y[${j}]`, 'a finite number', y);
      xs.push(x);
      ys.push(y);
      if (s.yError) {
        const e = s.yError[j]!;
        if (!Number.isFinite(e) || e < 0)
          throw domainError(`${name}.yError[${j}]`, 'a finite number >= 0', e);
        if (yScale === 'log' && !(y > 0)) continue;
        ys.push(y + e);
        if (yScale === 'linear' || y - e > 0) ys.push(y - e);
      }
    }
  });
  referenceLines.forEach((r, i) => {
    const name = `${fn}: referenceLines[${i}]`;
    checkOptions(r, name, REFERENCE_LINE_KEYS, true);
    if ((r.x === undefined) === (r.y === undefined)) throw domainError(name, 'exactly one of x or y', r);
    const v = (r.x ?? r.y)!;
    if (!Number.isFinite(v))
      throw domainError(`${name}.${r.x !== undefined ? 'x' : 'y'}`, 'a finite number', v);
    if (r.x !== undefined) xs.push(v);
    else ys.push(v);
  });
  const xt = axisTicks(xScale, xs, options.xDomain, `${fn}: xDomain`);
  const yt = axisTicks(yScale, ys, options.yDomain, `${fn}: yDomain`);
  const frame: Frame = {
    left: MARGIN.left,
    top: MARGIN.top,
    width: width - MARGIN.left - MARGIN.right,
    height: height - MARGIN.top - MARGIN.bottom,
  };
  const sx = createScale(xScale, xt.domain, [frame.left, frame.left + frame.width]);
  const sy = createScale(yScale, yt.domain, [frame.top + frame.height, frame.top]);
  let body = drawAxes(
    frame,
    xt.ticks.map((t) => ({ ...t, px: sx(t.value) })),
    yt.ticks.map((t) => ({ ...t, px: sy(t.value) })),
    xLabel,
    yLabel,
  );
  // Same-sized plots have the same frame, so the id can be shared when several SVGs sit in one page.
  const clip = `<clipPath id="plot-area-${width}x${height}"><rect x="${fmt(frame.left)}" y="${fmt(frame.top)}" width="${fmt(frame.width)}" height="${fmt(frame.height)}"/></clipPath>\n`;
  body = `<defs>\n${clip}</defs>\n${body}<g class="data" clip-path="url(#plot-area-${width}x${height})">\n`;
  const ok = (x: number, y: number) => (xScale === 'linear' || x > 0) && (yScale === 'linear' || y > 0);
  const legend: LegendEntry[] = [];
  series.forEach((s, i) => {
    const color = escapeXml(s.color ?? PALETTE[i % PALETTE.length]!);
    const style = s.style ?? 'line';
    const dash = s.dashed ? '6 4' : undefined;
    let group = `<g class="series" data-index="${i}">\n`;
    if (s.band) {
      // Upper edge left to right, lower edge right to left; points off a log axis are left out and a
      // lower edge <= 0 on a log y axis runs along the bottom of the frame.
      const upper: string[] = [];
      const lower: string[] = [];
      for (let j = 0; j < s.x.length; j++) {
        const x = s.x[j]!;
        const hi = s.band.upper[j]!;
        const lo = s.band.lower[j]!;
        if (!ok(x, hi)) continue;
        const px = fmt(sx(x));
        upper.push(`${px} ${fmt(sy(hi))}`);
        lower.push(`${px} ${fmt(yScale === 'log' && lo <= 0 ? frame.top + frame.height : sy(lo))}`);
      }
      if (upper.length > 0) {
        group += `<path class="band" d="M${[...upper, ...lower.reverse()].join('L')}Z" fill="${color}" fill-opacity="0.2" stroke="none"/>\n`;
      }
    }
    if (s.yError) {
      let bars = '';
      for (let j = 0; j < s.x.length; j++) {
        const x = s.x[j]!;
        const y = s.y[j]!;
        const e = s.yError[j]!;
        if (!ok(x, y) || e === 0 || s.bounds?.[j]) continue;
        const px = sx(x);
        const top = sy(y + e);
        const bottom = yScale === 'log' && y - e <= 0 ? frame.top + frame.height : sy(y - e);
        bars += `M${fmt(px)} ${fmt(top)}V${fmt(bottom)}M${fmt(px - 3)} ${fmt(top)}H${fmt(px + 3)}M${fmt(px - 3)} ${fmt(bottom)}H${fmt(px + 3)}`;
      }
      if (bars)
        group += `<path class="error-bars" d="${bars}" stroke="${color}" stroke-width="1" fill="none"/>\n`;
    }
    if (style !== 'points') {
      let d = '';
      let pen = false;
      for (let j = 0; j < s.x.length; j++) {
        const x = s.x[j]!;
        const y = s.y[j]!;
        if (!ok(x, y) || s.bounds?.[j]) {
          pen = false;
          continue;
        }
        d += `${pen ? 'L' : 'M'}${fmt(sx(x))} ${fmt(sy(y))}`;
        pen = true;
      }
      if (d) {
        group += `<path class="line" d="${d}" stroke="${color}" stroke-width="2" fill="none"${dash ? ` stroke-dasharray="${dash}"` : ''}/>\n`;
      }
    }
    for (let j = 0; j < s.x.length; j++) {
      const x = s.x[j]!;
      const y = s.y[j]!;
      if (!ok(x, y)) continue;
      const bound = s.bounds?.[j];
      if (bound) {
        // open marker at the bound with an arrow (shaft and head) pointing beyond it
        const px = sx(x);
        const py = sy(y);
        const dir = bound === 'above' ? -1 : 1;
        const tip = py + dir * 16;
        group += `<g class="bound" data-bound="${bound}"><circle cx="${fmt(px)}" cy="${fmt(py)}" r="3.5" fill="white" stroke="${color}" stroke-width="1.5"/><path d="M${fmt(px)} ${fmt(py + dir * 3.5)}V${fmt(tip)}M${fmt(px - 3.5)} ${fmt(tip - dir * 5)}L${fmt(px)} ${fmt(tip)}L${fmt(px + 3.5)} ${fmt(tip - dir * 5)}" stroke="${color}" stroke-width="1.5" fill="none"/></g>\n`;
      } else if (style !== 'line') {
        group += `<circle class="point" cx="${fmt(sx(x))}" cy="${fmt(sy(y))}" r="3" fill="${color}"/>\n`;
      }
    }
    body += `${group}</g>\n`;
    legend.push({ label: s.label ?? '', color, line: style !== 'points', marker: style !== 'line', dash });
  });
  referenceLines.forEach((r, i) => {
    const color = escapeXml(r.color ?? '#555555');
    if (r.x !== undefined) {
      if (!ok(r.x, 1)) return;
      const px = sx(r.x);
      body += `<line class="reference" x1="${fmt(px)}" y1="${fmt(frame.top)}" x2="${fmt(px)}" y2="${fmt(frame.top + frame.height)}" stroke="${color}" stroke-dasharray="3 3"/>\n`;
      if (r.label)
        body += text(
          px + 4,
          frame.top + 14 + 14 * i,
          r.label,
          'start',
          `fill="${color}" class="reference-label"`,
        );
    } else {
      if (!ok(1, r.y!)) return;
      const py = sy(r.y!);
      body += `<line class="reference" x1="${fmt(frame.left)}" y1="${fmt(py)}" x2="${fmt(frame.left + frame.width)}" y2="${fmt(py)}" stroke="${color}" stroke-dasharray="3 3"/>\n`;
      if (r.label)
        body += text(frame.left + 6, py - 4, r.label, 'start', `fill="${color}" class="reference-label"`);
    }
  });
  body += '</g>\n';
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
