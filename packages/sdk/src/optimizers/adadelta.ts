import type { Backend, BufferId } from '../backend/backend.js';
import { checkRange, Optimizer, type OptimizerArgs } from './optimizer.js';
import type { StateSlot } from './state_slots.js';

/** Options of {@link Adadelta}; defaults are Keras 3's. */
export interface AdadeltaArgs extends OptimizerArgs {
  /** Decay of the running means of g² and of the squared steps, in [0, 1) (default 0.95). */
  rho?: number;
  /** Added under both square roots (default 1e-7). */
  epsilon?: number;
}

/**
 * Adadelta as Keras 3 updates it: `a = ρ·a + (1−ρ)·g²; d = g·√(D + ε)/√(a + ε);
 * D = ρ·D + (1−ρ)·d²; p −= lr·d`. TensorFlow.js' `tf.train.adadelta` divides by the previous
 * `a` instead of the updated one, so its steps differ slightly.
 */
export class Adadelta extends Optimizer {
  readonly className = 'Adadelta';
  readonly rho: number;
  readonly epsilon: number;

  constructor(args: AdadeltaArgs = {}) {
    super('Adadelta', args, 0.001);
    this.rho = checkRange('Adadelta', 'rho', args.rho ?? 0.95, 0, 1);
    this.epsilon = checkRange('Adadelta', 'epsilon', args.epsilon ?? 1e-7, 0, Infinity);
  }

  override declareSlots(): StateSlot[] {
    return [{ name: 'accumulatedGrad', savedName: 'accum_grad' }, { name: 'accumulatedDeltaVar', savedName: 'accum_var' }];
  }

  protected update(backend: Backend, params: BufferId, grads: BufferId, size: number, lr: number): void {
    backend.adadeltaUpdate(params, grads, this.slot('accumulatedGrad'), this.slot('accumulatedDeltaVar'), size, lr, this.rho, this.epsilon);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, epsilon: this.epsilon };
  }
}
