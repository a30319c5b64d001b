import type { Backend, BufferId } from '../backend/backend.js';
import { checkRange, Optimizer, type OptimizerArgs } from './optimizer.js';
import type { StateSlot } from './state_slots.js';

/** Options of {@link Nadam}; defaults are Keras'. */
export interface NadamArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Nadam (Adam with Nesterov momentum), Keras 3's update with the momentum schedule `u_t = β1(1 − ½·0.96ᵗ)`. */
export class Nadam extends Optimizer {
  readonly className = 'Nadam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  // Π u_1..u_t is a function of the step alone; it is cached and rebuilt if `iterations` jumps (restored state).
  #uProduct = 1;
  #uProductStep = 0;

  constructor(args: NadamArgs = {}) {
    super('Nadam', args, 0.001);
    this.beta1 = checkRange('Nadam', 'beta1', args.beta1 ?? 0.9, 0, 1);
    this.beta2 = checkRange('Nadam', 'beta2', args.beta2 ?? 0.999, 0, 1);
    this.epsilon = checkRange('Nadam', 'epsilon', args.epsilon ?? 1e-7, 0, Infinity);
  }

  override declareSlots(): StateSlot[] {
    return [{ name: 'm' }, { name: 'v' }];
  }

  #u(t: number): number {
    return this.beta1 * (1 - 0.5 * 0.96 ** t);
  }

  protected update(backend: Backend, params: BufferId, grads: BufferId, size: number, lr: number): void {
    const t = this.iterations;
    if (this.#uProductStep !== t - 1) {
      this.#uProduct = 1;
      for (let i = 1; i < t; i++) this.#uProduct *= this.#u(i);
    }
    const uT = this.#u(t);
    const uNext = this.#u(t + 1);
    const productT = this.#uProduct * uT;
    const productNext = productT * uNext;
    this.#uProduct = productT;
    this.#uProductStep = t;
    const mCoef = uNext / (1 - productNext);
    const gCoef = (1 - uT) / (1 - productT);
    backend.nadamUpdate(params, grads, this.slot('m'), this.slot('v'), size, lr, this.beta1, this.beta2, this.epsilon, mCoef, gCoef, 1 / (1 - this.beta2 ** t));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
