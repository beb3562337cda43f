import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { base64Encode as base64 } from '../../src/core/base64.js';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { colormapHex, colormapRgb } from '../../src/plot/colormap.js';
import { barChart, encodePng, heatmap, imageGrid, linePlot } from '../../src/plot/index.js';
import { escapeXml } from '../../src/plot/svg.js';
import { formatTick, linearTicks, logTicks, logTicksFitted } from '../../src/plot/ticks.js';

/** A tiny XML well-formedness check: balanced, properly nested tags, quoted attributes, escaped text. */
function checkXml(svg: string): Map<string, number> {
  const counts = new Map<string, number>();
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  let roots = 0;
  while (i < svg.length) {
    const lt = svg.indexOf('<', i);
    const textPart = svg.slice(i, lt < 0 ? svg.length : lt);
    if (/&(?!(amp|lt|gt|quot|#39);)/.test(textPart) || textPart.includes('>'))
      throw new Error(`unescaped text near ${i}: ${textPart.slice(0, 40)}`);
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(svg);
    if (!m) throw new Error(`malformed tag at ${lt}: ${svg.slice(lt, lt + 60)}`);
    const [, close, name, , selfClose] = m;
    if (close) {
      if (stack.pop() !== name) throw new Error(`mismatched </${name}> at ${lt}`);
    } else {
      counts.set(name!, (counts.get(name!) ?? 0) + 1);
      if (stack.length === 0) roots++;
      if (!selfClose) stack.push(name!);
    }
    i = tag.lastIndex;
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('> <')}>`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
  return counts;
}

const attr = (el: string, name: string) => Number(new RegExp(`${name}="([^"]+)"`).exec(el)![1]);

describe('ticks', () => {
  it('linear ticks step by 1, 2 or 5 times a power of ten and cover the data', () => {
    const { domain, ticks } = linearTicks(0.13, 0.87, 4);
    expect(domain).toEqual([0, 1]);
    expect(ticks.map((t) => t.label)).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    expect(linearTicks(-3, 47).ticks.map((t) => t.label)).toEqual(['-10', '0', '10', '20', '30', '40', '50']);
    expect(linearTicks(5, 5).domain[0]).toBeLessThan(5);
    expect(formatTick(-0.0000001, 1)).toBe('-1e-7');
    expect(formatTick(2.5e6, 5e5)).toBe('2.5e+6');
  });

  it('log ticks sit on whole decades with 2..9 minor ticks', () => {
    const { domain, ticks } = logTicks(0.003, 42);
    expect(domain).toEqual([1e-3, 100]);
    const majors = ticks.filter((t) => t.major);
    expect(majors.map((t) => t.exponent)).toEqual([-3, -2, -1, 0, 1, 2]);
    expect(ticks.filter((t) => !t.major)).toHaveLength(5 * 8);
    expect(logTicks(1e-30, 1e30).ticks.filter((t) => t.major).length).toBeLessThanOrEqual(11);
    expect(() => logTicks(0, 1)).toThrow(DomainError);
    // Fitted log domains: data plus 4% per side; within one decade the 2..9 x 10^k ticks get labels.
    const narrow = logTicksFitted(3, 4);
    expect(narrow.ticks.filter((t) => t.label).map((t) => t.label)).toEqual(['3', '4']);
    expect(Math.log10(narrow.domain[1]) - Math.log10(4)).toBeCloseTo(0.04 * Math.log10(4 / 3), 12);
    const wide = logTicksFitted(1e-3, 1e5);
    expect(wide.ticks.filter((t) => t.label).map((t) => t.exponent)).toEqual([-3, -2, -1, 0, 1, 2, 3, 4, 5]);
    expect(() => logTicksFitted(-1, 1)).toThrow(/logTicksFitted: domain/);
  });
});

describe('linePlot', () => {
  const r = [1, 2, 4, 8, 16, 32];
  const g = r.map((x) => x ** -0.25);
  const options = {
    series: [
      { x: r, y: g, yError: g.map((v) => 0.05 * v), label: 'RBM <s & s>', style: 'points' as const },
      { x: r, y: g, label: 'exact r^(-1/4)', dashed: true },
    ],
    xScale: 'log' as const,
    yScale: 'log' as const,
    xLabel: 'r',
    yLabel: 'G(r)',
    title: 'Correlator at T_c',
    referenceLines: [{ y: 0.5, label: 'half' }],
  };

  it('is well-formed, escapes text and has the expected elements', () => {
    const svg = linePlot(options);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const counts = checkXml(svg);
    expect(counts.get('circle')).toBe(6 + 1); // six points + the legend marker of the 'points' series
    expect(svg).toContain('RBM &lt;s &amp; s&gt;');
    expect(svg).toContain('class="error-bars"');
    expect(svg).toContain('stroke-dasharray="6 4"');
    expect(svg).toContain('class="reference"');
  });

  it('places log decades at equal spacing, at the pixel positions the data maps to', () => {
    const svg = linePlot({ ...options, width: 640, height: 420 });
    // x: data 1..32, padded by 4% of the span in decades on each side; decades 10^0 and 10^1 inside.
    const labels = [
      ...svg.matchAll(/<text class="tick-label-x" x="([^"]+)"[^>]*>10<tspan[^>]*>(-?\d+)<\/tspan>/g),
    ];
    expect(labels.map((m) => Number(m[2]))).toEqual([0, 1]);
    const [p0, p1] = labels.map((m) => Number(m[1])) as [number, number];
    const decade = p1 - p0;
    const pad = 0.04 * Math.log10(32);
    expect(decade).toBeCloseTo(548 / (Math.log10(32) + 2 * pad), 1);
    expect(p0).toBeCloseTo(72 + pad * decade, 1);
    // Each point sits at p0 + log10(x) decades.
    const cx = [...svg.matchAll(/<circle class="point" cx="([^"]+)"/g)].map((m) => Number(m[1]));
    for (let j = 0; j < r.length; j++) expect(cx[j]).toBeCloseTo(p0 + Math.log10(r[j]!) * decade, 1);
    // Minor ticks at m x 10^k inside the domain [0.87, 36.7]: 0.9, then 2..9, then 20 and 30.
    expect(svg.match(/<line class="tick-x"[^>]*y2="367"/g)).toHaveLength(1 + 8 + 2);
    // y: data and error bars span 0.40..1.05, so only one decade (10^0) is inside: 0.5 is labelled too.
    const yLabels = [...svg.matchAll(/<text class="tick-label-y" x="[^"]+" y="([^"]+)"[^>]*>([^<]+)</g)].map(
      (m) => m[2],
    );
    expect(yLabels).toEqual(['0.5', '10']);
    // Whole-decade domains (logTicks) for heat-map-like uses.
    expect(logTicks(0.003, 42).domain).toEqual([1e-3, 100]);
  });

  it('gives byte-identical output for identical input', () => {
    expect(linePlot(options)).toBe(linePlot(JSON.parse(JSON.stringify(options))));
    expect(linePlot({ ...options, series: [{ x: new Float64Array(r), y: new Float32Array(g) }] })).toBe(
      linePlot({ ...options, series: [{ x: new Float64Array(r), y: new Float32Array(g) }] }),
    );
  });

  it('skips non-positive values on log axes but rejects NaN and bad shapes', () => {
    const svg = linePlot({
      series: [{ x: [1, 2, 3, 4], y: [1, -0.1, 0.01, 0.001], style: 'both' }],
      yScale: 'log',
    });
    checkXml(svg);
    expect(svg.match(/class="point"/g)).toHaveLength(3);
    expect(svg).toMatch(/class="line" d="M[^"]*M[^"]*"/); // the line is broken at the skipped point
    expect(() => linePlot({ series: [{ x: [1, 2], y: [1, Number.NaN] }] })).toThrow(
      /linePlot: series\[0\]\.y\[1\]: expected a finite number, received NaN/,
    );
    expect(() => linePlot({ series: [{ x: [1, 2], y: [1] }] })).toThrow(ShapeError);
    expect(() => linePlot({ series: [] })).toThrow(DomainError);
    expect(() => linePlot({ series: [{ x: [1], y: [1], yError: [-1] }] })).toThrow(/yError\[0\]/);
    expect(() => linePlot({ series: [{ x: [1], y: [1] }], xScale: 'loglog' as never })).toThrow(/xScale/);
  });

  it('draws bound points (readings beyond a grid) as open markers with arrows, without error bars or line', () => {
    const svg = linePlot({
      series: [
        {
          x: [0, 1, 2, 3],
          y: [2.6, 10, 3.2, 0.5],
          yError: [0.1, 0, 0.1, 0],
          bounds: [null, 'above', null, 'below'],
          style: 'both',
        },
      ],
    });
    checkXml(svg);
    expect(svg.match(/class="point"/g)).toHaveLength(2);
    expect(svg.match(/class="bound" data-bound="above"/g)).toHaveLength(1);
    expect(svg.match(/class="bound" data-bound="below"/g)).toHaveLength(1);
    expect(svg).toMatch(/<circle [^>]*fill="white"/); // open marker
    // the line is broken at both bound points: two single-point pieces (x = 0, x = 2), nothing joined
    const d = /class="line" d="([^"]+)"/.exec(svg)![1]!;
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d).not.toMatch(/L/);
    // the arrow of an 'above' point points up (smaller SVG y at its tip)
    const arrow = /data-bound="above"><circle [^>]*\/><path d="M([\d.]+) ([\d.]+)V([\d.]+)/.exec(svg)!;
    expect(Number(arrow[3])).toBeLessThan(Number(arrow[2]));
    expect(() => linePlot({ series: [{ x: [1, 2], y: [1, 2], bounds: [null] }] })).toThrow(
      /linePlot: series\[0\]\.bounds: expected length 2/,
    );
    expect(() => linePlot({ series: [{ x: [1], y: [1], bounds: ['up' as never] }] })).toThrow(
      /series\[0\]\.bounds\[0\]/,
    );
  });

  it('draws a shaded band per series and includes it in the axis range', () => {
    const x = [0, 1, 2, 3];
    const y = [1, 2, 3, 4];
    const svg = linePlot({
      series: [{ x, y, band: { lower: y.map((v) => v - 0.5), upper: y.map((v) => v + 3) } }],
    });
    checkXml(svg);
    const d = /<path class="band" d="([^"]+)"/.exec(svg)![1]!;
    expect(d.match(/[ML]/g)).toHaveLength(8);
    expect(d.endsWith('Z')).toBe(true);
    // The band reaches 7, so the y axis goes up to a tick at or above 7.
    const yLabels = [...svg.matchAll(/class="tick-label-y"[^>]*>([^<]+)</g)].map((m) => Number(m[1]));
    expect(Math.max(...yLabels)).toBeGreaterThanOrEqual(7);
    expect(() => linePlot({ series: [{ x, y, band: { lower: y, upper: [1] } }] })).toThrow(
      /series\[0\]\.band\.upper: expected length 4/,
    );
    expect(() => linePlot({ series: [{ x, y, band: { lower: [0, 0, Number.NaN, 0], upper: y } }] })).toThrow(
      /band\.lower\[2\]/,
    );
  });

  it('puts the legend in the requested corner, or leaves it out', () => {
    const legendRect = (svg: string) =>
      /<g class="legend">\n<rect x="([^"]+)" y="([^"]+)"/.exec(svg)!.slice(1).map(Number);
    const [xr, yt] = legendRect(linePlot(options));
    const [xl, yb] = legendRect(linePlot({ ...options, legend: 'bottom-left' }));
    expect(xl).toBe(80);
    expect(xr).toBeGreaterThan(300);
    expect(yt).toBe(48);
    expect(yb).toBeGreaterThan(300);
    expect(linePlot({ ...options, legend: false })).not.toContain('class="legend"');
    expect(() => linePlot({ ...options, legend: 'middle' as never })).toThrow(/linePlot: legend/);
  });

  it('draws linear axes with a fixed domain', () => {
    const svg = linePlot({ series: [{ x: [0, 1, 2], y: [0, 1, 4] }], xDomain: [0, 2], yDomain: [0, 5] });
    checkXml(svg);
    const labels = [...svg.matchAll(/class="tick-label-y"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(labels).toEqual(['0', '1', '2', '3', '4', '5']);
  });
});

describe('barChart', () => {
  it('draws one bar per group and category with error bars, well-formed and deterministic', () => {
    const options = {
      categories: ['Ising', 'MNIST', 'flowers'],
      groups: [
        { label: 'trained', values: [0.9, 0.7, 0.5], errors: [0.02, 0.03, 0.05] },
        { label: 'random', values: [0.1, 0.05, 0.08] },
      ],
      yLabel: 'overlap',
      title: 'Subspace overlap',
    };
    const svg = barChart(options);
    checkXml(svg);
    expect(svg.match(/class="bar"/g)).toHaveLength(6);
    expect(svg.match(/class="error-bars"/g)).toHaveLength(1);
    expect(svg).toContain('>flowers</text>');
    expect(barChart(options)).toBe(svg);
    // Bars start at 0: a bar's bottom edge is the y of the tick labelled 0.
    const zeroY = Number(/<text class="tick-label-y" x="[^"]+" y="([^"]+)"[^>]*>0</.exec(svg)![1]) - 4;
    const bar = /<rect class="bar"[^>]*>/.exec(svg)![0];
    expect(attr(bar, 'y') + attr(bar, 'height')).toBeCloseTo(zeroY, 1);
    expect(() => barChart({ ...options, groups: [{ label: 'x', values: [1, 2] }] })).toThrow(ShapeError);
    expect(() => barChart({ ...options, groups: [{ label: 'x', values: [1, Number.NaN, 2] }] })).toThrow(
      /values\[1\]/,
    );
  });
});

describe('heatmap and imageGrid', () => {
  it('heatmap: one rect per cell, diverging map symmetric about zero', () => {
    const values = { data: [-2, 0, 1, 2, 0.5, -1], rows: 2, cols: 3 };
    const svg = heatmap(values, { colormap: 'diverging', title: 'W <v h>' });
    checkXml(svg);
    const cells = /<g class="cells">([\s\S]*?)<\/g>/.exec(svg)![1]!.match(/<rect/g);
    expect(cells).toHaveLength(6);
    expect(svg).toContain(`fill="${colormapHex('diverging', 0.5)}"`); // 0 -> the middle (white)
    expect(colormapHex('diverging', 0.5)).toBe('#f7f7f7');
    expect(heatmap(values)).toBe(heatmap(values));
    // the same numbers as 3 rows of 2: another picture (the shape is part of the input)
    expect(heatmap({ ...values, rows: 3, cols: 2 })).not.toBe(heatmap(values));
    expect(() => heatmap({ data: [1, Number.NaN], rows: 1, cols: 2 })).toThrow(
      /heatmap: matrix.data\[1\]: expected a finite number/,
    );
    expect(() => heatmap({ data: [1, 2, 3], rows: 2, cols: 2 })).toThrow(ShapeError);
    expect(() => heatmap([1, 2, 3, 4] as never)).toThrow(/heatmap: matrix: expected a Matrix/);
  });

  it('heatmap: large matrices become one embedded PNG', () => {
    const n = 100;
    const values = Float64Array.from({ length: n * n }, (_, i) => Math.sin(i));
    const svg = heatmap({ data: values, rows: n, cols: n });
    checkXml(svg);
    expect(svg.match(/<image /g)).toHaveLength(1);
    // An indexed PNG (1 byte per cell) whose colours are the colour map's at the cell values.
    const png = PNG.sync.read(Buffer.from(/href="data:image\/png;base64,([^"]+)"/.exec(svg)![1]!, 'base64'));
    expect([png.width, png.height]).toEqual([n, n]);
    expect(svg.length).toBeLessThan(n * n * 1.4 + 8000); // RGB would need over 4 n^2 bytes
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    for (const i of [0, 1, 777, n * n - 1]) {
      const expected = colormapRgb('viridis-like', Math.round(((values[i]! - lo) / (hi - lo)) * 255) / 255);
      expect(Array.from(png.data.subarray(4 * i, 4 * i + 3))).toEqual(expected);
    }
  });

  it('encodePng takes the shape with the bytes: a wrong shape or bare bytes are refused by name', () => {
    const data = new Uint8Array(12);
    expect(() => encodePng({ data, width: 4, height: 4, channels: 1 })).toThrow(ShapeError);
    expect(() => encodePng({ data, width: 4, height: 4, channels: 1 })).toThrow(
      'encodePng: image.data: expected 16 bytes (4 x 4 x 1)',
    );
    expect(() => encodePng(data as never)).toThrow(DomainError);
    expect(() => encodePng(data as never)).toThrow('encodePng: image: expected an image');
    expect(() => encodePng({ data, width: 2, height: 2, channels: 3 }, Uint8Array.of(0, 0, 0))).toThrow(
      'encodePng: image.channels: expected 1 with a palette',
    );
    // the same bytes as 4 x 3 and 3 x 4 are different PNGs, each with its own header
    const wide = PNG.sync.read(Buffer.from(encodePng({ data, width: 4, height: 3, channels: 1 })));
    const tall = PNG.sync.read(Buffer.from(encodePng({ data, width: 3, height: 4, channels: 1 })));
    expect([wide.width, wide.height, tall.width, tall.height]).toEqual([4, 3, 3, 4]);
  });

  it('encodePng output decodes with pngjs to the same pixels', () => {
    const gray = Uint8Array.from({ length: 7 * 5 }, (_, i) => (i * 31) % 256);
    const png = PNG.sync.read(Buffer.from(encodePng({ data: gray, width: 7, height: 5, channels: 1 })));
    expect([png.width, png.height]).toEqual([7, 5]);
    for (let i = 0; i < 35; i++) expect(png.data[4 * i]).toBe(gray[i]);
    // More than one 64 KiB stored block.
    const w = 300;
    const h = 100;
    const rgb = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 7) % 251);
    const big = PNG.sync.read(Buffer.from(encodePng({ data: rgb, width: w, height: h, channels: 3 })));
    for (let i = 0; i < w * h; i += 97)
      expect([big.data[4 * i], big.data[4 * i + 1], big.data[4 * i + 2]]).toEqual([
        rgb[3 * i],
        rgb[3 * i + 1],
        rgb[3 * i + 2],
      ]);
    expect(base64(new TextEncoder().encode('any carnal pleas'))).toBe(
      Buffer.from('any carnal pleas').toString('base64'),
    );
    expect(base64(new Uint8Array([1, 2]))).toBe('AQI=');
  });

  it('imageGrid: a 100 x 784 grid is an embedded PNG holding each tile, normalised per image', () => {
    const n = 100;
    const images = new Float64Array(n * 784);
    for (let k = 0; k < n; k++) for (let p = 0; p < 784; p++) images[k * 784 + p] = k + (p % 28) / 27; // ramp per tile
    const svg = imageGrid(images, { rows: 10, cols: 10, height: 28, width: 28 });
    checkXml(svg);
    expect(svg.length).toBeLessThan(200_000);
    const uri = /href="data:image\/png;base64,([^"]+)"/.exec(svg)![1]!;
    const png = PNG.sync.read(Buffer.from(uri, 'base64'));
    expect([png.width, png.height]).toEqual([10 * 28 + 11, 10 * 28 + 11]);
    // Tile (row 3, col 4): its first column is black, last column white (per-image min-max).
    const at = (x: number, y: number) => png.data[4 * (y * png.width + x)];
    const ox = 1 + 4 * 29;
    const oy = 1 + 3 * 29;
    expect(at(ox, oy + 5)).toBe(0);
    expect(at(ox + 27, oy + 5)).toBe(255);
    expect(at(0, 0)).toBe(255); // gap
    expect(imageGrid(images, { rows: 10, cols: 10, height: 28, width: 28 })).toBe(svg);
  });

  it('imageGrid: a tiny grid as rects, global normalisation, RGB, and input checks', () => {
    const images = [0, 1, 2, 3, 4, 5, 6, 7]; // two 2 x 2 images
    const rects = imageGrid(images, {
      rows: 1,
      cols: 2,
      height: 2,
      width: 2,
      normalize: 'global',
      encoding: 'rects',
    });
    checkXml(rects);
    expect(rects).toContain('fill="#000000"');
    // 7 x 4 grid with 1-pixel gaps; every value has its own grey, the maximum (7) is white = background:
    // row 1 holds 0 1 | 4 5 (4 runs), row 2 holds 2 3 | 6 (3 runs).
    expect(rects.match(/<rect x=/g)).toHaveLength(7);
    const png = imageGrid(images, {
      rows: 1,
      cols: 2,
      height: 2,
      width: 2,
      normalize: 'global',
      encoding: 'png',
    });
    const auto = imageGrid(images, { rows: 1, cols: 2, height: 2, width: 2, normalize: 'global' });
    expect(auto.length).toBe(Math.min(png.length, rects.length));
    const rgb = imageGrid(new Float64Array(3 * 4 * 3).fill(0.25), {
      rows: 2,
      cols: 2,
      height: 2,
      width: 2,
      channels: 3,
      normalize: 'none',
      encoding: 'png',
    });
    checkXml(rgb);
    const sym = imageGrid([-2, 0, 1, 2], {
      rows: 1,
      cols: 1,
      height: 2,
      width: 2,
      normalize: 'symmetric',
      colormap: 'diverging',
      encoding: 'rects',
    });
    expect(sym).toContain(`fill="${colormapHex('diverging', 0.5)}"`); // 0 -> the middle colour
    expect(sym).toContain(`fill="${colormapHex('diverging', 0.75)}"`); // 1 of max 2
    expect(
      imageGrid([-2, 0, 1, 2], {
        rows: 1,
        cols: 1,
        height: 2,
        width: 2,
        colormap: 'diverging',
        encoding: 'rects',
      }),
    ).toBe(sym);
    expect(() => imageGrid([1, 2, 3], { rows: 1, cols: 1, height: 2, width: 2 })).toThrow(ShapeError);
    expect(() => imageGrid(new Float64Array(12), { rows: 1, cols: 2, height: 2, width: 2 })).toThrow(
      /at most rows \* cols = 2 images/,
    );
    expect(() => imageGrid([0, 1, Number.NaN, 3], { rows: 1, cols: 1, height: 2, width: 2 })).toThrow(
      /imageGrid: images\[2\]/,
    );
  });

  it('escapes every kind of special character', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
