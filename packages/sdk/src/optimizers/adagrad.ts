import type { Backend, BufferId } from '../backend/backend.js';
import { checkRange, Optimizer, type OptimizerArgs } from './optimizer.js';

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
  #accumulator: BufferId = 0;

  constructor(args: AdagradArgs = {}) {
    super('Adagrad', args, 0.001);
    this.initialAccumulatorValue = checkRange('Adagrad', 'initialAccumulatorValue', args.initialAccumulatorValue ?? 0.1, 0, Infinity);
    this.epsilon = checkRange('Adagrad', 'epsilon', args.epsilon ?? 1e-7, 0, Infinity);
  }

  stateSlots() {
    return [{ name: 'accumulator', id: this.#accumulator }];
  }

  protected allocateState(backend: Backend, size: number): void {
    this.#accumulator = backend.alloc(size, 'float32');
    backend.fill(this.#accumulator, size, this.initialAccumulatorValue);
  }

  protected releaseState(backend: Backend): void {
    backend.free(this.#accumulator);
  }

  protected update(backend: Backend, params: BufferId, grads: BufferId, size: number, lr: number): void {
    backend.adagradUpdate(params, grads, this.#accumulator, size, lr, this.epsilon);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
