import type { Backend, BufferId, FusableActivation } from '../backend/backend.js';
import type { ActivationName } from './activations.js';
import { Recurrent, type RecurrentArgs, type RecurrentStep, type RecurrentStepGrad } from './recurrent.js';
import { registerLayer } from './registry.js';

/** Options of {@link GRU}, with TensorFlow.js' defaults. */
export interface GRUArgs extends RecurrentArgs {
  /** Activation of the update and reset gates (default 'hardSigmoid' as in tfjs-layers 4.22; Keras 3 uses 'sigmoid'). */
  recurrentActivation?: ActivationName | null;
  /** Only false, the form TensorFlow.js 4.22 runs (Keras 3 defaults to true, with a bias of shape [2, 3·units]). */
  resetAfter?: boolean | null;
}

/**
 * Gated recurrent unit (Cho et al., 2014) over `[steps, features]` sequences, in the form
 * TensorFlow.js 4.22 and Keras 2 use by default (reset gate applied before the recurrent product):
 * z = σ(x·Wz + h·Uz + bz), r = σ(x·Wr + h·Ur + br), h̃ = tanh(x·Wh + (r⊙h)·Uh + bh),
 * h = z⊙h + (1 − z)⊙h̃, with TensorFlow.js' weight layout `kernel [features, 3·units]`,
 * `recurrent_kernel [units, 3·units]`, `bias [3·units]` (gate order z, r, h). The state starts at zero.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.gru({ units: 32, inputShape: [20, 1] }),
 *   km.layers.dense({ units: 1 }),
 * ]);
 * ```
 */
export class GRU extends Recurrent {
  readonly className = 'GRU';
  readonly gates = 3;
  protected readonly stateCount = 1;
  protected readonly carryCount = 0;
  readonly recurrentActivation: FusableActivation;

  constructor(args: GRUArgs) {
    super(args, 'GRU');
    this.recurrentActivation = this.cellActivation(args.recurrentActivation === undefined ? 'hardSigmoid' : args.recurrentActivation, 'recurrentActivation');
    if (args.resetAfter !== undefined && args.resetAfter !== null && args.resetAfter !== false) {
      throw new Error(
        `${this.where}: resetAfter is not supported by kerasm yet (only the reset-before form that TensorFlow.js 4.22 runs). Received: resetAfter=${JSON.stringify(args.resetAfter)}. ` +
          `Set resetAfter: false (Keras 3 defaults to true: pass reset_after=False there to make a model TensorFlow.js and kerasm can load).`,
      );
    }
  }

  // Scratch, in floats: U_zr [u, 2u] and U_h [u, u] (U's column blocks as matrices of their own), their
  // gradients' accumulators, and per-step products p [batch, 2u], q [batch, u] and dRh [batch, u].
  #scratch(backend: Backend, scratch: BufferId, batch: number) {
    const u = this.units;
    const sizes = [2 * u * u, u * u, 2 * u * u, u * u, 2 * batch * u, batch * u, batch * u];
    const starts = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
    const [uzr, uh, dUzr, dUh, p, q, dRh] = starts.map((start, i) => backend.view(scratch, start, sizes[i]));
    return { uzr, uh, dUzr, dUh, p, q, dRh };
  }

  protected override cellScratchSize(batch: number): number {
    return 6 * this.units * this.units + 4 * batch * this.units;
  }

  protected override beginForward(backend: Backend, recurrentKernel: BufferId, scratch: BufferId, batch: number): void {
    const u = this.units;
    const { uzr, uh } = this.#scratch(backend, scratch, batch);
    backend.copyRows(recurrentKernel, 3 * u, uzr, 2 * u, u, 2 * u);
    backend.copyRows(backend.view(recurrentKernel, 2 * u, u * 3 * u - 2 * u), 3 * u, uh, u, u, u);
  }

  protected override beginBackward(backend: Backend, scratch: BufferId, batch: number): void {
    const { dUzr, dUh } = this.#scratch(backend, scratch, batch);
    backend.fill(dUzr, 2 * this.units * this.units, 0);
    backend.fill(dUh, this.units * this.units, 0);
  }

  protected stepForward(backend: Backend, _recurrentKernel: BufferId, step: RecurrentStep): void {
    const { rows, z, hPrev, h, state: [rh], scratch } = step;
    const u = this.units;
    const { uzr, uh, p, q } = this.#scratch(backend, scratch, rows);
    if (hPrev) backend.matMul(hPrev, uzr, p, rows, 2 * u, u, false, false, false);
    backend.gruGatesForward(z, hPrev ? p : 0, hPrev, rh, rows, u, this.recurrentActivation);
    if (hPrev) backend.matMul(rh, uh, q, rows, u, u, false, false, false);
    backend.gruOutputForward(z, hPrev ? q : 0, hPrev, h, rows, u, this.activation);
  }

  protected stepBackward(backend: Backend, _recurrentKernel: BufferId, step: RecurrentStepGrad): void {
    const { rows, z, hPrev, dh, dhPrev, state: [rh], scratch } = step;
    const u = this.units;
    const { uzr, uh, dUzr, dUh, p, q, dRh } = this.#scratch(backend, scratch, rows);
    // q holds h̃'s pre-activation gradient, p both gates' (as s): contiguous for the GEMMs.
    backend.gruOutputBackward(z, hPrev, dh, dhPrev, q, rows, u, this.activation, this.recurrentActivation);
    if (hPrev) {
      backend.matMul(rh, q, dUh, u, u, rows, true, false, true);
      backend.matMul(q, uh, dRh, rows, u, u, false, true, false);
    }
    backend.gruGatesBackward(z, hPrev, hPrev ? dRh : 0, dhPrev, p, rows, u, this.recurrentActivation);
    if (hPrev) {
      backend.matMul(hPrev, p, dUzr, u, 2 * u, rows, true, false, true);
      backend.matMul(p, uzr, dhPrev, rows, u, 2 * u, false, true, true);
    }
  }

  protected override recurrentKernelGrad(backend: Backend, _h: BufferId, _dz: BufferId, dU: BufferId, batch: number, scratch: BufferId): void {
    const u = this.units;
    const { dUzr, dUh } = this.#scratch(backend, scratch, batch);
    backend.copyRows(dUzr, 2 * u, dU, 3 * u, u, 2 * u);
    backend.copyRows(dUh, u, backend.view(dU, 2 * u, u * 3 * u - 2 * u), 3 * u, u, u);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivation, implementation: this.implementation, resetAfter: false };
  }
}

registerLayer('GRU', (config) => new GRU(config as unknown as GRUArgs));
