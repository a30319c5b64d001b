import type { Backend, BufferId } from '../backend/backend.js';
import { checkRange, Optimizer } from './optimizer.js';

/** Options of {@link Adam}; defaults are Keras'. */
export interface AdamArgs {
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Adam with Keras' update: `p -= lr·√(1−β2ᵗ)/(1−β1ᵗ) · m / (√v + ε)`. */
export class Adam extends Optimizer {
  readonly className = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  #m: BufferId = 0;
  #v: BufferId = 0;

  constructor(args: AdamArgs = {}) {
    super(args.learningRate ?? 0.001, 'Adam');
    this.beta1 = checkRange('Adam', 'beta1', args.beta1 ?? 0.9, 0, 1);
    this.beta2 = checkRange('Adam', 'beta2', args.beta2 ?? 0.999, 0, 1);
    this.epsilon = checkRange('Adam', 'epsilon', args.epsilon ?? 1e-7, 0, Infinity);
  }

  stateSlots() {
    return [{ name: 'm', id: this.#m }, { name: 'v', id: this.#v }];
  }

  protected allocateState(backend: Backend, size: number): void {
    this.#m = backend.alloc(size, 'float32');
    this.#v = backend.alloc(size, 'float32');
  }

  protected releaseState(backend: Backend): void {
    backend.free(this.#m);
    backend.free(this.#v);
  }

  protected update(backend: Backend, params: BufferId, grads: BufferId, size: number): void {
    const t = this.iterations;
    const lrT = (this.learningRate * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    backend.adamUpdate(params, grads, this.#m, this.#v, size, lrT, this.beta1, this.beta2, this.epsilon);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
