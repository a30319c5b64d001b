// TensorFlow.js' `tf.serialization` for kerasm's custom layers: registerClass on top of
// km.layers.registerLayer, so that a ported `registerClass(MyLayer)` line keeps working.
import { LayersModel } from './engine/model.js';
import { tfjsClassName } from './engine/foreign_values.js';
import { Layer } from './layers/layer.js';
import { isBuiltinLayerClass, registerLayer } from './layers/registry.js';
import { describeValue } from './ops/operand.js';
import { recordRegisteredClass, registeredClass } from './io/registered_classes.js';

/**
 * A custom layer class as {@link registerClass} takes it: a subclass of `km.layers.Layer` or
 * `km.layers.CallLayer` with `static className`, and optionally tfjs' `static fromConfig(cls, config)`.
 */
export interface SerializableLayerClass<T extends Layer = Layer> {
  new (config: Record<string, unknown>): T;
  readonly className?: string;
  /** tfjs' `fromConfig(cls, config)`; kerasm's own one-argument form (StringLookup's) is left to the constructor. */
  readonly fromConfig?: (...args: never[]) => unknown;
}

/** tfjs' `static fromConfig(cls, config)`. */
type TfjsFromConfig<T extends Layer> = (cls: SerializableLayerClass<T>, config: Record<string, unknown>) => T;

/**
 * Registers a custom layer class so that loading a saved model rebuilds its layers, as
 * TensorFlow.js' `tf.serialization.registerClass` does: through `km.layers.registerLayer`, under
 * `name` or else the class's `static className`. Loading calls the class's `static fromConfig(cls,
 * config)` when it defines one, else `new cls(config)`. The layers' `className` (what a saved file
 * records, the second argument of `super(args, name)`) must be that name: saving or loading a layer
 * whose className differs throws, naming both (a subclass that sets only a new `static className`
 * keeps its parent's, and would save, then load, as the parent class). `pkg` (tfjs' default
 * `'Custom'`) only forms the name {@link getRegisteredName} gives, `'Custom>Scale'`: saved files
 * record the class name alone, in tfjs 4.x as in kerasm. Returns the class.
 *
 * @example
 * ```ts
 * class Scale extends km.layers.CallLayer {
 *   static readonly className = 'Scale';
 *   readonly className = Scale.className;
 *   readonly factor: number;
 *   constructor(config: km.layers.LayerArgs & { factor?: number } = {}) {
 *     const { factor = 2, ...rest } = config;
 *     super(rest, Scale.className);
 *     this.factor = factor;
 *   }
 *   call(x: km.Tensor): km.Tensor {
 *     return km.mul(x, this.factor);
 *   }
 *   override getConfig(): Record<string, unknown> {
 *     return { ...super.getConfig(), factor: this.factor };
 *   }
 * }
 * km.serialization.registerClass(Scale);
 * ```
 */
export function registerClass<C extends SerializableLayerClass>(cls: C, pkg?: string, name?: string): C {
  checkLayerClass(cls);
  const className = name ?? cls.className;
  if (typeof className !== 'string' || className === '') {
    const what = name !== undefined ? `name=${JSON.stringify(name)}` : `${cls.name}.className=${cls.className === undefined ? 'undefined' : JSON.stringify(cls.className)}`;
    throw new Error(
      `registerClass(${cls.name}): the class being registered must have a static className, a non-empty string (the name its saved layers record). ` +
        `Add \`static readonly className = '${cls.name}';\` to the class, or pass the name: registerClass(${cls.name}, undefined, '${cls.name}'). Received: ${what}.`,
    );
  }
  if (isBuiltinLayerClass(className)) {
    const what = name !== undefined ? `name='${className}'` : `${cls.name}.className='${className}'`;
    throw new Error(
      `registerClass(${cls.name}): '${className}' is a kerasm built-in layer class, and every saved model's ${className} layers load through it. ` +
        `Give ${cls.name} a name of its own, e.g. 'My${className}': \`static readonly className = 'My${className}';\`, the same readonly className on its layers, passed as super(args, 'My${className}'). Received: ${what}.`,
    );
  }
  if (pkg !== undefined && (typeof pkg !== 'string' || pkg === '')) {
    throw new Error(`registerClass(${cls.name}): pkg, the package part of getRegisteredName's 'pkg>name', must be a non-empty string or undefined ('Custom'). Received: pkg=${JSON.stringify(pkg)}.`);
  }
  const fromConfig = typeof cls.fromConfig === 'function' && cls.fromConfig.length >= 2 ? (cls.fromConfig as unknown as TfjsFromConfig<Layer>) : undefined;
  registerLayer(className, (config) => {
    const layer = fromConfig ? fromConfig.call(cls, cls, config) : new cls(config);
    if (!(layer instanceof Layer) || layer.className !== className) {
      const made = layer instanceof Layer ? `a layer whose className is ${JSON.stringify(layer.className)}` : 'no kerasm layer';
      throw new Error(
        `${cls.name} is registered as '${className}', but ${fromConfig ? `${cls.name}.fromConfig` : `new ${cls.name}(config)`} made ${made}. ` +
          `Saved files record a layer's className, so it must be the registered name: set \`readonly className = '${className}'\` on the class and pass it as super(args, '${className}').`,
      );
    }
    return layer;
  });
  recordRegisteredClass(cls, { className, pkg: pkg ?? 'Custom' });
  return cls;
}

/**
 * The name {@link registerClass} gave a class, `'pkg>name'` (`'Custom>Scale'` by default), or its
 * `static className` when it was not registered, as tfjs' `tf.serialization.getRegisteredName`.
 *
 * @example
 * ```ts
 * km.serialization.registerClass(Scale, 'MyLib');
 * km.serialization.getRegisteredName(Scale); // 'MyLib>Scale'
 * ```
 */
export function getRegisteredName(cls: SerializableLayerClass): string | undefined {
  const entry = registeredClass(cls);
  return entry ? `${entry.pkg}>${entry.className}` : cls.className;
}

/** Refuses what is not a kerasm layer class: a model class, a TensorFlow.js layer class, anything else. */
function checkLayerClass(cls: unknown): asserts cls is SerializableLayerClass {
  if (typeof cls === 'function' && cls.prototype instanceof Layer) return;
  const name = typeof cls === 'function' ? cls.name : undefined;
  if (typeof cls === 'function' && (cls === LayersModel || cls.prototype instanceof LayersModel)) {
    throw new Error(
      `registerClass(${name}): ${name} is a model class, and kerasm, like tfjs, saves models by their layers, not by a model class. ` +
        `Register the custom layers the model holds, and load it with km.loadLayersModel. Received: a subclass of km.LayersModel.`,
    );
  }
  // A tfjs class's prototype has tfjs' getClassName, as its instances do.
  const tfjsClass = typeof cls === 'function' && tfjsClassName(cls.prototype) !== null;
  const received = tfjsClass ? `${name}, a TensorFlow.js class (tf.layers.Layer or another tf.serialization.Serializable)` : typeof cls === 'function' ? `the class ${name || '(anonymous)'}, which does not extend km.layers.Layer` : describeValue(cls);
  throw new Error(
    `registerClass takes a kerasm layer class: one that extends km.layers.CallLayer (call() with km ops, as a tfjs layer) or km.layers.Layer (forward and backward on the backend). ` +
      `Received: ${received}. ${tfjsClass ? 'Register the TensorFlow.js class with tf.serialization.registerClass; for kerasm, write it as a km.layers.CallLayer (docs/CUSTOM_LAYERS.md).' : ''}`.trimEnd(),
  );
}
