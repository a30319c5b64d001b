// applyGradients' direct path: gradients of weights that one model's parameter store holds on the
// active backend step them where they are, as fit does, instead of copying the weights out to a
// buffer of their own and back.
import type { Backend } from '../backend/backend.js';
import { ParamStore } from '../engine/params.js';
import { homeOf } from '../engine/weight_homes.js';
import { LayerWeight } from '../layers/layer_weight.js';
import type { Tensor } from '../tensor.js';
import type { Variable } from '../variable.js';
import type { Optimizer } from './optimizer.js';

/** The store that holds the latest values of every one of `targets` on `backend` and optimizes them all, or null. */
function optimizingStore(targets: readonly (Variable | LayerWeight)[], backend: Backend): ParamStore | null {
  let store: ParamStore | null = null;
  for (const target of targets) {
    if (!(target instanceof LayerWeight)) return null;
    const home = homeOf(target.layer);
    if (!(home instanceof ParamStore) || home.backend !== backend || (store !== null && home !== store)) return null;
    store = home;
  }
  if (!store) return null;
  const optimized = new Set(store.trainableWeights().map((w) => w.key));
  return targets.every((t) => optimized.has((t as LayerWeight).spec)) ? store : null;
}

/**
 * Steps `targets` by `optimizer` with `grads` inside their model's store, laid out as fit lays the
 * optimizer out (so its state is fit's), the store's other weights left unchanged; false, doing
 * nothing, when the targets are not all weights one store on `backend` optimizes.
 */
export function stepInStore(optimizer: Optimizer, targets: readonly (Variable | LayerWeight)[], grads: readonly Tensor[], backend: Backend): boolean {
  const store = optimizingStore(targets, backend);
  if (!store) return false;
  const weights = store.trainableWeights();
  optimizer.attach(backend, weights, store.frozenWeights());
  backend.fill(store.grads, store.trainableSize, 0);
  (targets as readonly LayerWeight[]).forEach(({ layer, spec }, i) => backend.write(store.gradsOf(layer)[layer.weightSpecs.indexOf(spec)], grads[i].dataSync()));
  const stepped = new Set((targets as readonly LayerWeight[]).map((t) => t.spec));
  const unchanged = weights.length === stepped.size ? undefined : new Set(weights.filter((w) => !stepped.has(w.key as LayerWeight['spec'])).map((w) => w.key));
  optimizer.apply(store.params, store.grads, unchanged);
  return true;
}
