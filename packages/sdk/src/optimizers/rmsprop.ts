import type { Backend, BufferId } from '../backend/backend.js';
import { checkRange, Optimizer, type OptimizerArgs } from './optimizer.js';
import type { StateSlot } from './state_slots.js';

/** Options of {@link RMSprop}; defaults are Keras'. */
export interface RMSpropArgs extends OptimizerArgs {
  /** Discount of the squared-gradient average (default 0.9). */
  rho?: number;
  momentum?: number;
  epsilon?: number;
  /** Normalise by the gradient's variance instead of its second moment (default false). */
  centered?: boolean;
}

/** RMSprop: `s = ρs + (1−ρ)g²; p −= lr·g/√(s + ε)`, with optional momentum and centering (Keras 3). */
export class RMSprop extends Optimizer {
  readonly className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(args: RMSpropArgs = {}) {
    super('RMSprop', args, 0.001);
    this.rho = checkRange('RMSprop', 'rho', args.rho ?? 0.9, 0, 1);
    this.momentum = checkRange('RMSprop', 'momentum', args.momentum ?? 0, 0, 1);
    this.epsilon = checkRange('RMSprop', 'epsilon', args.epsilon ?? 1e-7, 0, Infinity);
    this.centered = args.centered ?? false;
  }

  override declareSlots(): StateSlot[] {
    // tfjs' RMSProp always has a momentum slot; kerasm keeps none without momentum and saves zeros.
    const slots: StateSlot[] = [{ name: 'velocity', savedName: 'rms' }, { name: 'momentum', kept: this.momentum > 0 }];
    return this.centered ? [...slots, { name: 'averageGradient', savedName: 'mg' }] : slots;
  }

  protected update(backend: Backend, params: BufferId, grads: BufferId, size: number, lr: number): void {
    backend.rmspropUpdate(params, grads, this.slot('velocity'), this.slot('averageGradient'), this.slot('momentum'), size, lr, this.rho, this.momentum, this.epsilon);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
