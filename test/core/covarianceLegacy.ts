/**
 * The covariance of commit d53098e (before the shared-packing SYRK of issue 15), kept verbatim as the
 * reference of the bit-identity test: panels of 2048 rows copied to a float64 stage, centred on their own
 * mean, their lower-triangle Gram matrix formed by `gramLowerKernel` (strips of 192 rows through
 * `gemmKernel`) and merged by the Chan-Golub-LeVeque update. No validation. `chunks`: the sizes of the
 * successive `accumulate` calls (default one call of all rows).
 */
import { gramLowerKernel } from '../../src/core/covariance.js';

const ROW_PANEL = 2048;

export function legacyCovariance(
  chunk: ArrayLike<number>,
  rows: number,
  d: number,
  options: {
    center?: boolean;
    unbiased?: boolean;
    precision?: 'float64' | 'float32';
    chunks?: number[];
  } = {},
): { matrix: Float64Array; mean: Float64Array } {
  const center = options.center ?? true;
  const unbiased = options.unbiased ?? true;
  const single = options.precision === 'float32';
  const gram = new Float64Array(d * d);
  const gram32 = single ? new Float32Array(d * d) : null;
  const mean = new Float64Array(d);
  const panelMean = new Float64Array(d);
  const panelRows = Math.min(ROW_PANEL, rows);
  const stage = new Float64Array(panelRows * d);
  const panel32 = single ? new Float32Array(panelRows * d) : null;
  let count = 0;
  const panels: [number, number][] = [];
  for (let c0 = 0, c = 0; c0 < rows; c0 += (options.chunks ?? [rows])[c++]!) {
    const c1 = Math.min(rows, c0 + (options.chunks ?? [rows])[c]!);
    for (let r0 = c0; r0 < c1; r0 += ROW_PANEL) panels.push([r0, Math.min(c1, r0 + ROW_PANEL)]);
  }
  for (const [r0, r1] of panels) {
    const nb = r1 - r0;
    if (ArrayBuffer.isView(chunk))
      stage.set((chunk as unknown as Float64Array).subarray(r0 * d, r0 * d + nb * d));
    else for (let i = 0; i < nb * d; i++) stage[i] = chunk[r0 * d + i]!;
    panelMean.fill(0);
    if (center) {
      for (let i = 0; i < nb; i++) for (let j = 0; j < d; j++) panelMean[j]! += stage[i * d + j]!;
      for (let j = 0; j < d; j++) panelMean[j]! /= nb;
    }
    const panel = panel32 ?? stage;
    if (center || panel32)
      for (let i = 0; i < nb; i++)
        for (let j = 0; j < d; j++) panel[i * d + j] = stage[i * d + j]! - panelMean[j]!;
    if (gram32) {
      gramLowerKernel(panel, nb, d, gram32, 0);
      for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) gram[i * d + j] += gram32[i * d + j]!;
    } else gramLowerKernel(panel, nb, d, gram);
    if (center) {
      const na = count;
      const total = na + nb;
      const f = (na * nb) / total;
      for (let j = 0; j < d; j++) panelMean[j] -= mean[j]!;
      if (na > 0)
        for (let i = 0; i < d; i++) {
          const fi = f * panelMean[i]!;
          for (let j = 0; j <= i; j++) gram[i * d + j] += fi * panelMean[j]!;
        }
      for (let j = 0; j < d; j++) mean[j] += (panelMean[j]! * nb) / total;
    }
    count += nb;
  }
  const matrix = new Float64Array(d * d);
  const scale = 1 / (unbiased ? count - 1 : count);
  for (let i = 0; i < d; i++)
    for (let j = 0; j <= i; j++) {
      const c = gram[i * d + j]! * scale;
      matrix[i * d + j] = c;
      matrix[j * d + i] = c;
    }
  return { matrix, mean };
}
