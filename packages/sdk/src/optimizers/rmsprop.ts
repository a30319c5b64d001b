import type { Backend, BufferId } from '../backend/backend.js';
import { checkRange, Optimizer, type OptimizerArgs } from './optimizer.js';

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
  #velocity: BufferId = 0;
  #averageGradient: BufferId = 0;
  #momentumBuffer: BufferId = 0;

  constructor(args: RMSpropArgs = {}) {
    super('RMSprop', args, 0.001);
    this.rho = checkRange('RMSprop', 'rho', args.rho ?? 0.9, 0, 1);
    this.momentum = checkRange('RMSprop', 'momentum', args.momentum ?? 0, 0, 1);
    this.epsilon = checkRange('RMSprop', 'epsilon', args.epsilon ?? 1e-7, 0, Infinity);
    this.centered = args.centered ?? false;
  }

  stateSlots() {
    const slots = [{ name: 'velocity', id: this.#velocity }];
    if (this.#momentumBuffer) slots.push({ name: 'momentum', id: this.#momentumBuffer });
    if (this.#averageGradient) slots.push({ name: 'averageGradient', id: this.#averageGradient });
    return slots;
  }

  protected allocateState(backend: Backend, size: number): void {
    this.#velocity = backend.alloc(size, 'float32');
    this.#momentumBuffer = this.momentum > 0 ? backend.alloc(size, 'float32') : 0;
    this.#averageGradient = this.centered ? backend.alloc(size, 'float32') : 0;
  }

  protected releaseState(backend: Backend): void {
    for (const id of [this.#velocity, this.#momentumBuffer, this.#averageGradient]) if (id) backend.free(id);
  }

  protected update(backend: Backend, params: BufferId, grads: BufferId, size: number, lr: number): void {
    backend.rmspropUpdate(params, grads, this.#velocity, this.#averageGradient, this.#momentumBuffer, size, lr, this.rho, this.momentum, this.epsilon);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
