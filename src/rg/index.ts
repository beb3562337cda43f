/** The rg layer: real-space block transforms, momentum-shell RG, RBM flows and temperature estimators. */
export * from './block.js';
export * from './flow.js';
export * from './momentum.js';
export * from './networkThermometer.js';
export * from './thermometer.js';
