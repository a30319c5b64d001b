import { Activation, type ActivationArgs } from './activation.js';
import { Dense, type DenseArgs } from './dense.js';
import { Flatten, type FlattenArgs } from './flatten.js';

/** A densely connected layer. @example `km.layers.dense({ units: 64, activation: 'relu' })` */
export function dense(args: DenseArgs): Dense {
  return new Dense(args);
}

/** Flattens each sample to one dimension. @example `km.layers.flatten({ inputShape: [28, 28] })` */
export function flatten(args?: FlattenArgs): Flatten {
  return new Flatten(args);
}

/** Applies an activation. @example `km.layers.activation({ activation: 'softmax' })` */
export function activation(args: ActivationArgs): Activation {
  return new Activation(args);
}

export { Activation, Dense, Flatten, type ActivationArgs, type DenseArgs, type FlattenArgs };
export { Layer, type LayerArgs, type Shape } from './layer.js';
export { registerLayer, layerFromConfig, registeredLayerClasses, type LayerFactory } from './registry.js';
