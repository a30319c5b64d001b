import * as km from '@kerasm/sdk';

type LayerFactory = (args: unknown) => km.layers.Layer;

/**
 * `km.layers` functions a config's `model` list cannot use, with why: a Sequential feeds each layer
 * one tensor, and a JSON file cannot hold a layer object.
 */
const NOT_IN_CONFIGS: Readonly<Record<string, string>> = {
  layerFromConfig: 'not a factory',
  registerLayer: 'not a factory',
  registeredLayerClasses: 'not a factory',
  input: 'not a layer: km.input, a model input',
  bidirectional: 'wraps a layer object',
  timeDistributed: 'wraps a layer object',
  rnn: 'wraps a cell object',
  stackedRNNCells: 'wraps cell objects',
  simpleRNNCell: 'a cell, used inside rnn',
  gruCell: 'a cell, used inside rnn',
  lstmCell: 'a cell, used inside rnn',
  add: 'several inputs',
  average: 'several inputs',
  concatenate: 'several inputs',
  dot: 'several inputs',
  maximum: 'several inputs',
  minimum: 'several inputs',
  multiply: 'several inputs',
  subtract: 'several inputs',
  attention: 'several inputs',
  additiveAttention: 'several inputs',
  multiHeadAttention: 'several inputs',
  groupQueryAttention: 'several inputs',
};

/**
 * The layer types a config's `model` list accepts, by `km.layers` factory name: every factory
 * except those in {@link NOT_IN_CONFIGS}, so a layer added to the SDK is usable without a CLI change.
 */
export function configLayerTypes(): ReadonlyMap<string, LayerFactory> {
  const factories = Object.entries(km.layers).filter(([name, value]) => typeof value === 'function' && /^[a-z]/.test(name) && !(name in NOT_IN_CONFIGS));
  return new Map(factories as [string, LayerFactory][]);
}
