import type { Backend, BufferId } from '../backend/backend.js';
import { Recurrent, type RecurrentArgs } from './recurrent.js';
import type { RecurrentStep, RecurrentStepGrad } from './recurrent_step.js';
import { registerBuiltinLayer } from './registry.js';
import { SIMPLE_RNN_OPTIONS, checkRequiredOptions } from './layer_options.js';
import type { MayReturnList, ReturnsList } from './list_outputs.js';

/** Options of {@link SimpleRNN}, with TensorFlow.js' defaults. */
export type SimpleRNNArgs = RecurrentArgs;

/**
 * A fully connected recurrent layer over `[steps, features]` sequences:
 * h = activation(x·W + h·U + b), with TensorFlow.js' weight layout (`kernel [features, units]`,
 * `recurrent_kernel [units, units]`, `bias [units]`). The state starts at zero for every sample.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.simpleRNN({ units: 16, inputShape: [10, 1] }),
 *   km.layers.dense({ units: 1 }),
 * ]);
 * ```
 */
export class SimpleRNN extends Recurrent {
  readonly className = 'SimpleRNN';
  readonly gates = 1;
  protected readonly stateCount = 0;
  protected readonly carryCount = 0;

  /** `displayName` names the object in error messages: a SimpleRNNCell builds its layer with 'SimpleRNNCell'. */
  constructor(args: SimpleRNNArgs, displayName = 'SimpleRNN') {
    super(args, displayName);
  }

  protected stepForward(backend: Backend, recurrentKernel: BufferId, step: RecurrentStep): void {
    const { rows, z, hPrevRecurrent, h } = step;
    if (hPrevRecurrent) backend.matMul(hPrevRecurrent, recurrentKernel, z, rows, this.units, this.units, false, false, true);
    backend.activation(this.activation, z, h, rows, this.units);
  }

  protected stepBackward(backend: Backend, recurrentKernel: BufferId, step: RecurrentStepGrad): void {
    const { rows, z, h, dh, dhPrevRecurrent } = step;
    backend.activationGrad(this.activation, h, dh, z, rows, this.units);
    if (dhPrevRecurrent) backend.matMul(z, recurrentKernel, dhPrevRecurrent, rows, this.units, this.units, false, true, true);
  }
}

registerBuiltinLayer('SimpleRNN', (config) => new SimpleRNN(config as unknown as SimpleRNNArgs));

/**
 * A fully connected recurrent layer, h = activation(x·W + h·U + b), over `[steps, features]` sequences.
 * With `returnState: true` its `apply` gives `[output, h]`; `apply(x, { initialState: [h] })` starts from h.
 * @example `km.layers.simpleRNN({ units: 16, inputShape: [10, 1] })`
 */
export function simpleRNN(args: SimpleRNNArgs & { returnState: true }): ReturnsList<SimpleRNN, ['output', 'h']>;
export function simpleRNN(args: SimpleRNNArgs & { returnState?: false }): SimpleRNN;
export function simpleRNN(args: SimpleRNNArgs): MayReturnList<SimpleRNN>;
export function simpleRNN(args: SimpleRNNArgs): SimpleRNN {
  checkRequiredOptions(args, SIMPLE_RNN_OPTIONS, 'km.layers.simpleRNN');
  return new SimpleRNN(args);
}
