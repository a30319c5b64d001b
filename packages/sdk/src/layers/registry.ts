import type { Layer } from './layer.js';

/** Makes a layer from the plain-data configuration its `getConfig()` returned. */
export type LayerFactory = (config: Record<string, unknown>) => Layer;

const factories = new Map<string, LayerFactory>();

/**
 * Registers a layer class under its Keras class name, for deserialization. Each layer file calls
 * this at its bottom; custom layers call it too.
 */
export function registerLayer(className: string, factory: LayerFactory): void {
  factories.set(className, factory);
}

/** Rebuilds a layer from its class name and configuration. */
export function layerFromConfig(className: string, config: Record<string, unknown>): Layer {
  const factory = factories.get(className);
  if (!factory) {
    throw new Error(`Unknown layer class '${className}'. Known classes: ${[...factories.keys()].sort().join(', ')}. Register custom layers with km.layers.registerLayer('${className}', (config) => new MyLayer(config)).`);
  }
  return factory(config);
}

/** Class names that can be deserialized. */
export function registeredLayerClasses(): string[] {
  return [...factories.keys()].sort();
}
