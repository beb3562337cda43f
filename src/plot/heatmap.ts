/**
 * Heat maps of matrices (weights, <v h> correlations, covariance) with a colour bar, as SVG text.
 * @module
 */

import { base64Encode } from '../core/base64.js';
import { checkMatrix, type Matrix } from '../core/tensor.js';
import type { NumericArray } from '../core/validate.js';
import { checkInteger, checkOneOf, checkOptions, domainError, optionKeys } from '../core/validate.js';
import { type Colormap, colormapHex, colormapRgb } from './colormap.js';
import { encodePng } from './png.js';
import { escapeXml, fmt, svgDocument, text } from './svg.js';
import { createScale, linearTicks } from './ticks.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const HEATMAP_OPTIONS_KEYS = optionKeys<HeatmapOptions>({
  colormap: true,
  title: true,
  xLabel: true,
  yLabel: true,
  vmin: true,
  vmax: true,
  size: true,
  colorbar: true,
});

/** Options of {@link heatmap}. */
export interface HeatmapOptions {
  /** 'diverging' (blue-white-red, symmetric about 0 by default) or 'viridis-like' (default), or 'gray'. */
  readonly colormap?: Colormap;
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** Colour range; default [min, max] of the data, or [-max|v|, max|v|] for 'diverging'. */
  readonly vmin?: number;
  readonly vmax?: number;
  /** Pixel size of the longer side of the matrix (default 400). */
  readonly size?: number;
  /** Draw a colour bar (default true). */
  readonly colorbar?: boolean;
}

/**
 * An SVG heat map of a rows x cols {@link Matrix}: row 0 at the top, column 0 at the left. Matrices
 * of up to 4096 cells are drawn as rectangles, larger ones as one embedded PNG (pixelated). Values
 * outside [vmin, vmax] are clamped. Deterministic output.
 * @throws DomainError if `matrix` is not a Matrix with at least one row and column, for NaN/Infinity in
 * the data (reports the first index), vmin >= vmax, or bad options; ShapeError if its data length is not
 * rows x cols.
 * @example
 * ```ts
 * import { heatmap, matrix } from 'coarsegrain';
 * const W = matrix(Float64Array.of(1, 0, 0, 1, 0.5, -0.5), 2, 3);
 * const svg = heatmap(W, { colormap: 'diverging', title: 'W' }); // 2 x 3 cells, SVG string
 * ```
 */
export function heatmap(matrix: Matrix<NumericArray>, options: HeatmapOptions = {}): string {
  const fn = 'heatmap';
  const { data: values, rows, cols } = checkMatrix(matrix, `${fn}: matrix`, { minRows: 1, minCols: 1 });
  options = checkOptions(options, 'heatmap: options', HEATMAP_OPTIONS_KEYS);
  const map = checkOneOf(options.colormap ?? 'viridis-like', `${fn}: colormap`, [
    'diverging',
    'viridis-like',
    'gray',
  ] as const);
  const size = checkInteger(options.size ?? 400, `${fn}: size`, 10, 10000);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw domainError(`${fn}: matrix.data[${i}]`, 'a finite number', v);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (map === 'diverging') {
    const a = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    lo = -a;
    hi = a;
  }
  const vmin = options.vmin ?? lo;
  const vmax = options.vmax ?? hi;
  if (!Number.isFinite(vmin) || !Number.isFinite(vmax) || vmin > vmax) {
    throw domainError(`${fn}: vmin, vmax`, 'finite vmin <= vmax', `[${vmin}, ${vmax}]`);
  }
  const span = vmax - vmin || 1;
  const t = (v: number) => (vmax === vmin ? 0.5 : (v - vmin) / span);
  const cell = size / Math.max(rows, cols);
  const colorbar = options.colorbar ?? true;
  const left = 72;
  const top = 40;
  const w = cols * cell;
  const h = rows * cell;
  const width = Math.ceil(left + w + (colorbar ? 100 : 20));
  const height = Math.ceil(top + h + 56);
  let body = '<g class="cells">\n';
  if (rows * cols <= 4096) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        // Slight overlap (+0.5 px) avoids hairline seams between cells in anti-aliasing renderers.
        body += `<rect x="${fmt(left + c * cell)}" y="${fmt(top + r * cell)}" width="${fmt(cell + 0.5)}" height="${fmt(cell + 0.5)}" fill="${colormapHex(map, t(values[r * cols + c]!))}"/>\n`;
      }
    }
  } else {
    // An indexed PNG: the colour map sampled at 256 levels (index = round(255 t)).
    const palette = new Uint8Array(256 * 3);
    for (let k = 0; k < 256; k++) palette.set(colormapRgb(map, k / 255), 3 * k);
    const index = new Uint8Array(rows * cols);
    for (let i = 0; i < rows * cols; i++)
      index[i] = Math.round(Math.min(1, Math.max(0, t(values[i]!))) * 255);
    body += `<image x="${fmt(left)}" y="${fmt(top)}" width="${fmt(w)}" height="${fmt(h)}" preserveAspectRatio="none" style="image-rendering:pixelated" href="data:image/png;base64,${base64Encode(encodePng({ data: index, width: cols, height: rows, channels: 1 }, palette))}"/>\n`;
  }
  body += `</g>\n<rect x="${fmt(left)}" y="${fmt(top)}" width="${fmt(w)}" height="${fmt(h)}" fill="none" stroke="#333333"/>\n`;
  if (colorbar) {
    const x = left + w + 20;
    const steps = 64;
    body += '<g class="colorbar">\n';
    for (let k = 0; k < steps; k++) {
      body += `<rect x="${fmt(x)}" y="${fmt(top + (h * (steps - 1 - k)) / steps)}" width="16" height="${fmt(h / steps + 0.5)}" fill="${colormapHex(map, (k + 0.5) / steps)}"/>\n`;
    }
    body += `<rect x="${fmt(x)}" y="${fmt(top)}" width="16" height="${fmt(h)}" fill="none" stroke="#333333"/>\n`;
    const sy = createScale('linear', [vmin, vmax === vmin ? vmin + 1 : vmax], [top + h, top]);
    const ticks = linearTicks(vmin, vmax, 5).ticks.filter(
      (k) => k.value >= vmin - 1e-12 * span && k.value <= vmax + 1e-12 * span,
    );
    for (const k of ticks) {
      const y = sy(k.value);
      body += `<line x1="${fmt(x + 16)}" y1="${fmt(y)}" x2="${fmt(x + 20)}" y2="${fmt(y)}" stroke="#333333"/>\n`;
      body += text(x + 23, y + 4, k.label, 'start', 'class="colorbar-label"');
    }
    body += '</g>\n';
  }
  if (options.xLabel)
    body += text(left + w / 2, top + h + 30, options.xLabel, 'middle', 'class="x-label" font-size="13"');
  if (options.yLabel) {
    const x = left - 20;
    const y = top + h / 2;
    body += `<text class="y-label" x="${fmt(x)}" y="${fmt(y)}" text-anchor="middle" font-size="13" transform="rotate(-90 ${fmt(x)} ${fmt(y)})">${escapeXml(options.yLabel)}</text>\n`;
  }
  if (options.title)
    body += text(
      left + w / 2,
      top - 14,
      options.title,
      'middle',
      'class="title" font-size="15" font-weight="bold"',
    );
  return svgDocument(width, height, body, options.title);
}
