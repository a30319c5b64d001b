import type { Backend, BufferId } from '../backend/backend.js';
import { checkRange, Optimizer, type OptimizerArgs } from './optimizer.js';
import type { StateSlot } from './state_slots.js';

/** Options of {@link Adamax}; defaults are Keras'. */
export interface AdamaxArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Adamax (Adam with the infinity norm): `u = max(β2·u, |g|); p −= lr/(1−β1ᵗ) · m/(u + ε)`. */
export class Adamax extends Optimizer {
  readonly className = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(args: AdamaxArgs = {}) {
    super('Adamax', args, 0.001);
    this.beta1 = checkRange('Adamax', 'beta1', args.beta1 ?? 0.9, 0, 1);
    this.beta2 = checkRange('Adamax', 'beta2', args.beta2 ?? 0.999, 0, 1);
    this.epsilon = checkRange('Adamax', 'epsilon', args.epsilon ?? 1e-7, 0, Infinity);
  }

  override declareSlots(): StateSlot[] {
    // tfjs saves the infinity norm u as `v`.
    return [{ name: 'm' }, { name: 'u', savedName: 'v' }];
  }

  protected update(backend: Backend, params: BufferId, grads: BufferId, size: number, lr: number): void {
    const lrT = lr / (1 - this.beta1 ** this.iterations);
    backend.adamaxUpdate(params, grads, this.slot('m'), this.slot('u'), size, lrT, this.beta1, this.beta2, this.epsilon);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
