import type { Backend, BufferId } from '../backend/backend.js';
import { checkRange, Optimizer, type OptimizerArgs } from './optimizer.js';
import type { StateSlot } from './state_slots.js';

/** Options of {@link Adam}; defaults are Keras'. */
export interface AdamArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Use the running maximum of v (AMSGrad, default false). */
  amsgrad?: boolean;
}

/** Adam with Keras' update: `p -= lr·√(1−β2ᵗ)/(1−β1ᵗ) · m / (√v + ε)` (AMSGrad: max of v so far). */
export class Adam extends Optimizer {
  readonly className: string;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  constructor(args: AdamArgs = {}, className = 'Adam') {
    super(className, args, 0.001);
    this.className = className;
    this.beta1 = checkRange(className, 'beta1', args.beta1 ?? 0.9, 0, 1);
    this.beta2 = checkRange(className, 'beta2', args.beta2 ?? 0.999, 0, 1);
    this.epsilon = checkRange(className, 'epsilon', args.epsilon ?? 1e-7, 0, Infinity);
    this.amsgrad = args.amsgrad ?? false;
  }

  override declareSlots(): StateSlot[] {
    const moments: StateSlot[] = [{ name: 'm' }, { name: 'v' }];
    // tfjs has no AMSGrad; its maximum keeps the lower-case name of tfjs' other slots.
    return this.amsgrad ? [...moments, { name: 'vHat', savedName: 'vhat' }] : moments;
  }

  protected update(backend: Backend, params: BufferId, grads: BufferId, size: number, lr: number): void {
    const t = this.iterations;
    const lrT = (lr * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    if (this.amsgrad) backend.amsgradUpdate(params, grads, this.slot('m'), this.slot('v'), this.slot('vHat'), size, lrT, this.beta1, this.beta2, this.epsilon);
    else backend.adamUpdate(params, grads, this.slot('m'), this.slot('v'), size, lrT, this.beta1, this.beta2, this.epsilon);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}

/** AdamW: Adam with decoupled weight decay, `weightDecay` defaulting to Keras' 0.004. */
export class AdamW extends Adam {
  constructor(args: AdamArgs = {}) {
    super({ ...args, weightDecay: args.weightDecay ?? 0.004 }, 'AdamW');
  }
}
