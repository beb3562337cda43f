/**
 * A small SVG plotting module (depends on core only; browser-safe): line plots with error bars on
 * linear or log axes, grouped bar charts, heat maps and image grids. Every function returns a complete
 * SVG document as a string; the same input gives byte-identical output.
 * @module
 */
export type { LegendPosition } from './axes.js';
export * from './barChart.js';
export * from './colormap.js';
export * from './heatmap.js';
export * from './imageGrid.js';
export * from './linePlot.js';
export * from './png.js';
export * from './svg.js';
export * from './ticks.js';
