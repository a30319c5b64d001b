// km.layers. Each barrel below is re-exported whole (export *), which lets a bundler leave out the
// modules of the layers an app never makes; builtin_layer_modules.ts loads them when a model needs them.
export * from './core_layers.js';
export * from './activation_layers.js';
export * from './recurrent_layers.js';
export * from './convolutional_sequence_layers.js';
export * from './shape_layers.js';
export * from './volume_layers.js';
export * from './wrapper_layers.js';
export * from './attention_layers.js';
export * from './preprocessing_layers.js';
export * from './augmentation_layers.js';
export * from './normalization_layers.js';
export { Layer, type Shape, type ForwardContext, type BackwardContext } from './layer.js';
export type { SampleShape } from '../engine/unknown_dims.js';
export { CallLayer, type CallArgs } from './call_layer.js';
export type { LayerArgs } from './layer_args.js';
export type { MayReturnList, ReturnsList } from './list_outputs.js';
export type { Initializer, InitializerConfig, InitializerName, InitializerSpec } from '../initializers/initializers.js';
export { LayerWeight } from './layer_weight.js';
export { registerLayer, layerFromConfig, loadLayerClasses, registeredLayerClasses, type LayerFactory } from './registry.js';

// tf.layers.input: the same function as km.input, whose shape leaves out the batch axis.
export { input } from '../engine/symbolic.js';
