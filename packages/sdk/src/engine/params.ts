import type { Backend, BufferId } from '../backend/backend.js';
import type { Layer, WeightSpec } from '../layers/layer.js';
import { Tensor } from '../tensor.js';
import { deviceTensor } from './device_tensor.js';
import type { Random } from '../utils/random.js';

interface Slot {
  readonly layer: Layer;
  readonly spec: WeightSpec;
  readonly offset: number;
  readonly size: number;
  /** The spec's trainability when the layout was made (a layer's `trainable` may change since). */
  readonly trainable: boolean;
}

/**
 * The order of `model.getWeights()` and `setWeights`, as in TensorFlow.js and Keras: trainable
 * weights, then non-trainable ones (BatchNormalization's moving statistics), each in layer and
 * `build` order.
 */
export function weightOrder(layers: readonly Layer[]): { layer: Layer; spec: WeightSpec }[] {
  const entries = layers.flatMap((layer) => layer.weightSpecs.map((spec) => ({ layer, spec })));
  return [...entries.filter((e) => e.spec.trainable), ...entries.filter((e) => !e.spec.trainable)];
}

/**
 * Every weight of a model in one flat backend buffer (trainable weights first), with a gradient
 * buffer of the same layout, so an optimizer updates all of them in one sweep. The layout follows
 * the layers' `trainable` flags when it is made; {@link ParamStore.isStale} tells when they changed.
 */
export class ParamStore {
  readonly backend: Backend;
  readonly size: number;
  readonly trainableSize: number;
  readonly params: BufferId;
  readonly grads: BufferId;
  readonly #slots: Slot[];
  readonly #weights = new Map<Layer, BufferId[]>();
  readonly #weightGrads = new Map<Layer, BufferId[]>();

  /**
   * @param initial A generator to initialise the weights with, or an existing store (of the same
   *   layers, on any backend) whose values to copy into this layout.
   */
  constructor(backend: Backend, layers: readonly Layer[], initial: Random | ParamStore) {
    this.backend = backend;
    const entries = layers.flatMap((layer) => layer.weightSpecs.map((spec) => ({ layer, spec })));
    let offset = 0;
    this.#slots = weightOrder(layers).map(({ layer, spec }) => {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const slot = { layer, spec, offset, size, trainable: spec.trainable };
      offset += size;
      return slot;
    });
    this.size = offset;
    this.trainableSize = this.#slots.filter((s) => s.trainable).reduce((sum, s) => sum + s.size, 0);
    this.params = backend.alloc(this.size, 'float32');
    this.grads = backend.alloc(this.size, 'float32');
    // Initialise in declaration order so the same seed gives the same weights whatever the layout.
    for (const { layer, spec } of entries) {
      const slot = this.#slots.find((s) => s.spec === spec)!;
      const values = initial instanceof ParamStore ? initial.#valuesOf(spec) : spec.initializer(spec.shape, initial);
      backend.write(backend.view(this.params, slot.offset, slot.size), values);
      this.#push(this.#weights, layer, backend.view(this.params, slot.offset, slot.size));
      this.#push(this.#weightGrads, layer, backend.view(this.grads, slot.offset, slot.size));
    }
  }

  /** Whether a layer's `trainable` changed since this layout was made (the model then makes a new one). */
  isStale(): boolean {
    return this.#slots.some((s) => s.trainable !== s.spec.trainable);
  }

  #valuesOf(spec: WeightSpec): Float32Array {
    const slot = this.#slots.find((s) => s.spec === spec);
    if (!slot) throw new Error(`Weight '${spec.name}' is not in this model's parameters; a store can only be copied into one for the same layers.`);
    return this.backend.read(this.backend.view(this.params, slot.offset, slot.size), slot.size, 'float32') as Float32Array;
  }

  #push(map: Map<Layer, BufferId[]>, layer: Layer, id: BufferId): void {
    const list = map.get(layer) ?? [];
    list.push(id);
    map.set(layer, list);
  }

  /** Sizes of the trainable weights in buffer order (per-weight gradient clipping walks them). */
  trainableSegments(): number[] {
    return this.#slots.filter((s) => s.trainable).map((s) => s.size);
  }

  /** The layer's weight buffers in `build` order. */
  weightsOf(layer: Layer): readonly BufferId[] {
    return this.#weights.get(layer) ?? [];
  }

  /** The layer's weight-gradient buffers in `build` order. */
  gradsOf(layer: Layer): readonly BufferId[] {
    return this.#weightGrads.get(layer) ?? [];
  }

  /**
   * Copies of all weights, in {@link weightOrder} (as `model.getWeights()` returns them). Off the
   * wasm heap the copies are made on the device and read back when first asked for.
   */
  getWeights(): Tensor<'float32'>[] {
    const { backend } = this;
    return this.#slots.map((s) => {
      const weight = backend.view(this.params, s.offset, s.size);
      if (backend.hostResident) return new Tensor(backend.read(weight, s.size, 'float32') as Float32Array, s.spec.shape, 'float32');
      const copy = backend.alloc(s.size, 'float32');
      backend.copy(weight, copy, s.size);
      return deviceTensor(backend, copy, s.spec.shape);
    });
  }

  /** Replaces all weights; shapes must match `getWeights()`. */
  setWeights(weights: readonly Tensor[]): void {
    const slots = this.#slots;
    if (weights.length !== slots.length) {
      throw new Error(`setWeights expects ${slots.length} tensors (one per weight), but received ${weights.length}.`);
    }
    slots.forEach((s, i) => {
      const w = weights[i];
      if (w.shape.length !== s.spec.shape.length || w.shape.some((d, j) => d !== s.spec.shape[j]) || w.dtype !== 'float32') {
        throw new Error(`Weight '${s.spec.name}' has shape [${s.spec.shape.join(', ')}] (float32), but the tensor given for it has shape [${w.shape.join(', ')}] (${w.dtype}).`);
      }
    });
    slots.forEach((s, i) => this.backend.write(this.backend.view(this.params, s.offset, s.size), weights[i].dataSync() as Float32Array));
  }

  /** Frees the backend buffers. */
  release(): void {
    this.backend.free(this.params);
    this.backend.free(this.grads);
  }

  /** Weight names in `getWeights()` order. */
  weightNames(): string[] {
    return this.#slots.map((s) => s.spec.name);
  }
}
