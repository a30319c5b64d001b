import type { LayersModel } from '../engine/model.js';
import type { Optimizer } from '../optimizers/optimizer.js';

/** Models loaded compiled but without optimizer state, with the optimizer loading gave them and where they came from. */
const freshAfterLoad = new WeakMap<LayersModel, { optimizer: Optimizer; where: string }>();

/** Optimizers whose state `optimizer.setWeights` restored: a model loaded fresh with one resumes after all. */
const restoredState = new WeakSet<Optimizer>();

/** Records that `optimizer.setWeights` gave `optimizer` state, so its model's first fit does not warn that it starts afresh. */
export function markOptimizerRestored(optimizer: Optimizer): void {
  restoredState.add(optimizer);
}

/**
 * Whether an optimizer's next steps depend on state it has built up (moments, velocities, the step
 * count a schedule or an average follows): all but plain SGD at a constant learning rate.
 */
function keepsState(optimizer: Optimizer): boolean {
  const accumulates = (optimizer.gradientAccumulationSteps ?? 1) > 1;
  return optimizer.declareSlots().length > 0 || optimizer.schedule !== null || optimizer.ema !== null || accumulates;
}

/**
 * Records a model that loading compiled from its file's training config while the file held no
 * optimizer state (saved with tfjs' default `includeOptimizer: false`), so that its first fit can
 * say that training restarts the optimizer rather than resuming it.
 */
export function markFreshOptimizer(model: LayersModel, where: string): void {
  if (model.optimizer && keepsState(model.optimizer)) freshAfterLoad.set(model, { optimizer: model.optimizer, where });
}

/** At a training step of `model` with `optimizer`: warns once if it is the fresh one loading gave it. */
export function warnFreshOptimizerOnce(model: LayersModel, optimizer: Optimizer): void {
  const fresh = freshAfterLoad.get(model);
  if (!fresh) return;
  freshAfterLoad.delete(model);
  if (fresh.optimizer !== optimizer) return; // compiled again after loading: a fresh start on purpose
  if (restoredState.has(optimizer)) return; // given state by setWeights since
  console.warn(
    `kerasm: model '${model.name}' was loaded compiled, from the training config saved in ${fresh.where}, but that file holds no optimizer state (it was saved with includeOptimizer: false, the default, as in tfjs), ` +
      `so this training starts ${optimizer.className} afresh (its moments and step count at zero) instead of resuming where the saved model stopped. ` +
      `To resume exactly, save with model.save(path, { includeOptimizer: true }); to start afresh on purpose, compile the model again after loading.`,
  );
}
