/** The models layer: RBMs, autoencoders, optimisers, initialisers, serialisation. */
export * from './optim.js';
export * from './types.js';
export * from './dense.js';
export * from './autoencoder.js';
