/**
 * Pixel operations: grayscale, resize (area averaging down, bilinear up), centre crop, patches,
 * normalisation. Pixels are stored row-major with interleaved channels (HWC):
 * `data[(y * width + x) * channels + c]`. Pure and browser-safe; decoding PNG/JPEG bytes (pngjs needs
 * Node's `Buffer` and `zlib`) is `decodeImage` of `coarsegrain/node`.
 * @module
 */
import { checkMatrix, type Matrix } from '../core/tensor.js';
import type { NumericArray } from '../core/validate.js';
import {
  checkAllFinite,
  checkInteger,
  checkLimit,
  checkOneOf,
  domainError,
  shapeError,
} from '../core/validate.js';

/** An image: `height` rows of `width` pixels of `channels` values (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA). */
export interface Image<T extends NumericArray = NumericArray> {
  readonly data: T;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
}

function checkImage(img: Image, name: string): void {
  if (!img || typeof img !== 'object')
    throw domainError(name, 'an image { data, width, height, channels }', img);
  checkInteger(img.width, `${name}.width`, 1);
  checkInteger(img.height, `${name}.height`, 1);
  checkInteger(img.channels, `${name}.channels`, 1, 4);
  if (!img.data || img.data.length !== img.width * img.height * img.channels) {
    throw shapeError(
      `${name}.data`,
      `length ${img.width} x ${img.height} x ${img.channels} = ${img.width * img.height * img.channels}`,
      `length ${img.data?.length}`,
    );
  }
}

/**
 * Luma of each pixel, Y = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601); alpha is dropped; a 1- or
 * 2-channel image keeps its gray channel. Values keep their scale (0..255 in, 0..255 out).
 * @returns a 1-channel Float64Array image. O(pixels).
 * @example
 * ```ts
 * import { toGrayscale } from 'coarsegrain';
 * const rgb = { data: Uint8Array.of(255, 0, 0, 0, 0, 255), width: 2, height: 1, channels: 3 }; // red, blue
 * const gray = toGrayscale(rgb); // data Float64Array [76.245, 29.07], 1 channel, same 0..255 scale
 * ```
 */
export function toGrayscale(img: Image): Image<Float64Array> {
  checkImage(img, 'toGrayscale: img');
  const { width, height, channels, data } = img;
  const out = new Float64Array(width * height);
  for (let i = 0; i < out.length; i++) {
    const p = i * channels;
    out[i] = channels >= 3 ? 0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]! : data[p]!;
  }
  return { data: out, width, height, channels: 1 };
}

/** Resampling weights along one axis: for each output index, source indices and weights summing to 1. */
function axisWeights(
  from: number,
  to: number,
): { index: Int32Array; weight: Float64Array; start: Int32Array } {
  const idx: number[] = [];
  const wts: number[] = [];
  const start = new Int32Array(to + 1);
  const scale = from / to;
  for (let o = 0; o < to; o++) {
    start[o] = idx.length;
    if (to < from) {
      // Area averaging: output pixel o covers source interval [o*scale, (o+1)*scale).
      const a = o * scale;
      const b = (o + 1) * scale;
      for (let s = Math.floor(a); s < Math.min(from, Math.ceil(b)); s++) {
        const w = Math.min(b, s + 1) - Math.max(a, s);
        if (w > 1e-12) {
          idx.push(s);
          wts.push(w / scale);
        }
      }
    } else {
      // Bilinear: pixel centres aligned, edges clamped.
      const x = Math.min(from - 1, Math.max(0, (o + 0.5) * scale - 0.5));
      const s = Math.min(from - 2, Math.floor(x));
      if (from === 1) {
        idx.push(0);
        wts.push(1);
      } else {
        const f = x - s;
        idx.push(s, s + 1);
        wts.push(1 - f, f);
      }
    }
  }
  start[to] = idx.length;
  return { index: Int32Array.from(idx), weight: Float64Array.from(wts), start };
}

/**
 * Resize to `width` x `height`, separably per axis: area averaging where an axis shrinks (exact box
 * filter with fractional coverage, so the mean is preserved), bilinear interpolation with aligned pixel
 * centres where it grows. All channels are treated alike.
 * @returns a Float64Array image of the same scale. O(width * height * channels * (ratio + 1)).
 * @throws DomainError for non-positive sizes; ShapeError for inconsistent image data.
 * @example
 * ```ts
 * import { resizeImage } from 'coarsegrain';
 * const img = { data: Float64Array.of(0, 2, 4, 6), width: 2, height: 2, channels: 1 };
 * const small = resizeImage(img, 1, 1); // area average: data Float64Array [3]
 * ```
 */
export function resizeImage(img: Image, width: number, height: number): Image<Float64Array> {
  checkImage(img, 'resizeImage: img');
  checkInteger(width, 'resizeImage: width', 1);
  checkInteger(height, 'resizeImage: height', 1);
  checkLimit(
    Math.max(img.height, height) * Math.max(img.width, width) * img.channels,
    'resizeImage: width x height x channels',
  );
  const c = img.channels;
  const src = img.data;
  // Horizontal pass: img.height x width.
  const hx = axisWeights(img.width, width);
  const tmp = new Float64Array(img.height * width * c);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < width; x++) {
      for (let k = hx.start[x]!; k < hx.start[x + 1]!; k++) {
        const w = hx.weight[k]!;
        const s = (y * img.width + hx.index[k]!) * c;
        const o = (y * width + x) * c;
        for (let ch = 0; ch < c; ch++) tmp[o + ch]! += w * src[s + ch]!;
      }
    }
  }
  // Vertical pass: height x width.
  const vy = axisWeights(img.height, height);
  const out = new Float64Array(height * width * c);
  for (let y = 0; y < height; y++) {
    for (let k = vy.start[y]!; k < vy.start[y + 1]!; k++) {
      const w = vy.weight[k]!;
      const s = vy.index[k]! * width * c;
      const o = y * width * c;
      for (let i = 0; i < width * c; i++) out[o + i]! += w * tmp[s + i]!;
    }
  }
  return { data: out, width, height, channels: c };
}

/**
 * The centred `width` x `height` region (offsets floor((W - width) / 2), floor((H - height) / 2)).
 * @returns a Float64Array image. O(width * height * channels).
 * @throws DomainError if the crop is larger than the image.
 * @example
 * ```ts
 * import { centerCrop } from 'coarsegrain';
 * const img = { data: Uint8Array.from({ length: 16 }, (_, i) => i), width: 4, height: 4, channels: 1 };
 * const crop = centerCrop(img, 2, 2); // the middle 2 x 2: data Float64Array [5, 6, 9, 10]
 * ```
 */
export function centerCrop(img: Image, width: number, height: number): Image<Float64Array> {
  checkImage(img, 'centerCrop: img');
  checkInteger(width, 'centerCrop: width', 1, img.width);
  checkInteger(height, 'centerCrop: height', 1, img.height);
  const x0 = Math.floor((img.width - width) / 2);
  const y0 = Math.floor((img.height - height) / 2);
  const c = img.channels;
  const out = new Float64Array(width * height * c);
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < width * c; i++)
      out[y * width * c + i] = img.data[((y0 + y) * img.width + x0) * c + i]!;
  }
  return { data: out, width, height, channels: c };
}

/** Patches cut from an image: `data` is count x (size * size * channels), HWC within each patch. */
export interface Patches {
  readonly data: Float64Array;
  readonly count: number;
  readonly size: number;
  readonly channels: number;
  /** Top-left corner of each patch (x then y), length 2 * count. */
  readonly corners: Int32Array;
}

/**
 * All `size` x `size` patches whose top-left corners lie on a grid of step `stride` (starting at 0,0),
 * row by row; patches that would cross the border are left out.
 * @throws DomainError if size exceeds the image or stride < 1.
 * @example
 * ```ts
 * import { extractPatches } from 'coarsegrain';
 * const img = { data: new Float64Array(28 * 28), width: 28, height: 28, channels: 1 }; // e.g. an MNIST digit
 * const { data, count, size } = extractPatches(img, 14, 7); // 9 patches of 14 x 14: data is 9 x 196
 * ```
 */
export function extractPatches(img: Image, size: number, stride: number): Patches {
  checkImage(img, 'extractPatches: img');
  checkInteger(size, 'extractPatches: size', 1, Math.min(img.width, img.height));
  checkInteger(stride, 'extractPatches: stride', 1);
  const nx = Math.floor((img.width - size) / stride) + 1;
  const ny = Math.floor((img.height - size) / stride) + 1;
  const c = img.channels;
  const d = size * size * c;
  const data = new Float64Array(nx * ny * d);
  const corners = new Int32Array(2 * nx * ny);
  let k = 0;
  for (let py = 0; py < ny; py++) {
    for (let px = 0; px < nx; px++) {
      const x0 = px * stride;
      const y0 = py * stride;
      corners[2 * k] = x0;
      corners[2 * k + 1] = y0;
      for (let y = 0; y < size; y++) {
        for (let i = 0; i < size * c; i++)
          data[k * d + y * size * c + i] = img.data[((y0 + y) * img.width + x0) * c + i]!;
      }
      k++;
    }
  }
  return { data, count: nx * ny, size, channels: c, corners };
}

/** Normalisation of pixel rows: see {@link normalizeRows}. */
export type PixelNormalization = 'unit' | 'minmax' | 'zero-mean' | 'standardize' | 'none';

/**
 * Normalise each row (one image or patch) of the {@link Matrix} `images` in place:
 * 'unit' x / 255 (8-bit pixels to [0, 1]); 'minmax' (x - min) / (max - min) per row (0.5 if constant);
 * 'zero-mean' x / 255 minus the row mean; 'standardize' per row to mean 0, variance 1 (0 if constant);
 * 'none' unchanged.
 * @returns `images` (its data changed in place). O(rows * cols).
 * @throws DomainError if `images` is not a Matrix of Float64Array or Float32Array, or for a bad mode.
 * @example
 * ```ts
 * import { matrix, normalizeRows } from 'coarsegrain';
 * const pixels = matrix(Float64Array.of(0, 255, 51, 102), 2, 2); // 2 rows of 2 pixels
 * normalizeRows(pixels, 'unit'); // in place: data [0, 1, 0.2, 0.4]
 * ```
 */
export function normalizeRows<T extends Float64Array | Float32Array>(
  images: Matrix<T>,
  mode: PixelNormalization,
): Matrix<T> {
  const { data, cols: d } = checkMatrix<T>(images, 'normalizeRows: images', { minCols: 1 });
  if (!(data instanceof Float64Array || data instanceof Float32Array))
    throw domainError('normalizeRows: images.data', 'a Float64Array or Float32Array', data);
  checkAllFinite(data, 'normalizeRows: images.data');
  checkOneOf(mode, 'normalizeRows: mode', ['unit', 'minmax', 'zero-mean', 'standardize', 'none'] as const);
  if (mode === 'none') return images;
  for (let o = 0; o < data.length; o += d) {
    if (mode === 'unit' || mode === 'zero-mean') for (let i = o; i < o + d; i++) data[i] = data[i]! / 255;
    if (mode === 'unit') continue;
    if (mode === 'minmax') {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = o; i < o + d; i++) {
        lo = Math.min(lo, data[i]!);
        hi = Math.max(hi, data[i]!);
      }
      for (let i = o; i < o + d; i++) data[i] = hi > lo ? (data[i]! - lo) / (hi - lo) : 0.5;
      continue;
    }
    let mean = 0;
    for (let i = o; i < o + d; i++) mean += data[i]!;
    mean /= d;
    let variance = 0;
    for (let i = o; i < o + d; i++) {
      data[i] = data[i]! - mean;
      variance += data[i]! * data[i]!;
    }
    if (mode === 'standardize') {
      const sd = Math.sqrt(variance / d);
      for (let i = o; i < o + d; i++) data[i] = sd > 0 ? data[i]! / sd : 0;
    }
  }
  return images;
}

/** Options of `loadImageFolder` (entry `coarsegrain/node`); browser-safe so loaders can be typed anywhere. */
export interface ImageFolderOptions {
  /** Output size: `s` for s x s or `[width, height]`; images are centre-cropped to that aspect ratio
   * and resized (area averaging down, bilinear up). Default: the images' own size (all must agree). */
  readonly size?: number | readonly [number, number];
  /** One luma channel (BT.601) instead of RGB. Default false: 3 channels (gray images are replicated,
   * alpha is dropped). */
  readonly grayscale?: boolean;
  /** At most this many images per class (per folder for a flat folder), the first in sorted order. */
  readonly maxPerClass?: number;
  /** Cut each (resized) image into `size` x `size` patches every `stride` pixels; `maxPerImage` keeps
   * that many, evenly spaced in raster order. Each patch becomes one row of the result. */
  readonly patches?: { readonly size: number; readonly stride: number; readonly maxPerImage?: number };
  /** Per-row normalisation (see normalizeRows); default 'unit' (x / 255). */
  readonly normalize?: PixelNormalization;
  /** Value order within a row: 'hwc' (default, interleaved channels) or 'chw' (one plane per channel). */
  readonly layout?: 'hwc' | 'chw';
  /** Called after each image with `{ stage: 'images', done, total }`. */
  readonly onProgress?: (p: { stage: string; done: number; total: number }) => void;
  readonly signal?: AbortSignal;
}

/** A labelled image data set: `data` is n x d, d = shape[0] * shape[1] * shape[2]. */
export interface ImageFolderData {
  readonly data: Float64Array;
  readonly n: number;
  readonly d: number;
  /** Class index of each row (index into `classes`). */
  readonly labels: Int32Array;
  /** Sorted subfolder names; a flat folder gives one class, its own name. */
  readonly classes: string[];
  /** [height, width, channels] for 'hwc', [channels, height, width] for 'chw'. */
  readonly shape: [number, number, number];
  /** File of each image (not each patch), in load order. */
  readonly paths: string[];
  /** Index into `paths` of each row (differs from the row index when patches are cut). */
  readonly source: Int32Array;
}
