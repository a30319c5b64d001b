import type { Backend, BufferId } from '../backend/backend.js';
import { shapeSize } from '../tensor.js';
import { checkRange, Optimizer, type OptimizerArgs } from './optimizer.js';
import type { StateSlot } from './state_slots.js';

/** Options of {@link Adafactor}; defaults are Keras 3's. */
export interface AdafactorArgs extends OptimizerArgs {
  /** The second moment's decay is β = 1 − t^beta2Decay at step t, ≤ 0 (default −0.8). */
  beta2Decay?: number;
  /** Added to g² so the second moment never reaches 0, ≥ 0 (default 1e-30). */
  epsilon1?: number;
  /** Floor of a weight's rms in its step size, ≥ 0 (default 1e-3). */
  epsilon2?: number;
  /** The update's rms is clipped to this, > 0 (default 1); independent of clipnorm and clipvalue. */
  clipThreshold?: number;
  /**
   * Keras' flag to cap a constant learning rate at 1/√t (default true). Keras 3 also caps ρ at 1/√t
   * unconditionally, so it does not change the update; kept for the config.
   */
  relativeStep?: boolean;
}

/** A weight's layout for the kernels: rank ≥ 2 is batches of rows × cols matrices (its last two axes). */
function factoring(shape: readonly number[]): { batches: number; rows: number; cols: number; factored: boolean } {
  if (shape.length < 2) return { batches: 1, rows: 1, cols: shapeSize(shape), factored: false };
  const rows = shape[shape.length - 2];
  const cols = shape[shape.length - 1];
  return { batches: shapeSize(shape.slice(0, -2)), rows, cols, factored: true };
}

/**
 * Adafactor (Shazeer & Stern, 2018) as Keras 3 updates it. For a weight of rank ≥ 2 the second
 * moment of g² + ε1 is kept only as row and column means over its last two axes, `r` and `c`,
 * with `v = (r / mean(r)) ⊗ c`; a vector keeps a full `v`. With β = 1 − t^beta2Decay,
 * ρ = min(lr, 1/√t) and `u = g/√v`, each weight steps
 * `w −= max(ε2, rms(w))·ρ · u / max(1, rms(u)/clipThreshold)`: relative to its own scale.
 */
export class Adafactor extends Optimizer {
  readonly className = 'Adafactor';
  readonly beta2Decay: number;
  readonly epsilon1: number;
  readonly epsilon2: number;
  readonly clipThreshold: number;
  readonly relativeStep: boolean;

  constructor(args: AdafactorArgs = {}) {
    super('Adafactor', args, 0.001);
    const decay = args.beta2Decay ?? -0.8;
    if (!(decay <= 0 && Number.isFinite(decay))) {
      throw new Error(`Adafactor: beta2Decay must be a finite number ≤ 0 (β = 1 − t^beta2Decay must stay in [0, 1)). Received: beta2Decay=${decay}.`);
    }
    this.beta2Decay = decay;
    this.epsilon1 = checkRange('Adafactor', 'epsilon1', args.epsilon1 ?? 1e-30, 0, Infinity);
    this.epsilon2 = checkRange('Adafactor', 'epsilon2', args.epsilon2 ?? 1e-3, 0, Infinity);
    const clip = args.clipThreshold ?? 1;
    if (!(clip > 0 && Number.isFinite(clip))) {
      throw new Error(`Adafactor: clipThreshold must be a positive finite number. Received: clipThreshold=${clip}.`);
    }
    this.clipThreshold = clip;
    const relative = args.relativeStep ?? true;
    if (typeof relative !== 'boolean') {
      throw new Error(`Adafactor: relativeStep must be true or false. Received: relativeStep=${String(relative)}.`);
    }
    this.relativeStep = relative;
  }

  override declareSlots(): StateSlot[] {
    // Keras' r has the shape w[:-1] and c w[:-2] + w[-1:]; a vector keeps one unused scalar of each.
    const factor = (axes: (shape: readonly number[]) => number[]) => (shape: readonly number[]) => (shape.length < 2 ? [] : axes(shape));
    return [
      { name: 'r', shapeFor: factor((s) => s.slice(0, -1)) },
      { name: 'c', shapeFor: factor((s) => [...s.slice(0, -2), s[s.length - 1]]) },
      { name: 'velocity' },
    ];
  }

  protected update(backend: Backend, params: BufferId, grads: BufferId, _size: number, lr: number): void {
    const t = this.iterations;
    const rho = Math.min(lr, 1 / Math.sqrt(t));
    const beta = 1 - t ** this.beta2Decay;
    const [p, g] = [params, grads].map((id) => this.weightViews(backend, id));
    const [r, c, v] = ['r', 'c', 'velocity'].map((name) => this.slotViews(backend, name));
    this.weightShapes.forEach((shape, i) => {
      const { batches, rows, cols, factored } = factoring(shape);
      if (batches * rows * cols === 0) return;
      backend.adafactorUpdate(p[i], g[i], r[i], c[i], v[i], batches, rows, cols, factored, rho, beta, this.epsilon1, this.epsilon2, this.clipThreshold);
    });
  }

  override getConfig(): Record<string, unknown> {
    const { beta2Decay, epsilon1, epsilon2, clipThreshold, relativeStep } = this;
    return { ...super.getConfig(), beta2Decay, epsilon1, epsilon2, clipThreshold, relativeStep };
  }
}
