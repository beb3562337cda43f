/**
 * Colour maps for heat maps and image grids: a blue-white-red diverging map, a viridis-like sequential
 * map (piecewise-linear through 9 samples of matplotlib's viridis), and grayscale.
 * @module
 */
import { checkOneOf, domainError } from '../core/validate.js';

/** Colour map names. */
export type Colormap = 'diverging' | 'viridis-like' | 'gray';

const VIRIDIS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];
const DIVERGING: readonly (readonly [number, number, number])[] = [
  [33, 102, 172],
  [103, 169, 207],
  [209, 229, 240],
  [247, 247, 247],
  [253, 219, 199],
  [239, 138, 98],
  [178, 24, 43],
];

const COLORMAPS = ['diverging', 'viridis-like', 'gray'] as const;

function interpolate(
  stops: readonly (readonly [number, number, number])[],
  t: number,
): [number, number, number] {
  const u = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(u));
  const f = u - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  return [
    Math.round(a[0] + f * (b[0] - a[0])),
    Math.round(a[1] + f * (b[1] - a[1])),
    Math.round(a[2] + f * (b[2] - a[2])),
  ];
}

/**
 * The RGB colour (0..255 each) of `t` in [0, 1] (clamped) under a colour map.
 * @throws DomainError for an unknown colour map or a `t` that is not a number.
 */
export function colormapRgb(map: Colormap, t: number): [number, number, number] {
  checkOneOf(map, 'colormapRgb: map', COLORMAPS);
  if (typeof t !== 'number') throw domainError('colormapRgb: t', 'a number', t);
  if (map === 'gray') {
    const g = Math.round(Math.min(1, Math.max(0, t)) * 255);
    return [g, g, g];
  }
  return interpolate(map === 'diverging' ? DIVERGING : VIRIDIS, t);
}

/** The colour of `t` in [0, 1] as `#rrggbb`. */
export function colormapHex(map: Colormap, t: number): string {
  const [r, g, b] = colormapRgb(map, t);
  return `#${((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1)}`;
}
