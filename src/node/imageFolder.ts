/**
 * Image folders to data matrices (Node-only: reads files with `node:fs`; the pixel work is in the
 * browser-safe `images.ts`).
 * @module
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CoarseGrainError } from '../core/errors.js';
import {
  checkAbort,
  checkInteger,
  checkOneOf,
  checkOptions,
  domainError,
  optionKeys,
} from '../core/validate.js';
import {
  centerCrop,
  extractPatches,
  type Image,
  type ImageFolderData,
  type ImageFolderOptions,
  normalizeRows,
  resizeImage,
} from '../data/images.js';
import { decodeImage } from './decodeImage.js';
import { readBytes, withPath } from './files.js';

export type { ImageFolderData, ImageFolderOptions };

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const IMAGE_FOLDER_OPTIONS_KEYS = optionKeys<ImageFolderOptions>({
  size: true,
  grayscale: true,
  maxPerClass: true,
  patches: true,
  normalize: true,
  layout: true,
  onProgress: true,
  signal: true,
});

const IMAGE_FILE = /\.(png|jpe?g)$/i;
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Load a folder of PNG/JPEG images into one matrix. Subfolders are classes (sorted by name, labels
 * 0..k-1; files directly beside them are ignored); a folder without subfolders is one class. Files are
 * taken in sorted order, so the result is deterministic. Works on `../shared/data/flowers` (5 classes)
 * and `../shared/data/swimseg/images` (flat).
 * @throws CoarseGrainError if the folder cannot be read; DomainError if it holds no images or images of
 * different sizes without `size`; FormatError (with the path) for a corrupt image.
 * @example
 * ```ts
 * import { loadImageFolder } from 'coarsegrain/node';
 * // one sub-folder per class, PNG or JPEG images inside
 * const flowers = await loadImageFolder('data/flowers', { size: 32, grayscale: true, maxPerClass: 10 });
 * // flowers.data: n x 1024 (32 x 32 gray), flowers.labels: n class indices, flowers.classes: folder names
 * ```
 */
export async function loadImageFolder(
  dir: string,
  options: ImageFolderOptions = {},
): Promise<ImageFolderData> {
  options = checkOptions(options, 'loadImageFolder: options', IMAGE_FOLDER_OPTIONS_KEYS);
  const fn = 'loadImageFolder';
  const normalize = checkOneOf(options.normalize ?? 'unit', `${fn}: normalize`, [
    'unit',
    'minmax',
    'zero-mean',
    'standardize',
    'none',
  ] as const);
  const layout = checkOneOf(options.layout ?? 'hwc', `${fn}: layout`, ['hwc', 'chw'] as const);
  const maxPerClass =
    options.maxPerClass === undefined ? Infinity : checkInteger(options.maxPerClass, `${fn}: maxPerClass`, 1);
  let size: [number, number] | undefined;
  if (options.size !== undefined) {
    const s = options.size;
    size = typeof s === 'number' ? [s, s] : [s[0], s[1]];
    checkInteger(size[0], `${fn}: size (width)`, 1);
    checkInteger(size[1], `${fn}: size (height)`, 1);
  }
  if (options.patches) {
    checkInteger(options.patches.size, `${fn}: patches.size`, 1);
    checkInteger(options.patches.stride, `${fn}: patches.stride`, 1);
    if (options.patches.maxPerImage !== undefined)
      checkInteger(options.patches.maxPerImage, `${fn}: patches.maxPerImage`, 1);
  }
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw new CoarseGrainError(
      `${fn}: dir: expected a readable folder, received ${JSON.stringify(dir)} (${(e as Error).message})`,
      { cause: e },
    );
  }
  const subdirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort(byCodeUnit);
  const groups: { name: string; folder: string }[] =
    subdirs.length > 0
      ? subdirs.map((name) => ({ name, folder: join(dir, name) }))
      : [{ name: basename(dir), folder: dir }];
  const files: { path: string; label: number }[] = [];
  for (let label = 0; label < groups.length; label++) {
    const { folder } = groups[label]!;
    const names = (await readdir(folder, { withFileTypes: true }))
      .filter((e) => e.isFile() && IMAGE_FILE.test(e.name))
      .map((e) => e.name)
      .sort(byCodeUnit)
      .slice(0, maxPerClass);
    for (const name of names) files.push({ path: join(folder, name), label });
  }
  if (files.length === 0)
    throw domainError(
      `${fn}: dir`,
      'a folder with .png/.jpg/.jpeg images (or class subfolders of them)',
      dir,
    );
  const channels = options.grayscale ? 1 : 3;
  const rows: Float64Array[] = [];
  const labels: number[] = [];
  const source: number[] = [];
  let shape: [number, number, number] | undefined;
  let native: [number, number] | undefined;
  for (let i = 0; i < files.length; i++) {
    checkAbort(options.signal, fn);
    const { path, label } = files[i]!;
    const bytes = await readBytes(path, fn, 'dir');
    let img: Image = withPath(path, () => decodeImage(bytes));
    img = toChannels(img, channels);
    if (size) {
      const [w, h] = size;
      // Largest centred region with the target aspect ratio, then resize.
      const cw = Math.min(img.width, Math.round((img.height * w) / h));
      const ch = Math.min(img.height, Math.round((img.width * h) / w));
      if (cw !== img.width || ch !== img.height) img = centerCrop(img, cw, ch);
      if (img.width !== w || img.height !== h) img = resizeImage(img, w, h);
    } else if (native === undefined) {
      native = [img.width, img.height];
    } else if (img.width !== native[0] || img.height !== native[1]) {
      throw domainError(
        `${fn}: size`,
        `a size, since the images differ (${native[0]} x ${native[1]} in ${files[0]!.path}, ${img.width} x ${img.height} in ${path})`,
        undefined,
      );
    }
    let pieces: Float64Array[];
    let h = img.height;
    let w = img.width;
    if (options.patches) {
      const { size: ps, stride, maxPerImage } = options.patches;
      const p = extractPatches(img, ps, stride);
      const d = ps * ps * channels;
      const keep = Math.min(p.count, maxPerImage ?? p.count);
      pieces = [];
      for (let k = 0; k < keep; k++) {
        const at = Math.floor((k * p.count) / keep);
        pieces.push(p.data.subarray(at * d, (at + 1) * d));
      }
      h = ps;
      w = ps;
    } else {
      pieces = [Float64Array.from(img.data)];
    }
    shape ??= layout === 'hwc' ? [h, w, channels] : [channels, h, w];
    for (const piece of pieces) {
      rows.push(layout === 'hwc' ? piece : toPlanar(piece, h * w, channels));
      labels.push(label);
      source.push(i);
    }
    options.onProgress?.({ stage: 'images', done: i + 1, total: files.length });
  }
  const d = shape![0] * shape![1] * shape![2];
  const data = new Float64Array(rows.length * d);
  rows.forEach((r, k) => {
    data.set(r, k * d);
  });
  normalizeRows({ data, rows: rows.length, cols: d }, normalize);
  return {
    data,
    n: rows.length,
    d,
    labels: Int32Array.from(labels),
    classes: groups.map((g) => g.name),
    shape: shape!,
    paths: files.map((f) => f.path),
    source: Int32Array.from(source),
  };
}

function toChannels(img: Image, channels: 1 | 3): Image {
  if (channels === 1) {
    if (img.channels === 1) return img;
    const out = new Float64Array(img.width * img.height);
    for (let i = 0; i < out.length; i++) {
      const p = i * img.channels;
      out[i] =
        img.channels >= 3
          ? 0.299 * img.data[p]! + 0.587 * img.data[p + 1]! + 0.114 * img.data[p + 2]!
          : img.data[p]!;
    }
    return { data: out, width: img.width, height: img.height, channels: 1 };
  }
  if (img.channels === 3) return img;
  const out = new Uint8Array(img.width * img.height * 3);
  for (let i = 0; i < img.width * img.height; i++) {
    const p = i * img.channels;
    const gray = img.channels <= 2;
    out[3 * i] = img.data[p]!;
    out[3 * i + 1] = img.data[gray ? p : p + 1]!;
    out[3 * i + 2] = img.data[gray ? p : p + 2]!;
  }
  return { data: out, width: img.width, height: img.height, channels: 3 };
}

function toPlanar(hwc: Float64Array, pixels: number, channels: number): Float64Array {
  const out = new Float64Array(hwc.length);
  for (let i = 0; i < pixels; i++)
    for (let c = 0; c < channels; c++) out[c * pixels + i] = hwc[i * channels + c]!;
  return out;
}
