import type { Backend } from '../backend/backend.js';
import { beforeLeavingBackend } from '../backend/registry.js';
import type { Layer, WeightSpec } from '../layers/layer.js';
import { Tensor } from '../tensor.js';
import { keepTensor } from '../tensor_scopes.js';
import { tensorCopy } from './device_tensor.js';
import { globalGenerator } from '../utils/random.js';

/**
 * A model's parameter store as a home for a layer's weights (implemented by `ParamStore`, which
 * copies between stores on the device and uses these host transfers only across backends).
 */
export interface StoreHome {
  readonly kind: 'store';
  readonly backend: Backend;
  /** The layer's weights in `build` order, read to the host. */
  readLayer(layer: Layer): Float32Array[];
  /** Like {@link readLayer}, without blocking on the device. */
  readLayerAsync(layer: Layer): Promise<Float32Array[]>;
  /** Copies of the layer's weights in `build` order (on a device backend, read when first asked for). */
  layerWeights(layer: Layer): Tensor<'float32'>[];
  /** Replaces the layer's weights, given in `build` order (a device copy where they are unread on its backend). */
  writeLayer(layer: Layer, weights: readonly Tensor[]): void;
  /** Copies the layer's latest values in from its home and becomes its home. */
  takeLayer(layer: Layer): void;
}

/**
 * Copies outside any store, made by `layer.setWeights` or `layer.getWeights` before any model used
 * the layer: on the host, or on the device where the values given were (WebGPU cannot read them
 * synchronously), until a store pulls them.
 */
interface CopiesHome {
  readonly kind: 'copies';
  readonly values: Tensor<'float32'>[];
}

/** The values were freed with the last model that held them (`model.dispose()`), or by `layer.dispose()` (no model). */
interface FreedHome {
  readonly kind: 'freed';
  readonly model?: string;
}

/** Where the latest values of a layer's weights are. */
export type WeightHome = StoreHome | CopiesHome | FreedHome;

// A layer used by several models (transfer learning, an encoder inside an autoencoder) has one set
// of weights, as in Keras, but each model keeps all its weights in one flat buffer so its optimizer
// sweeps them at once. So the latest values of a layer live in exactly one place, its home; a
// model about to use its store pulls the layers whose home is elsewhere and becomes their home.
const homes = new WeakMap<Layer, WeightHome>();
/** Live stores that contain each layer, oldest first. */
const stores = new WeakMap<Layer, Set<StoreHome>>();
/** Every layer that has had a home, held weakly, so models dropped without dispose() can go. */
const trackedLayers = new Set<WeakRef<Layer>>();
const tracked = new WeakSet<Layer>();
/** Bumped on every move of a home, so a store whose last claim is as recent holds all its layers. */
let moves = 0;

/** A wrapped layer's place in its wrapper's weights: `layer.weightSpecs[i]` is the wrapper's `start + i`. */
export interface InnerWeights {
  readonly layer: Layer;
  readonly start: number;
}

// A wrapper (TimeDistributed, Bidirectional, RNN) declares its inner layers' weights as its own, so
// a model's store holds them once, under the wrapper. The inner layer's own reads and writes go to
// that slice of its wrapper's weights, as Keras' inner layers share the wrapper's variables.
const wrappers = new WeakMap<Layer, { wrapper: Layer; start: number }>();

/**
 * Makes the inner layers' weights slices of `wrapper`'s, once it is built and has its values (which
 * took over the inner layers' own, see {@link drawInitialWeights}). Their own copies are freed.
 */
export function wrapInnerWeights(wrapper: Layer, inner: readonly InnerWeights[]): void {
  for (const { layer, start } of inner) {
    const home = homes.get(layer);
    if (home?.kind === 'copies') home.values.forEach((v) => v.dispose());
    homes.delete(layer);
    wrappers.set(layer, { wrapper, start });
  }
  if (inner.length > 0) moves++;
}

/**
 * Refuses to hold in `holder` (a wrapper being built, or a model's store) a layer whose weights
 * another wrapper holds: each weight lives in one place, so the two would compute with different values.
 */
export function checkNotWrapped(layer: Layer, holder: string): void {
  const wrapped = wrappers.get(layer);
  if (!wrapped) return;
  throw new Error(
    `Layer '${layer.name}' runs inside ${wrapped.wrapper.className} layer '${wrapped.wrapper.name}', which holds its weights, so ${holder} cannot also hold them. ` +
      `Use '${wrapped.wrapper.name}' instead (its weights are what '${layer.name}'.getWeights() returns), or a new ${layer.className} layer with the same options in its place.`,
  );
}

/** Where the layer's latest weight values are, or undefined when no model and no `setWeights` gave it any yet. */
export function homeOf(layer: Layer): WeightHome | undefined {
  return homes.get(layer);
}

/** Records that `home` now holds the layer's latest values (copies it replaces are freed). */
export function moveHome(layer: Layer, home: WeightHome): void {
  const previous = homes.get(layer);
  if (previous?.kind === 'copies' && previous !== home) previous.values.forEach((v) => v.dispose());
  // A layer's values outlive any km.tidy they were made in, as tfjs' variables do.
  if (home.kind === 'copies') home.values.forEach(keepTensor);
  homes.set(layer, home);
  moves++;
}

/** A counter that changes whenever any layer's home moves. */
export function homeMoves(): number {
  return moves;
}

/** Records a new store that contains the layer. */
export function addStoreUser(layer: Layer, store: StoreHome): void {
  const set = stores.get(layer) ?? new Set();
  set.add(store);
  stores.set(layer, set);
  track(layer);
}

/** Tracked layers after the last sweep of collected ones; a sweep runs when the set has doubled since. */
let sweptSize = 64;

/** Lets a backend switch find the layer's home. */
function track(layer: Layer): void {
  if (tracked.has(layer)) return;
  tracked.add(layer);
  trackedLayers.add(new WeakRef(layer));
  if (trackedLayers.size < 2 * sweptSize) return;
  for (const ref of trackedLayers) if (!ref.deref()) trackedLayers.delete(ref);
  sweptSize = Math.max(64, trackedLayers.size);
}

/**
 * Moves to the host the latest values of every layer whose home is a store on `backend`, and reads
 * copies still on its device, without blocking: after a backend switch the next store pulls them
 * from the host, which works even where the old device cannot be read synchronously (WebGPU).
 */
async function moveHomesToHost(backend: Backend): Promise<void> {
  for (const ref of trackedLayers) {
    const layer = ref.deref();
    if (!layer) {
      trackedLayers.delete(ref);
      continue;
    }
    const home = homes.get(layer);
    if (home?.kind === 'copies') await Promise.all(home.values.map((v) => v.data()));
    if (home?.kind !== 'store' || home.backend !== backend) continue;
    const values = await home.readLayerAsync(layer);
    if (homes.get(layer) === home) moveHome(layer, { kind: 'copies', values: values.map((v, i) => new Tensor(v, layer.weightSpecs[i].shape, 'float32')) });
  }
}

beforeLeavingBackend(moveHomesToHost);

/**
 * Forgets a released store. Where it was the layer's home, the newest other store containing the
 * layer takes the values over (a device copy on the same backend), or they are freed with it.
 */
export function removeStoreUser(layer: Layer, store: StoreHome, model: string): void {
  const set = stores.get(layer);
  set?.delete(store);
  if (homes.get(layer) !== store) return;
  const heir = set && [...set].pop();
  if (heir) heir.takeLayer(layer);
  else moveHome(layer, { kind: 'freed', model });
}

/** The error for a layer whose weights were freed with the last model that held them. */
export function freedError(layer: Layer, home: FreedHome): Error {
  if (home.model === undefined) return new Error(`Layer '${layer.name}' has no weights any more: layer.dispose() freed them. Give it values with layer.setWeights(...), or use a new layer.`);
  return new Error(
    `Layer '${layer.name}' has no weights any more: they were freed when model '${home.model}', the last model holding them, was disposed. ` +
      `Keep that model alive until the models that reuse the layer are built and used, or give the layer values first with layer.setWeights(...).`,
  );
}

/**
 * The layer's weights in `build` order. A built layer that no model has used yet is initialised
 * here, from the generator `km.utils.setRandomSeed` seeds, and later models take these values.
 */
export function readLayerWeights(layer: Layer): Tensor<'float32'>[] {
  const wrapped = wrappers.get(layer);
  if (wrapped) {
    const all = readLayerWeights(wrapped.wrapper);
    const end = wrapped.start + layer.weightSpecs.length;
    all.forEach((w, i) => i < wrapped.start || i >= end ? w.dispose() : undefined);
    return all.slice(wrapped.start, end);
  }
  const home = homes.get(layer);
  if (home?.kind === 'store') return home.layerWeights(layer);
  if (home?.kind === 'freed') throw freedError(layer, home);
  if (!layer.built || layer.weightSpecs.length === 0) return [];
  if (!home) drawInitialWeights(layer);
  return (homes.get(layer) as CopiesHome).values.map(tensorCopy);
}

/**
 * Gives a layer that has no values yet its initial weights, from the generator
 * `km.utils.setRandomSeed` seeds. Layers call it when built, as Keras creates weights in `build`,
 * so a model's weights depend on the seed set before it was made, not on what ran in between.
 */
export function drawInitialWeights(layer: Layer, inner: readonly InnerWeights[] = []): void {
  if (homes.has(layer) || wrappers.has(layer) || layer.weightSpecs.length === 0) return;
  // A wrapper starts from its inner layers' values, drawn when they were built or given before.
  const taken: Tensor<'float32'>[] = [];
  for (const { layer: l, start } of inner) readLayerWeights(l).forEach((w, i) => (taken[start + i] = w));
  track(layer);
  moveHome(layer, { kind: 'copies', values: layer.weightSpecs.map((spec, i) => taken[i] ?? new Tensor(spec.initializer(spec.shape, globalGenerator()), spec.shape, 'float32')) });
}

/** Replaces the layer's weights (in `build` order) wherever they live, for every model holding the layer. */
export function writeLayerWeights(layer: Layer, weights: readonly Tensor[]): void {
  if (layer.weightSpecs.length === 0) return;
  const wrapped = wrappers.get(layer);
  if (wrapped) {
    const all = readLayerWeights(wrapped.wrapper);
    writeLayerWeights(wrapped.wrapper, all.map((w, i) => weights[i - wrapped.start] ?? w));
    all.forEach((w) => w.dispose());
    return;
  }
  const home = homes.get(layer);
  if (home?.kind === 'store') home.writeLayer(layer, weights);
  else keepCopies(layer, weights.map(tensorCopy));
}

/**
 * Makes `values` (tensors the layer takes over) the layer's weights on the host, wherever they
 * lived: for a layer whose weights were declared again (`Layer.redeclareWeights`), which no store
 * laid out for its old weights can hold.
 */
export function keepCopies(layer: Layer, values: readonly Tensor<'float32'>[]): void {
  track(layer);
  moveHome(layer, { kind: 'copies', values: [...values] });
}

/**
 * Checks a `setWeights` list against the weights it replaces: one float32 tensor per weight, each of
 * the weight's shape. `owner` names what is set ("Model 'm'", "Layer 'dense'"); `given`, what gave the list.
 */
export function checkWeightList(specs: readonly WeightSpec[], weights: readonly Tensor[], owner: string, given = 'setWeights'): void {
  const expected = specs.map((s) => `${s.name} [${s.shape.join(', ')}]`).join(', ');
  if (!Array.isArray(weights) || weights.length !== specs.length) {
    const received = Array.isArray(weights) ? `${weights.length} tensor${weights.length === 1 ? '' : 's'}` : typeof weights;
    throw new Error(
      `${owner} has ${specs.length} weight${specs.length === 1 ? '' : 's'} (${expected || 'none'}), but ${given} received ${received}. ` +
        `Pass one tensor per weight, in the order getWeights() returns them.`,
    );
  }
  specs.forEach((s, i) => {
    const w: Tensor = weights[i];
    if (w.shape.length !== s.shape.length || w.shape.some((d, j) => d !== s.shape[j]) || w.dtype !== 'float32') {
      throw new Error(
        `${owner}: weight '${s.name}' has shape [${s.shape.join(', ')}] (float32), but the tensor given for it (position ${i}) has shape [${w.shape.join(', ')}] (${w.dtype}). ` +
          `Pass tensors in the order and shapes getWeights() returns (${expected}).`,
      );
    }
  });
}
