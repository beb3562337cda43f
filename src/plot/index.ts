/** A small SVG plotting module (browser-safe): line plots with error bars, bar charts, heat maps, image grids and PNG encoding. The same input gives byte-identical output. */

export type { LegendPosition } from './axes.js';
export { type BarChartOptions, type BarGroup, barChart } from './barChart.js';
export type { Colormap } from './colormap.js';
export { type HeatmapOptions, heatmap } from './heatmap.js';
export { type ImageGridOptions, imageGrid } from './imageGrid.js';
export { type LinePlotOptions, type LineSeries, linePlot, type ReferenceLine } from './linePlot.js';
export { encodePng, type PngImage } from './png.js';
export type { AxisScale } from './ticks.js';
