import type { Backend, BufferId, FusableActivation } from '../backend/backend.js';
import type { ActivationName } from './activations.js';
import { Recurrent, type RecurrentArgs } from './recurrent.js';
import type { RecurrentStep, RecurrentStepGrad } from './recurrent_step.js';
import { registerBuiltinLayer } from './registry.js';
import { GRU_OPTIONS, checkRequiredOptions } from './layer_options.js';
import type { MayReturnList, ReturnsList } from './list_outputs.js';

/** Options of {@link GRU}, with TensorFlow.js' defaults. */
export interface GRUArgs extends RecurrentArgs {
  /** Activation of the update and reset gates (default 'hardSigmoid' as in tfjs-layers 4.22; Keras 3 uses 'sigmoid'). */
  recurrentActivation?: ActivationName | null;
  /**
   * Whether the reset gate scales the recurrent product (true: Keras' default since TF 2, with a bias of
   * shape [2, 3·units], input and recurrent rows) or multiplies the state before it (default false, the
   * only form TensorFlow.js 4.22 runs, so a model with resetAfter true trains and loads in kerasm but not in tfjs).
   */
  resetAfter?: boolean | null;
}

/**
 * Gated recurrent unit (Cho et al., 2014) over `[steps, features]` sequences. By default in the form
 * TensorFlow.js 4.22 runs (reset gate applied before the recurrent product):
 * z = σ(x·Wz + h·Uz + bz), r = σ(x·Wr + h·Ur + br), h̃ = tanh(x·Wh + (r⊙h)·Uh + bh),
 * h = z⊙h + (1 − z)⊙h̃, with TensorFlow.js' weight layout `kernel [features, 3·units]`,
 * `recurrent_kernel [units, 3·units]`, `bias [3·units]` (gate order z, r, h). With `resetAfter: true`
 * (Keras' default since TF 2) h̃ = tanh(x·Wh + bh + r⊙(h·Uh + b'h)), the gates add a recurrent bias
 * b' too, and `bias` is `[2, 3·units]` (input row, recurrent row), so Keras GRU weights load as they are.
 * The state starts at zero.
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
  protected readonly carryCount = 0;
  readonly recurrentActivation: FusableActivation;
  readonly resetAfter: boolean;

  /** `displayName` names the object in error messages: a GRUCell builds its layer with 'GRUCell'. */
  constructor(args: GRUArgs, displayName = 'GRU') {
    super(args, displayName);
    this.recurrentActivation = this.cellActivation(args.recurrentActivation === undefined ? 'hardSigmoid' : args.recurrentActivation, 'recurrentActivation');
    const resetAfter = args.resetAfter ?? false;
    if (typeof resetAfter !== 'boolean') throw new Error(`${this.where}: resetAfter must be true or false. Received: resetAfter=${JSON.stringify(args.resetAfter)}.`);
    this.resetAfter = resetAfter;
  }

  // The reset-before form keeps r⊙hPrev per step; the reset-after form keeps hPrev·U in its scratch.
  protected get stateCount(): number {
    return this.resetAfter ? 0 : 1;
  }

  protected override biasShape(width: number): number[] {
    return this.resetAfter ? [2, width] : [width];
  }

  // Reset-after scratch: every step's hPrev·U [batch, 3u], time-major; each becomes its gradient on the way back.
  #inner(backend: Backend, scratch: BufferId, batch: number, step: number): BufferId {
    const size = 3 * batch * this.units;
    return backend.view(scratch, step * size, size);
  }

  #recurrentBias(backend: Backend, bias: BufferId): BufferId {
    return bias ? backend.view(bias, 3 * this.units, 3 * this.units) : 0;
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
    if (this.resetAfter) return this.steps * 3 * batch * this.units;
    return 6 * this.units * this.units + 4 * batch * this.units;
  }

  protected override beginForward(backend: Backend, recurrentKernel: BufferId, scratch: BufferId, batch: number): void {
    if (this.resetAfter) return;
    const u = this.units;
    const { uzr, uh } = this.#scratch(backend, scratch, batch);
    backend.copyRows(recurrentKernel, 3 * u, uzr, 2 * u, u, 2 * u);
    backend.copyRows(backend.view(recurrentKernel, 2 * u, u * 3 * u - 2 * u), 3 * u, uh, u, u, u);
  }

  protected override beginBackward(backend: Backend, scratch: BufferId, batch: number): void {
    if (this.resetAfter) return;
    const { dUzr, dUh } = this.#scratch(backend, scratch, batch);
    backend.fill(dUzr, 2 * this.units * this.units, 0);
    backend.fill(dUh, this.units * this.units, 0);
  }

  protected stepForward(backend: Backend, recurrentKernel: BufferId, step: RecurrentStep): void {
    if (this.resetAfter) return this.#stepForwardResetAfter(backend, recurrentKernel, step);
    // hPrev reaches the recurrent products through hr (with recurrentDropout, hPrev·mask); the update z⊙hPrev reads it whole.
    const { rows, z, hPrev, hPrevRecurrent: hr, h, state: [rh], scratch } = step;
    const u = this.units;
    const { uzr, uh, p, q } = this.#scratch(backend, scratch, rows);
    if (hPrev) backend.matMul(hr, uzr, p, rows, 2 * u, u, false, false, false);
    backend.gruGatesForward(z, hPrev ? p : 0, hr, rh, rows, u, this.recurrentActivation);
    if (hPrev) backend.matMul(rh, uh, q, rows, u, u, false, false, false);
    backend.gruOutputForward(z, hPrev ? q : 0, hPrev, h, rows, u, this.activation);
  }

  protected stepBackward(backend: Backend, recurrentKernel: BufferId, step: RecurrentStepGrad): void {
    if (this.resetAfter) return this.#stepBackwardResetAfter(backend, recurrentKernel, step);
    const { rows, z, hPrev, hPrevRecurrent: hr, dh, dhPrev, dhPrevRecurrent: dhr, state: [rh], scratch } = step;
    const u = this.units;
    const { uzr, uh, dUzr, dUh, p, q, dRh } = this.#scratch(backend, scratch, rows);
    // q holds h̃'s pre-activation gradient, p both gates' (as s): contiguous for the GEMMs.
    backend.gruOutputBackward(z, hPrev, dh, dhPrev, q, rows, u, this.activation, this.recurrentActivation);
    // A frozen layer skips the dU accumulators and only passes the gradient on.
    if (hPrev) {
      if (step.weightGradsNeeded) backend.matMul(rh, q, dUh, u, u, rows, true, false, true);
      backend.matMul(q, uh, dRh, rows, u, u, false, true, false);
    }
    backend.gruGatesBackward(z, hr, hPrev ? dRh : 0, dhr, p, rows, u, this.recurrentActivation);
    if (hPrev) {
      if (step.weightGradsNeeded) backend.matMul(hr, p, dUzr, u, 2 * u, rows, true, false, true);
      backend.matMul(p, uzr, dhr, rows, u, 2 * u, false, true, true);
    }
  }

  #stepForwardResetAfter(backend: Backend, recurrentKernel: BufferId, step: RecurrentStep): void {
    const { index, rows, z, hPrev, hPrevRecurrent, h, scratch, bias } = step;
    const u = this.units;
    const inner = this.#inner(backend, scratch, rows, index);
    if (hPrev) backend.matMul(hPrevRecurrent, recurrentKernel, inner, rows, 3 * u, u, false, false, false);
    else backend.fill(inner, 3 * rows * u, 0);
    backend.gruResetAfterForward(z, inner, this.#recurrentBias(backend, bias), hPrev, h, rows, u, this.activation, this.recurrentActivation);
  }

  #stepBackwardResetAfter(backend: Backend, recurrentKernel: BufferId, step: RecurrentStepGrad): void {
    const { index, rows, z, hPrev, dh, dhPrev, dhPrevRecurrent, scratch, bias } = step;
    const u = this.units;
    const inner = this.#inner(backend, scratch, rows, index);
    backend.gruResetAfterBackward(z, inner, this.#recurrentBias(backend, bias), hPrev, dh, dhPrev, rows, u, this.activation, this.recurrentActivation);
    if (hPrev) backend.matMul(inner, recurrentKernel, dhPrevRecurrent, rows, u, 3 * u, false, true, true);
  }

  protected override recurrentKernelGrad(backend: Backend, h: BufferId, dz: BufferId, dU: BufferId, batch: number, scratch: BufferId, dBias: BufferId, h0: BufferId): void {
    if (this.resetAfter) {
      // Every step's gradient of hPrev·U + b' is in the scratch: dU as the plain cells get theirs, b' as its column sums.
      const dInner = backend.view(scratch, 0, this.steps * 3 * batch * this.units);
      super.recurrentKernelGrad(backend, h, dInner, dU, batch, scratch, 0, h0);
      if (dBias) backend.columnSum(dInner, this.#recurrentBias(backend, dBias), this.steps * batch, 3 * this.units, false);
      return;
    }
    const u = this.units;
    const { dUzr, dUh } = this.#scratch(backend, scratch, batch);
    backend.copyRows(dUzr, 2 * u, dU, 3 * u, u, 2 * u);
    backend.copyRows(dUh, u, backend.view(dU, 2 * u, u * 3 * u - 2 * u), 3 * u, u, u);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivation, implementation: this.implementation, resetAfter: this.resetAfter };
  }
}

registerBuiltinLayer('GRU', (config) => new GRU(config as unknown as GRUArgs));

/**
 * Gated recurrent unit over `[steps, features]` sequences (the reset-before form tfjs-layers 4.22 runs).
 * With `returnState: true` its `apply` gives `[output, h]`; `apply(x, { initialState: [h] })` starts from h.
 * @example `km.layers.gru({ units: 32, inputShape: [20, 1] })`
 */
export function gru(args: GRUArgs & { returnState: true }): ReturnsList<GRU, ['output', 'h']>;
export function gru(args: GRUArgs & { returnState?: false }): GRU;
export function gru(args: GRUArgs): MayReturnList<GRU>;
export function gru(args: GRUArgs): GRU {
  checkRequiredOptions(args, GRU_OPTIONS, 'km.layers.gru');
  return new GRU(args);
}
