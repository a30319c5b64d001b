import type { Backend, BufferId } from '../backend/backend.js';
import { checkRange, Optimizer, type OptimizerArgs } from './optimizer.js';
import type { StateSlot } from './state_slots.js';

/** Options of {@link SGD}; defaults are Keras'. */
export interface SGDArgs extends OptimizerArgs {
  momentum?: number;
  nesterov?: boolean;
}

/** Stochastic gradient descent with Keras' momentum: `v = μv − lr·g; p += v` (Nesterov: `p += μv − lr·g`). */
export class SGD extends Optimizer {
  readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(args: SGDArgs = {}) {
    super('SGD', args, 0.01);
    this.momentum = checkRange('SGD', 'momentum', args.momentum ?? 0, 0, 1);
    this.nesterov = args.nesterov ?? false;
  }

  override declareSlots(): StateSlot[] {
    return this.momentum > 0 ? [{ name: 'momentum', savedDivisor: () => this.#savedMomentumDivisor() }] : [];
  }

  /**
   * tfjs' Momentum keeps the accumulator a (a = μa + g, p −= lr·a) where kerasm keeps Keras'
   * velocity v (v = μv − lr·g, p += v), so a = −v / lr.
   */
  #savedMomentumDivisor(): number {
    const lr = this.learningRate;
    if (!(lr > 0)) {
      throw new Error(`Cannot save SGD's momentum state while its learning rate is ${lr} (a schedule that reached 0): tfjs' Momentum format stores velocity / learningRate. Save with { includeOptimizer: false }, or end the schedule above 0 (e.g. cosineDecay's alpha).`);
    }
    return -lr;
  }

  protected update(backend: Backend, params: BufferId, grads: BufferId, size: number, lr: number): void {
    backend.sgdUpdate(params, grads, this.slot('momentum'), size, lr, this.momentum, this.nesterov);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}
