/** The models layer: RBMs, autoencoders, optimisers, initialisers, serialisation. */

export * from './autoencoder.js';
export * from './dense.js';
export * from './init.js';
export * from './mlp.js';
export * from './optim.js';
export * from './partition.js';
export * from './rbm.js';
export * from './rbmFlow.js';
export * from './rbmStack.js';
export * from './rbmTrain.js';
export * from './serialize.js';
export * from './serializeNode.js';
export * from './types.js';
