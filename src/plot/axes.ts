/**
 * Plot frame: the axes box, grid lines, ticks with labels, axis labels, title and legend.
 * @module
 */
import { escapeXml, fmt, text } from './svg.js';
import type { Tick } from './ticks.js';

/** The plotting area in pixels. */
export interface Frame {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

function tickLabel(x: number, y: number, tick: Tick, anchor: 'middle' | 'end', cls: string): string {
  if (tick.exponent !== undefined && tick.label.startsWith('10^')) {
    return (
      `<text class="${cls}" x="${fmt(x)}" y="${fmt(y)}" text-anchor="${anchor}">10` +
      `<tspan dy="-6" font-size="9">${tick.exponent}</tspan></text>\n`
    );
  }
  return text(x, y, tick.label, anchor, `class="${cls}"`);
}

/**
 * The axes of a frame: grid lines and tick marks at the given pixel positions, labels, and axis titles.
 * `xTicks`/`yTicks` carry pixel positions in `px`.
 */
export function drawAxes(
  frame: Frame,
  xTicks: readonly (Tick & { px: number })[],
  yTicks: readonly (Tick & { px: number })[],
  xLabel: string,
  yLabel: string,
): string {
  const { left, top, width, height } = frame;
  const bottom = top + height;
  const right = left + width;
  let out = '<g class="grid" stroke="#e6e6e6" stroke-width="1">\n';
  for (const t of xTicks) {
    if (t.major) out += `<line x1="${fmt(t.px)}" y1="${fmt(top)}" x2="${fmt(t.px)}" y2="${fmt(bottom)}"/>\n`;
  }
  for (const t of yTicks) {
    if (t.major) out += `<line x1="${fmt(left)}" y1="${fmt(t.px)}" x2="${fmt(right)}" y2="${fmt(t.px)}"/>\n`;
  }
  out += '</g>\n<g class="axes" stroke="#333333" stroke-width="1" fill="none">\n';
  out += `<rect x="${fmt(left)}" y="${fmt(top)}" width="${fmt(width)}" height="${fmt(height)}"/>\n`;
  for (const t of xTicks) {
    const len = t.major ? 6 : 3;
    out += `<line class="tick-x" x1="${fmt(t.px)}" y1="${fmt(bottom)}" x2="${fmt(t.px)}" y2="${fmt(bottom + len)}"/>\n`;
  }
  for (const t of yTicks) {
    const len = t.major ? 6 : 3;
    out += `<line class="tick-y" x1="${fmt(left - len)}" y1="${fmt(t.px)}" x2="${fmt(left)}" y2="${fmt(t.px)}"/>\n`;
  }
  out += '</g>\n<g class="tick-labels" fill="#333333">\n';
  for (const t of xTicks) if (t.label) out += tickLabel(t.px, bottom + 20, t, 'middle', 'tick-label-x');
  for (const t of yTicks) if (t.label) out += tickLabel(left - 9, t.px + 4, t, 'end', 'tick-label-y');
  out += '</g>\n';
  if (xLabel) out += text(left + width / 2, bottom + 42, xLabel, 'middle', 'class="x-label" font-size="13"');
  if (yLabel) {
    const x = left - 52;
    const y = top + height / 2;
    out += `<text class="y-label" x="${fmt(x)}" y="${fmt(y)}" text-anchor="middle" font-size="13" transform="rotate(-90 ${fmt(x)} ${fmt(y)})">${escapeXml(yLabel)}</text>\n`;
  }
  return out;
}

/** A title centred above the frame. */
export function drawTitle(frame: Frame, title: string): string {
  return title
    ? text(
        frame.left + frame.width / 2,
        frame.top - 14,
        title,
        'middle',
        'class="title" font-size="15" font-weight="bold"',
      )
    : '';
}

/** A legend entry: label, colour, and how its key is drawn. */
export interface LegendEntry {
  readonly label: string;
  readonly color: string;
  readonly line: boolean;
  readonly marker: boolean;
  readonly dash?: string;
}

/** Where the legend box sits inside the frame. */
export type LegendPosition = 'top-right' | 'top-left' | 'bottom-right' | 'bottom-left';

/** A legend box in a corner of the frame (entries with empty labels are left out). */
export function drawLegend(
  frame: Frame,
  entries: readonly LegendEntry[],
  position: LegendPosition = 'top-right',
): string {
  const shown = entries.filter((e) => e.label);
  if (shown.length === 0) return '';
  const longest = Math.max(...shown.map((e) => e.label.length));
  const boxWidth = 36 + 7 * longest;
  const boxHeight = 8 + 18 * shown.length;
  const x = position.endsWith('right') ? frame.left + frame.width - boxWidth - 8 : frame.left + 8;
  const y = position.startsWith('top') ? frame.top + 8 : frame.top + frame.height - boxHeight - 8;
  let out = `<g class="legend">\n<rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(boxWidth)}" height="${fmt(boxHeight)}" fill="#ffffff" fill-opacity="0.85" stroke="#999999"/>\n`;
  shown.forEach((e, i) => {
    const cy = y + 13 + 18 * i;
    if (e.line) {
      out += `<line x1="${fmt(x + 6)}" y1="${fmt(cy)}" x2="${fmt(x + 26)}" y2="${fmt(cy)}" stroke="${e.color}" stroke-width="2"${e.dash ? ` stroke-dasharray="${e.dash}"` : ''}/>\n`;
    }
    if (e.marker) out += `<circle cx="${fmt(x + 16)}" cy="${fmt(cy)}" r="3" fill="${e.color}"/>\n`;
    out += text(x + 32, cy + 4, e.label, 'start');
  });
  return `${out}</g>\n`;
}
