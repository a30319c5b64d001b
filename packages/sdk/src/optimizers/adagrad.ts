import type { Backend, BufferId } from '../backend/backend.js';
import { checkRange, Optimizer, type OptimizerArgs } from './optimizer.js';
import type { StateSlot } from './state_slots.js';

/** Options of {@link Adagrad}; defaults are Keras'. */
export interface AdagradArgs extends OptimizerArgs {
  /** Starting value of the squared-gradient accumulators (default 0.1). */
  initialAccumulatorValue?: number;
  epsilon?: number;
}

/** Adagrad: `a += g²; p −= lr·g/√(a + ε)`. */
export class Adagrad extends Optimizer {
  readonly className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(args: AdagradArgs = {}) {
    super('Adagrad', args, 0.001);
    this.initialAccumulatorValue = checkRange('Adagrad', 'initialAccumulatorValue', args.initialAccumulatorValue ?? 0.1, 0, Infinity);
    this.epsilon = checkRange('Adagrad', 'epsilon', args.epsilon ?? 1e-7, 0, Infinity);
  }

  override declareSlots(): StateSlot[] {
    return [{ name: 'accumulator', initialValue: this.initialAccumulatorValue }];
  }

  protected update(backend: Backend, params: BufferId, grads: BufferId, size: number, lr: number): void {
    backend.adagradUpdate(params, grads, this.slot('accumulator'), size, lr, this.epsilon);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
