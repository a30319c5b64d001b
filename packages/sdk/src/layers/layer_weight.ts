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
    return readWeights([this])[0];
  }

  /** Replaces the values with `value`, of the weight's shape. */
  write(value: Tensor): void {
    writeWeights([this], [value]);
  }
}

/** Where `weight` is in its layer's `getWeights()` (trainable ones first, so it moves when flags change). */
function positionOf(weight: LayerWeight): number {
  return weightOrder([weight.layer]).findIndex((e) => e.spec === weight.spec);
}

/** Copies of the current values of `weights`, each layer's weights read once; the caller owns them. */
export function readWeights(weights: readonly LayerWeight[]): Tensor<'float32'>[] {
  const read = new Map<Layer, Tensor<'float32'>[]>();
  const copies = weights.map((w) => {
    let all = read.get(w.layer);
    if (!all) read.set(w.layer, (all = w.layer.getWeights()));
    return all[positionOf(w)];
  });
  // The layers' other weights were read too: on a TensorFlow.js backend, copies on the device.
  const returned = new Set(copies);
  for (const all of read.values()) for (const t of all) if (!returned.has(t)) t.dispose();
  return copies;
}

/** Replaces the values of `weights` with `values`, each layer's weights written once. */
export function writeWeights(weights: readonly LayerWeight[], values: readonly Tensor[]): void {
  const written = new Map<Layer, Tensor<'float32'>[]>();
  const read: Tensor[] = [];
  weights.forEach((w, i) => {
    let all = written.get(w.layer);
    if (!all) {
      written.set(w.layer, (all = w.layer.getWeights()));
      read.push(...all);
    }
    all[positionOf(w)] = values[i] as Tensor<'float32'>;
  });
  for (const [layer, all] of written) layer.setWeights(all);
  // setWeights keeps copies, so the values read to fill in the others are freed.
  for (const t of read) t.dispose();
}

/** The weights of `layers` as {@link LayerWeight}s, trainable ones first, as `getWeights` orders them. */
export function layerWeights(layers: readonly Layer[]): LayerWeight[] {
  return weightOrder(layers).map(({ layer, spec }) => new LayerWeight(layer, spec));
}
