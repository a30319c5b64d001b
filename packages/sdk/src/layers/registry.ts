import type { Layer } from './layer.js';
import { checkedLayerFromConfig, layerAndUnusedKeys, type UnusedKey } from './config_keys.js';
import { BUILTIN_LAYER_MODULES } from './builtin_layer_modules.js';

/** Makes a layer from the plain-data configuration its `getConfig()` returned. */
export type LayerFactory = (config: Record<string, unknown>) => Layer;

const factories = new Map<string, LayerFactory>();
const builtIn = new Set(Object.keys(BUILTIN_LAYER_MODULES));

/**
 * Registers a layer class under its Keras class name, for deserialization: loading a model (or
 * `layerFromConfig`) calls `factory` with the config `getConfig()` returned. Each layer file calls
 * {@link registerBuiltinLayer} at its bottom; custom layers call this, under a name of their own: a built-in name
 * (`'Dense'`) is refused, since replacing it would change how every saved model's layers of that
 * class load. Registering a custom name again replaces the earlier factory, as Keras 3's
 * `register_keras_serializable` and tfjs' `registerClass` do (a module evaluated again, in a
 * notebook or with hot reloading).
 *
 * @example
 * ```ts
 * km.layers.registerLayer('Scale', (config) => new Scale(config));
 * ```
 */
export function registerLayer(className: string, factory: LayerFactory): void {
  if (typeof className !== 'string' || className === '' || typeof factory !== 'function') {
    throw new Error(`registerLayer takes the class name its layers save (a non-empty string) and a function that makes a layer from its config, e.g. registerLayer('Scale', (config) => new Scale(config)). Received: className=${JSON.stringify(className)}, factory=${typeof factory}.`);
  }
  if (builtIn.has(className)) {
    throw new Error(
      `registerLayer('${className}'): '${className}' is a kerasm built-in layer class, and every saved model's ${className} layers load through it. ` +
        `Register your class under another name, e.g. 'My${className}', and give its className (the second argument of super(args, name)) the same name.`,
    );
  }
  factories.set(className, factory);
}

/** What each built-in layer module calls at its bottom, for the class names BUILTIN_LAYER_MODULES lists. */
export function registerBuiltinLayer(className: string, factory: LayerFactory): void {
  factories.set(className, factory);
}

/**
 * Loads the code of the built-in layer classes named, for {@link layerFromConfig} and
 * `km.models.modelFromJSON`, which are synchronous. An app's bundler leaves out the layers the app
 * never makes (nothing in it calls `km.layers.lstm`), and such a class loads only when asked for;
 * `km.loadLayersModel` asks for every class its file names itself. In Node every class is loaded
 * from the start. A name that is not a built-in class is left to `registerLayer`.
 *
 * @example
 * ```ts
 * await km.layers.loadLayerClasses(['LSTM', 'Bidirectional']);
 * const lstm = km.layers.layerFromConfig('LSTM', { units: 8 });
 * ```
 */
export async function loadLayerClasses(classNames: Iterable<string>): Promise<void> {
  const loads = [...new Set(classNames)].filter((name) => builtIn.has(name) && !factories.has(name));
  await Promise.all(loads.map((name) => BUILTIN_LAYER_MODULES[name]!()));
}

/**
 * Rebuilds a layer from its class name and configuration: the config `getConfig()` returned, or for
 * kerasm's own classes the same config with Keras' and tfjs' snake_case keys (`use_bias`), which
 * Keras' `get_config()` and a tfjs model.json give. A key a built-in class has no use for is refused,
 * naming the key probably meant, rather than dropped. Keys that Keras 2, Keras 3 or tfjs write and
 * kerasm does not read are accepted where their value asks for what kerasm does (Keras 3's
 * `synchronized: false`, `lora_rank: null`), and refused, naming what kerasm lacks, where it does
 * not (`lora_rank: 4`). A custom class's factory gets the config as given.
 *
 * @example
 * ```ts
 * const dense = km.layers.layerFromConfig('Dense', { units: 3, use_bias: false });
 * ```
 */
export function layerFromConfig(className: string, config: Record<string, unknown>): Layer {
  const factory = factoryOf(className);
  return builtIn.has(className) ? checkedLayerFromConfig(className, config, factory) : factory(config);
}

/**
 * As {@link layerFromConfig}, without the check of a built-in class's keys: what a wrapper makes its
 * saved layer with, whose keys {@link savedLayerAndUnusedKeys} checked with the wrapper's.
 */
export function layerFromSavedConfig(className: string, config: Record<string, unknown>): Layer {
  return factoryOf(className)(config);
}

/**
 * What loading a saved model makes a layer with: the layer a saved config (camelCase keys) gives,
 * and, for a built-in class, the keys of that config kerasm has no use for. Loading warns of them
 * rather than refusing them, so that a file that loaded before still loads.
 */
export function savedLayerAndUnusedKeys(className: string, config: Record<string, unknown>): { layer: Layer; unused: UnusedKey[] } {
  const factory = factoryOf(className);
  return builtIn.has(className) ? layerAndUnusedKeys(className, config, factory) : { layer: factory(config), unused: [] };
}

function factoryOf(className: string): LayerFactory {
  if (typeof className !== 'string') {
    const serialized = className as unknown as { className?: unknown; class_name?: unknown };
    const name = serialized?.className ?? serialized?.class_name;
    const fix = typeof name === 'string' ? `For tfjs' serialized form { className, config }, call km.layers.layerFromConfig('${name}', serialized.config).` : "Pass both, e.g. km.layers.layerFromConfig('Dense', { units: 10 }).";
    throw new Error(`km.layers.layerFromConfig takes the class name and the config as two arguments. Received: ${describeArgument(className)} as the class name. ${fix}`);
  }
  const factory = factories.get(className);
  if (factory) return factory;
  if (builtIn.has(className)) {
    throw new Error(
      `Layer class '${className}' is kerasm's, but its code is not loaded: this app's bundle leaves out the layers it never makes. ` +
        `Call await km.layers.loadLayerClasses(['${className}']) first (km.loadLayersModel loads the classes of its file itself).`,
    );
  }
  throw new Error(`Unknown layer class '${className}'. Known classes: ${registeredLayerClasses().join(', ')}. Register custom layers with km.layers.registerLayer('${className}', (config) => new MyLayer(config)).`);
}

/** Whether `className` is one of kerasm's own layer classes, loaded or not: a name `registerLayer` refuses. */
export function isBuiltinLayerClass(className: string): boolean {
  return builtIn.has(className);
}

/** Whether `className` has a registered factory. */
export function isRegisteredLayer(className: string): boolean {
  return factories.has(className);
}

/** Class names that can be deserialized: kerasm's own, loaded or not, and those registered with `registerLayer`. */
export function registeredLayerClasses(): string[] {
  return [...new Set([...builtIn, ...factories.keys()])].sort();
}

function describeArgument(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : typeof value;
}
