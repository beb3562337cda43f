/**
 * Grids of small images (RBM filters, samples, reconstructions) as SVG text.
 * @module
 */

import { base64Encode } from '../core/base64.js';
import type { NumericArray } from '../core/validate.js';
import {
  checkInteger,
  checkOneOf,
  checkOptions,
  domainError,
  optionKeys,
  shapeError,
} from '../core/validate.js';
import { type Colormap, colormapRgb } from './colormap.js';
import { encodePng } from './png.js';
import { fmt, svgDocument, text } from './svg.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const IMAGE_GRID_OPTIONS_KEYS = optionKeys<ImageGridOptions>({
  rows: true,
  cols: true,
  height: true,
  width: true,
  channels: true,
  normalize: true,
  colormap: true,
  scale: true,
  gap: true,
  title: true,
  encoding: true,
});

/** Options of {@link imageGrid}. */
export interface ImageGridOptions {
  /** Grid rows and columns of tiles; n <= rows * cols images (empty tiles stay background). */
  readonly rows: number;
  readonly cols: number;
  /** Pixel height and width of each image. */
  readonly height: number;
  readonly width: number;
  /** 1 (gray, coloured by `colormap`) or 3 (RGB) values per pixel; default 1. */
  readonly channels?: 1 | 3;
  /**
   * How values become intensities: 'each' (default) min-max per image, 'global' min-max over all
   * images, 'symmetric' per image over [-max|v|, max|v|] so that 0 is the middle colour (weights with
   * the 'diverging' colour map), 'none' values already in [0, 1] (clamped). A constant image under
   * 'each' is mid-gray. Default 'symmetric' with the 'diverging' colour map, else 'each'.
   */
  readonly normalize?: 'each' | 'global' | 'symmetric' | 'none';
  /** Colour map of 1-channel images (default 'gray'). */
  readonly colormap?: Colormap;
  /** Screen pixels per image pixel (default: about 600 px across the grid, at least 1). */
  readonly scale?: number;
  /** Gap between tiles in image pixels (default 1), drawn in the background colour. */
  readonly gap?: number;
  readonly title?: string;
  /** Force the encoding: 'png' (one embedded PNG) or 'rects'; default: whichever SVG is smaller. */
  readonly encoding?: 'png' | 'rects';
}

/**
 * An SVG grid of n images, each `height` x `width` x `channels` values, row-major, image after image in
 * `images` (length n * height * width * channels), filled into the grid row by row. The grid is one
 * embedded PNG data URI (pixelated) or SVG rectangles (one per horizontal run of equal colour),
 * whichever is smaller. Deterministic output.
 * @throws ShapeError if the length is not a multiple of the image size or n > rows * cols;
 * DomainError for NaN/Infinity in the data or bad options.
 * @example
 * ```ts
 * import { imageGrid } from 'coarsegrain';
 * const maps = new Float64Array(4 * 8 * 8).map((_, i) => Math.sin(i)); // 4 images of 8 x 8
 * const svg = imageGrid(maps, { rows: 2, cols: 2, height: 8, width: 8, normalize: 'symmetric' }); // SVG string
 * ```
 */
export function imageGrid(images: NumericArray, options: ImageGridOptions): string {
  options = checkOptions(options, 'imageGrid: options', IMAGE_GRID_OPTIONS_KEYS, true);
  const fn = 'imageGrid';
  const rows = checkInteger(options?.rows, `${fn}: rows`, 1);
  const cols = checkInteger(options.cols, `${fn}: cols`, 1);
  const h = checkInteger(options.height, `${fn}: height`, 1);
  const w = checkInteger(options.width, `${fn}: width`, 1);
  const channels = options.channels ?? 1;
  if (channels !== 1 && channels !== 3) throw domainError(`${fn}: channels`, '1 or 3', channels);
  const normalize = checkOneOf(
    options.normalize ?? (options.colormap === 'diverging' ? 'symmetric' : 'each'),
    `${fn}: normalize`,
    ['each', 'global', 'symmetric', 'none'] as const,
  );
  const map = checkOneOf(options.colormap ?? 'gray', `${fn}: colormap`, [
    'gray',
    'viridis-like',
    'diverging',
  ] as const);
  const gap = checkInteger(options.gap ?? 1, `${fn}: gap`, 0, 100);
  const tile = h * w * channels;
  if (!images || typeof images.length !== 'number' || images.length % tile !== 0 || images.length === 0) {
    throw shapeError(
      `${fn}: images`,
      `a non-empty multiple of ${h} x ${w} x ${channels} = ${tile} values`,
      `length ${images?.length}`,
    );
  }
  const n = images.length / tile;
  if (n > rows * cols)
    throw shapeError(`${fn}: images`, `at most rows * cols = ${rows * cols} images`, `${n}`);
  for (let i = 0; i < images.length; i++) {
    if (!Number.isFinite(images[i]!)) throw domainError(`${fn}: images[${i}]`, 'a finite number', images[i]);
  }
  const gridW = cols * w + (cols + 1) * gap;
  const gridH = rows * h + (rows + 1) * gap;
  const scale = options.scale ?? Math.max(1, Math.floor(600 / Math.max(gridW, gridH)));
  if (!(scale > 0) || !Number.isFinite(scale))
    throw domainError(`${fn}: scale`, 'a finite number > 0', scale);

  // Intensities in [0, 1] -> RGB bytes of the whole grid (background white).
  const rgb = new Uint8Array(gridW * gridH * 3).fill(255);
  let gLo = Infinity;
  let gHi = -Infinity;
  for (let i = 0; i < images.length; i++) {
    gLo = Math.min(gLo, images[i]!);
    gHi = Math.max(gHi, images[i]!);
  }
  for (let k = 0; k < n; k++) {
    let lo = gLo;
    let hi = gHi;
    if (normalize === 'each') {
      lo = Infinity;
      hi = -Infinity;
      for (let i = k * tile; i < (k + 1) * tile; i++) {
        lo = Math.min(lo, images[i]!);
        hi = Math.max(hi, images[i]!);
      }
    } else if (normalize === 'symmetric') {
      let a = 0;
      for (let i = k * tile; i < (k + 1) * tile; i++) a = Math.max(a, Math.abs(images[i]!));
      lo = -a;
      hi = a;
    } else if (normalize === 'none') {
      lo = 0;
      hi = 1;
    }
    const span = hi - lo;
    const ox = gap + (k % cols) * (w + gap);
    const oy = gap + Math.floor(k / cols) * (h + gap);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const at = 3 * ((oy + y) * gridW + ox + x);
        const src = k * tile + (y * w + x) * channels;
        if (channels === 3) {
          for (let c = 0; c < 3; c++) {
            const v = span > 0 ? (images[src + c]! - lo) / span : 0.5;
            rgb[at + c] = Math.round(Math.min(1, Math.max(0, v)) * 255);
          }
        } else {
          const v = span > 0 ? (images[src]! - lo) / span : 0.5;
          rgb.set(colormapRgb(map, v), at);
        }
      }
    }
  }
  const titleSpace = options.title ? 30 : 0;
  const width = gridW * scale;
  const height = gridH * scale + titleSpace;
  const title = options.title
    ? text(width / 2, 20, options.title, 'middle', 'class="title" font-size="15" font-weight="bold"')
    : '';
  const gray = channels === 1 && map === 'gray';
  const asPng = () => {
    const pixels = gray ? new Uint8Array(gridW * gridH) : rgb;
    if (gray) for (let i = 0; i < gridW * gridH; i++) pixels[i] = rgb[3 * i]!;
    const uri = `data:image/png;base64,${base64Encode(encodePng({ data: pixels, width: gridW, height: gridH, channels: gray ? 1 : 3 }))}`;
    return `<image class="grid" x="0" y="${titleSpace}" width="${fmt(gridW * scale)}" height="${fmt(gridH * scale)}" preserveAspectRatio="none" style="image-rendering:pixelated" href="${uri}"/>\n`;
  };
  const asRects = () => {
    let out = `<g class="grid" transform="translate(0 ${titleSpace}) scale(${fmt(scale)})" shape-rendering="crispEdges">\n`;
    for (let y = 0; y < gridH; y++) {
      let x = 0;
      while (x < gridW) {
        const at = 3 * (y * gridW + x);
        const color = (rgb[at]! << 16) | (rgb[at + 1]! << 8) | rgb[at + 2]!;
        let run = 1;
        while (x + run < gridW) {
          const b = 3 * (y * gridW + x + run);
          if (((rgb[b]! << 16) | (rgb[b + 1]! << 8) | rgb[b + 2]!) !== color) break;
          run++;
        }
        if (color !== 0xffffff) {
          out += `<rect x="${x}" y="${y}" width="${run}" height="1" fill="#${(color | (1 << 24)).toString(16).slice(1)}"/>\n`;
        }
        x += run;
      }
    }
    return `${out}</g>\n`;
  };
  let body: string;
  if (options.encoding === 'png') body = asPng();
  else if (options.encoding === 'rects') body = asRects();
  else if (options.encoding !== undefined)
    throw domainError(`${fn}: encoding`, "'png' or 'rects'", options.encoding);
  else {
    const png = asPng();
    // Rectangles cost at least ~45 bytes per run; only try them when they could win.
    body =
      gridW * gridH * 45 > png.length * 4 ? png : [png, asRects()].sort((a, b) => a.length - b.length)[0]!;
  }
  return svgDocument(width, height, title + body, options.title);
}
