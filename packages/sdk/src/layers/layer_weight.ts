import { weightOrder } from '../engine/params.js';
import type { Tensor } from '../tensor.js';
import type { Layer, Shape, WeightSpec } from './layer.js';

/**
 * One weight of a layer, as tfjs' `LayerVariable` and Keras' variables show it: its name, shape
 * and whether training updates it, and its current values, read and written wherever the layer's
 * weights live (every model holding the layer sees a write).
 *
 * @example
 * ```ts
 * for (const w of model.trainableWeights) console.log(w.name, w.shape);
 * const kernel = model.getLayer('dense').weights[0].read();
 * ```
 */
export class LayerWeight {
  constructor(
    /** The layer that owns the weight. */
    readonly layer: Layer,
    readonly spec: WeightSpec,
  ) {}

  /** The weight's name, `layer/kernel`. */
  get name(): string {
    return this.spec.name;
  }

  get shape(): Shape {
    return this.spec.shape;
  }

  get dtype(): 'float32' {
    return 'float32';
  }

  /** Whether training updates it now: declared trainable, and its layer is trainable. */
  get trainable(): boolean {
    return this.spec.trainable;
  }

  /** A copy of the current values. */
  read(): Tensor<'float32'> {
    return this.layer.getWeights()[this.#position()];
  }

  /** Replaces the values with `value`, of the weight's shape. */
  write(value: Tensor): void {
    const weights = this.layer.getWeights();
    weights[this.#position()] = value as Tensor<'float32'>;
    this.layer.setWeights(weights);
  }

  /** Where the weight is in `layer.getWeights()` (trainable ones first, so it moves when flags change). */
  #position(): number {
    return weightOrder([this.layer]).findIndex((e) => e.spec === this.spec);
  }
}

/** The weights of `layers` as {@link LayerWeight}s, trainable ones first, as `getWeights` orders them. */
export function layerWeights(layers: readonly Layer[]): LayerWeight[] {
  return weightOrder(layers).map(({ layer, spec }) => new LayerWeight(layer, spec));
}
