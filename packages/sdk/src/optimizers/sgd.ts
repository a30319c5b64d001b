import type { Backend, BufferId } from '../backend/backend.js';
import { checkRange, Optimizer, type OptimizerArgs } from './optimizer.js';

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
  #velocity: BufferId = 0;

  constructor(args: SGDArgs = {}) {
    super('SGD', args, 0.01);
    this.momentum = checkRange('SGD', 'momentum', args.momentum ?? 0, 0, 1);
    this.nesterov = args.nesterov ?? false;
  }

  stateSlots() {
    return this.#velocity ? [{ name: 'momentum', id: this.#velocity }] : [];
  }

  protected allocateState(backend: Backend, size: number): void {
    this.#velocity = this.momentum > 0 ? backend.alloc(size, 'float32') : 0;
  }

  protected releaseState(backend: Backend): void {
    if (this.#velocity) backend.free(this.#velocity);
  }

  protected update(backend: Backend, params: BufferId, grads: BufferId, size: number, lr: number): void {
    backend.sgdUpdate(params, grads, this.#velocity, size, lr, this.momentum, this.nesterov);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}
