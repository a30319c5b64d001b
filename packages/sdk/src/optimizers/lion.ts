import type { Backend, BufferId } from '../backend/backend.js';
import { checkRange, Optimizer, type OptimizerArgs } from './optimizer.js';
import type { StateSlot } from './state_slots.js';

/** Options of {@link Lion}; defaults are Keras 3's. */
export interface LionArgs extends OptimizerArgs {
  /** Weight of the momentum in the step's sign, in (0, 1] (default 0.9). */
  beta1?: number;
  /** Decay of the momentum, in [0, 1) (default 0.99). */
  beta2?: number;
}

/**
 * Lion (Chen et al., 2023) as Keras 3 updates it: `p −= lr·sign(β1·m + (1−β1)·g)`, then
 * `m = β2·m + (1−β2)·g`. Every step moves each weight by exactly ±lr (or not at all), so it wants
 * a learning rate 3-10× smaller than Adam's.
 */
export class Lion extends Optimizer {
  readonly className = 'Lion';
  readonly beta1: number;
  readonly beta2: number;

  constructor(args: LionArgs = {}) {
    super('Lion', args, 0.001);
    const beta1 = args.beta1 ?? 0.9;
    // β1 = 0 would make the step sign(g) alone (signSGD), so Keras refuses it.
    if (!(beta1 > 0 && beta1 <= 1)) {
      throw new Error(`Lion: beta1 must be in (0, 1]; 0 degenerates to signSGD. Received: beta1=${beta1}.`);
    }
    this.beta1 = beta1;
    this.beta2 = checkRange('Lion', 'beta2', args.beta2 ?? 0.99, 0, 1);
  }

  override declareSlots(): StateSlot[] {
    return [{ name: 'momentum' }];
  }

  protected update(backend: Backend, params: BufferId, grads: BufferId, size: number, lr: number): void {
    backend.lionUpdate(params, grads, this.slot('momentum'), size, lr, this.beta1, this.beta2);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2 };
  }
}
