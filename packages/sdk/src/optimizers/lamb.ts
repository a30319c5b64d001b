import type { Backend, BufferId } from '../backend/backend.js';
import { checkRange, Optimizer, type OptimizerArgs } from './optimizer.js';
import type { StateSlot } from './state_slots.js';

/** Options of {@link Lamb}; defaults are Keras 3's. */
export interface LambArgs extends OptimizerArgs {
  /** Decay of the first moment, in [0, 1) (default 0.9). */
  beta1?: number;
  /** Decay of the second moment, in [0, 1) (default 0.999). */
  beta2?: number;
  /** Added to √v̂, ≥ 0 (default 1e-7). */
  epsilon?: number;
}

/**
 * Lamb (You et al., 2019) as Keras 3 updates it: Adam's bias-corrected direction
 * `u = m̂ / (√v̂ + ε)`, scaled per weight tensor by the trust ratio `‖w‖ / ‖u‖` (1 when either is 0):
 * `w −= lr · ‖w‖/‖u‖ · u`. Each layer's step is thus proportional to its weights' size, which keeps
 * large-batch training stable.
 */
export class Lamb extends Optimizer {
  readonly className = 'Lamb';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(args: LambArgs = {}) {
    super('Lamb', args, 0.001);
    this.beta1 = checkRange('Lamb', 'beta1', args.beta1 ?? 0.9, 0, 1);
    this.beta2 = checkRange('Lamb', 'beta2', args.beta2 ?? 0.999, 0, 1);
    this.epsilon = checkRange('Lamb', 'epsilon', args.epsilon ?? 1e-7, 0, Infinity);
  }

  override declareSlots(): StateSlot[] {
    return [{ name: 'momentum' }, { name: 'velocity' }];
  }

  protected update(backend: Backend, params: BufferId, grads: BufferId, _size: number, lr: number): void {
    const t = this.iterations;
    const [bias1, bias2] = [1 - this.beta1 ** t, 1 - this.beta2 ** t];
    const [p, g] = [params, grads].map((id) => this.weightViews(backend, id));
    const [m, v] = ['momentum', 'velocity'].map((name) => this.slotViews(backend, name));
    this.weightSizes.forEach((n, i) => {
      if (n > 0) backend.lambUpdate(p[i], g[i], m[i], v[i], n, lr, this.beta1, this.beta2, this.epsilon, bias1, bias2);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
