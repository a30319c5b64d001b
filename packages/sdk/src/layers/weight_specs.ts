// The weight specs a layer declares: its own (Layer.addWeight), and those of a layer it runs (Layer.addInnerWeights).
import { getInitializer, type Initializer, type InitializerSpec } from '../initializers/initializers.js';
import type { Layer, Shape } from './layer.js';
import type { WeightSpec } from './layer_context.js';

/** A weight spec whose `trainable` is a getter, so that changing `layer.trainable` later reaches every reader of the spec. */
export function weightSpec(name: string, shape: Shape, initializer: Initializer, isTrainable: () => boolean): WeightSpec {
  return {
    name, shape, initializer,
    get trainable() {
      return isTrainable();
    },
  };
}

/** The initializer `spec` names, for `addWeight(weight, ...)` of the layer named `layer`; throws saying what it takes. */
export function weightInitializer(layer: string, weight: string, spec: InitializerSpec): Initializer {
  try {
    return getInitializer(spec);
  } catch (error) {
    throw new Error(`Layer '${layer}': addWeight('${weight}') takes an initializer name (e.g. 'glorotUniform', 'random_normal', 'zeros'), a config ({ className: 'RandomNormal', config: { stddev: 0.05 } }) or a function (shape, random) => Float32Array. ${(error as Error).message}`);
  }
}

/** The weights of `inner` as `outer`'s own, named `<outer>/<scope>/<weight>` (no scope: `<outer>/<weight>`); each trainable only while both layers are. */
export function innerWeightSpecs(outer: Layer, inner: Layer, scope: string): WeightSpec[] {
  return inner.weightSpecs.map((spec) => {
    const own = spec.name.slice(inner.name.length + 1);
    const name = [outer.name, scope, own].filter((part) => part !== '').join('/');
    return weightSpec(name, spec.shape, spec.initializer, () => spec.trainable && outer.trainable);
  });
}
