import type { Backend, BufferId } from '../backend/backend.js';
import type { Layer, WeightSpec } from '../layers/layer.js';
import { shapeSize, Tensor } from '../tensor.js';
import { bufferCopy, unreadBufferOn } from './device_tensor.js';
import type { OptimizedWeight } from '../optimizers/optimizer.js';
import type { Random } from '../utils/random.js';
import { addStoreUser, checkNotWrapped, checkWeightList, freedError, homeMoves, homeOf, moveHome, removeStoreUser, type StoreHome, type WeightHome } from './weight_homes.js';

interface Slot {
  readonly layer: Layer;
  readonly spec: WeightSpec;
  readonly offset: number;
  readonly size: number;
  /** The spec's trainability when the layout was made (a layer's `trainable` may change since). */
  readonly trainable: boolean;
  /** Whether the optimizer updates it: trainable, of a layer the model computes with. */
  readonly optimized: boolean;
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
 * Every weight of a model in one flat backend buffer, with a gradient buffer of the same layout.
 * The weights the optimizer updates come first, so it updates all of them in one sweep: the
 * trainable weights of the layers the model computes with. The layers of a nested model whose
 * outputs the model leaves unused get no gradient (no pass writes theirs), so their weights lie
 * after, with the non-trainable ones, where no optimizer step, weight decay or gradient clipping
 * reads or moves them, as Keras skips variables without a gradient. The layout follows the layers'
 * `trainable` flags when it is made; {@link ParamStore.isStale} tells when they changed.
 *
 * A layer shared with other models has one set of weights: its latest values live in one store at
 * a time (its home, see `weight_homes.ts`); {@link ParamStore.claim} pulls them into this store
 * before the model uses it.
 */
export class ParamStore implements StoreHome {
  readonly kind = 'store';
  readonly backend: Backend;
  readonly size: number;
  /** Floats at the start of the buffers that the optimizer sweeps (see {@link trainableWeights}). */
  readonly trainableSize: number;
  readonly params: BufferId;
  readonly grads: BufferId;
  readonly #owner: string;
  /** In buffer order: the optimized weights first. */
  readonly #slots: Slot[];
  /** In {@link weightOrder}, as `getWeights()` lists them. */
  readonly #order: Slot[];
  readonly #layers: Layer[];
  /** Each layer's weight list when the store was laid out: another list means the layer declared its weights again. */
  readonly #declared = new Map<Layer, readonly WeightSpec[]>();
  /** See {@link frozenWeights}; made once, since the model passes it to the optimizer at every use. */
  readonly #frozen: readonly OptimizedWeight[];
  readonly #weights = new Map<Layer, BufferId[]>();
  readonly #weightGrads = new Map<Layer, BufferId[]>();
  /** `homeMoves()` when this store last held all its layers. */
  #claimedAt = -1;

  /**
   * @param random Initialises the weights of layers that have no values yet; layers that have
   *   some (another model's, this model's previous layout's, or `layer.setWeights`') keep them.
   * @param owner The model's name, for messages.
   * @param computed The layers a pass computes with (default: all); the others' weights are kept,
   *   but laid outside the optimizer's sweep.
   */
  constructor(backend: Backend, layers: readonly Layer[], random: Random, owner: string, computed: readonly Layer[] = layers) {
    this.backend = backend;
    this.#owner = owner;
    this.#layers = layers.filter((l) => l.weightSpecs.length > 0);
    for (const layer of layers) this.#declared.set(layer, layer.weightSpecs);
    for (const layer of this.#layers) {
      checkNotWrapped(layer, `model '${owner}'`);
      const home = homeOf(layer);
      if (home?.kind === 'freed') throw freedError(layer, home);
    }
    const entries = layers.flatMap((layer) => layer.weightSpecs.map((spec) => ({ layer, spec })));
    const computes = new Set(computed);
    const ordered = weightOrder(layers).map(({ layer, spec }) => ({ layer, spec, optimized: spec.trainable && computes.has(layer) }));
    let offset = 0;
    const bySpec = new Map<WeightSpec, Slot>();
    this.#slots = [...ordered.filter((e) => e.optimized), ...ordered.filter((e) => !e.optimized)].map(({ layer, spec, optimized }) => {
      const size = shapeSize(spec.shape);
      const slot = { layer, spec, offset, size, trainable: spec.trainable, optimized };
      bySpec.set(spec, slot);
      offset += size;
      return slot;
    });
    this.#order = ordered.map((e) => bySpec.get(e.spec)!);
    this.#frozen = ordered.filter((e) => !e.layer.trainable && computes.has(e.layer)).map((e) => ({ key: e.spec, shape: e.spec.shape }));
    this.size = offset;
    this.trainableSize = this.#slots.filter((s) => s.optimized).reduce((sum, s) => sum + s.size, 0);
    this.params = backend.alloc(this.size, 'float32');
    this.grads = backend.alloc(this.size, 'float32');
    for (const { layer, spec } of entries) {
      const slot = bySpec.get(spec)!;
      this.#push(this.#weights, layer, backend.view(this.params, slot.offset, slot.size));
      this.#push(this.#weightGrads, layer, backend.view(this.grads, slot.offset, slot.size));
    }
    // Initialise in declaration order so the same seed gives the same weights whatever the layout.
    for (const layer of this.#layers) {
      const home = homeOf(layer);
      if (home) this.#pull(layer, home);
      else layer.weightSpecs.forEach((spec, i) => backend.write(this.#weights.get(layer)![i], spec.initializer(spec.shape, random)));
      addStoreUser(layer, this);
      moveHome(layer, this);
    }
    this.#claimedAt = homeMoves();
  }

  /**
   * Makes this store the home of all its layers, first copying in the latest values of those whose
   * home is elsewhere (another model used them since). Costs one comparison when no home moved.
   */
  claim(): void {
    if (this.#claimedAt === homeMoves()) return;
    for (const layer of this.#layers) {
      // A layer this model holds may have been wrapped since; its wrapper holds its weights now.
      checkNotWrapped(layer, `model '${this.#owner}'`);
      if (homeOf(layer) !== this) this.takeLayer(layer);
    }
    this.#claimedAt = homeMoves();
  }

  /** Copies the layer's latest values in from its home and becomes its home. */
  takeLayer(layer: Layer): void {
    this.#pull(layer, homeOf(layer)!);
    moveHome(layer, this);
  }

  /** Copies the layer's values from its home: on the device when both stores share a backend. */
  #pull(layer: Layer, home: WeightHome): void {
    const mine = this.#weights.get(layer)!;
    if (home instanceof ParamStore && home.backend === this.backend) {
      const theirs = home.#weights.get(layer)!;
      layer.weightSpecs.forEach((spec, i) => this.backend.copy(theirs[i], mine[i], shapeSize(spec.shape)));
      return;
    }
    if (home.kind === 'freed') throw freedError(layer, home);
    if (home.kind === 'copies') home.values.forEach((v, i) => this.#write(mine[i], v));
    else home.readLayer(layer).forEach((v, i) => this.backend.write(mine[i], v));
  }

  /** The layer's weights in `build` order, read to the host. */
  readLayer(layer: Layer): Float32Array[] {
    return layer.weightSpecs.map((spec, i) => this.backend.read(this.#weights.get(layer)![i], shapeSize(spec.shape), 'float32') as Float32Array);
  }

  async readLayerAsync(layer: Layer): Promise<Float32Array[]> {
    const weights = this.#weights.get(layer)!;
    return Promise.all(layer.weightSpecs.map(async (spec, i) => (await this.backend.readAsync(weights[i], shapeSize(spec.shape), 'float32')) as Float32Array));
  }

  /** Replaces the layer's weights, given in `build` order. */
  writeLayer(layer: Layer, weights: readonly Tensor[]): void {
    weights.forEach((w, i) => this.#write(this.#weights.get(layer)![i], w));
  }

  /** Writes a tensor's values into a weight: one still unread on this backend (another model's getWeights()) is copied on the device. */
  #write(weight: BufferId, tensor: Tensor): void {
    const unread = unreadBufferOn(this.backend, tensor);
    if (unread !== undefined) this.backend.copy(unread, weight, tensor.size);
    else this.backend.write(weight, tensor.dataSync() as Float32Array);
  }

  /** Whether a layer's `trainable` changed, or a layer declared its weights again, since this layout was made (the model then makes a new one). */
  isStale(): boolean {
    if (this.#slots.some((s) => s.trainable !== s.spec.trainable)) return true;
    for (const [layer, specs] of this.#declared) if (layer.weightSpecs !== specs) return true;
    return false;
  }

  #push(map: Map<Layer, BufferId[]>, layer: Layer, id: BufferId): void {
    const list = map.get(layer) ?? [];
    list.push(id);
    map.set(layer, list);
  }

  /**
   * The weights the optimizer updates, in buffer order (the first {@link trainableSize} floats),
   * each keyed by its spec, as it lays its state out: the trainable weights of the layers the model
   * computes with.
   */
  trainableWeights(): OptimizedWeight[] {
    return this.#slots.filter((s) => s.optimized).map((s) => ({ key: s.spec, shape: s.spec.shape }));
  }

  /**
   * The weights of the frozen layers (`trainable` false) the model computes with, keyed as
   * {@link trainableWeights}: the ones whose optimizer state `optimizer.setWeights` may set aside
   * for when they train, as loading a saved model does.
   */
  frozenWeights(): readonly OptimizedWeight[] {
    return this.#frozen;
  }

  /** The layer's weight buffers in `build` order. */
  weightsOf(layer: Layer): readonly BufferId[] {
    return this.#weights.get(layer) ?? [];
  }

  /** The layer's weight-gradient buffers in `build` order. */
  gradsOf(layer: Layer): readonly BufferId[] {
    return this.#weightGrads.get(layer) ?? [];
  }

  /** Copies of all weights, in {@link weightOrder} (as `model.getWeights()` returns them). */
  getWeights(): Tensor<'float32'>[] {
    return this.#order.map((s) => bufferCopy(this.backend, this.backend.view(this.params, s.offset, s.size), s.spec.shape));
  }

  /** Copies of the layer's weights in `build` order. */
  layerWeights(layer: Layer): Tensor<'float32'>[] {
    return layer.weightSpecs.map((spec, i) => bufferCopy(this.backend, this.#weights.get(layer)![i], spec.shape));
  }

  /** Replaces all weights; the list must match `getWeights()` in length and shapes. */
  setWeights(weights: readonly Tensor[]): void {
    checkWeightList(this.#order.map((s) => s.spec), weights, `Model '${this.#owner}'`);
    this.#order.forEach((s, i) => this.#write(this.backend.view(this.params, s.offset, s.size), weights[i]));
  }

  /**
   * Frees the backend buffers. Layers it holds the latest values of that other models still
   * contain move to one of those models' stores first.
   */
  release(): void {
    for (const layer of this.#layers) removeStoreUser(layer, this, this.#owner);
    this.backend.free(this.params);
    this.backend.free(this.grads);
  }

  /** Weight names in `getWeights()` order. */
  weightNames(): string[] {
    return this.#order.map((s) => s.spec.name);
  }
}
