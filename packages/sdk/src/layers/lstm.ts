import type { Backend, BufferId, FusableActivation } from '../backend/backend.js';
import { getInitializer, type Initializer, type InitializerSpec } from '../initializers/initializers.js';
import type { ActivationName } from './activations.js';
import { Recurrent, type RecurrentArgs } from './recurrent.js';
import type { RecurrentStep, RecurrentStepGrad } from './recurrent_step.js';
import { registerBuiltinLayer } from './registry.js';
import { LSTM_OPTIONS, checkRequiredOptions } from './layer_options.js';
import type { MayReturnList, ReturnsList } from './list_outputs.js';

/** Options of {@link LSTM}, with TensorFlow.js' defaults. */
export interface LSTMArgs extends RecurrentArgs {
  /** Activation of the input, forget and output gates (default 'hardSigmoid' as in tfjs-layers 4.22; Keras 3 uses 'sigmoid'). */
  recurrentActivation?: ActivationName | null;
  /**
   * Whether the forget gate's bias starts at 1 (Keras' default, and kerasm's when not given). tfjs-layers
   * 4.22 leaves it unset, which it reads as false, and saves it as null: kerasm reads null as false too.
   */
  unitForgetBias?: boolean | null;
}

/**
 * Long short-term memory (Hochreiter & Schmidhuber, 1997) over `[steps, features]` sequences, with
 * Keras' equations and TensorFlow.js' weight layout: `kernel [features, 4·units]`,
 * `recurrent_kernel [units, 4·units]`, `bias [4·units]`, gates in the order i, f, c, o:
 * i = σ(x·Wi + h·Ui + bi), f = σ(…), c̃ = tanh(…), o = σ(…), c = f·c + i·c̃, h = o·tanh(c),
 * σ being `recurrentActivation` and tanh `activation`. The state starts at zero for every sample.
 *
 * @example
 * ```ts
 * // Forecast the next value of a series from the last 20.
 * const model = km.sequential([
 *   km.layers.lstm({ units: 32, inputShape: [20, 1] }),
 *   km.layers.dense({ units: 1 }),
 * ]);
 * // Tag every token of a sentence.
 * const tagger = km.sequential([
 *   km.layers.embedding({ inputDim: 5000, outputDim: 32, inputShape: [40] }),
 *   km.layers.lstm({ units: 64, returnSequences: true }),
 *   km.layers.dense({ units: 12, activation: 'softmax' }),
 * ]);
 * // Regularize while training: drop 20 % of the inputs and of the recurrent state (same masks at every step).
 * km.layers.lstm({ units: 64, dropout: 0.2, recurrentDropout: 0.2 });
 * ```
 */
export class LSTM extends Recurrent {
  readonly className: string = 'LSTM';
  readonly gates = 4;
  protected readonly stateCount = 2;
  protected readonly carryCount = 1;
  readonly recurrentActivation: FusableActivation;
  readonly unitForgetBias: boolean;

  /** `displayName` names the object in error messages: ConvLSTM2D's, or 'LSTMCell' for the layer an LSTMCell builds. */
  constructor(args: LSTMArgs, displayName = 'LSTM') {
    super(args, displayName);
    this.recurrentActivation = this.cellActivation(args.recurrentActivation === undefined ? 'hardSigmoid' : args.recurrentActivation, 'recurrentActivation');
    if (args.unitForgetBias !== undefined && args.unitForgetBias !== null && typeof args.unitForgetBias !== 'boolean') {
      throw new Error(`${this.where}: unitForgetBias must be true or false. Received: unitForgetBias=${JSON.stringify(args.unitForgetBias)}.`);
    }
    this.unitForgetBias = args.unitForgetBias === undefined ? true : args.unitForgetBias === true;
  }

  protected override biasInitializerFor(spec: InitializerSpec): Initializer {
    const base = getInitializer(spec);
    if (!this.unitForgetBias) return base;
    // As tfjs and Keras draw it: the input gate's part, ones for the forget gate, then c and o together.
    return (_shape, random) => {
      const u = this.units;
      const out = new Float32Array(4 * u);
      out.set(base([u], random), 0);
      out.fill(1, u, 2 * u);
      out.set(base([2 * u], random), 2 * u);
      return out;
    };
  }

  protected stepForward(backend: Backend, recurrentKernel: BufferId, step: RecurrentStep): void {
    const { rows, z, hPrevRecurrent, h, state: [c, ac], statePrev: [cPrev] } = step;
    if (hPrevRecurrent) backend.matMul(hPrevRecurrent, recurrentKernel, z, rows, 4 * this.units, this.units, false, false, true);
    backend.lstmCellForward(z, cPrev, c, ac, h, rows, this.units, this.activation, this.recurrentActivation);
  }

  protected stepBackward(backend: Backend, recurrentKernel: BufferId, step: RecurrentStepGrad): void {
    const { rows, z, dh, dhPrevRecurrent, state: [, ac], statePrev: [cPrev], carry: [dc] } = step;
    backend.lstmCellBackward(z, cPrev, ac, dh, dc, rows, this.units, this.activation, this.recurrentActivation);
    if (dhPrevRecurrent) backend.matMul(z, recurrentKernel, dhPrevRecurrent, rows, this.units, 4 * this.units, false, true, true);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivation, unitForgetBias: this.unitForgetBias, implementation: this.implementation };
  }
}

registerBuiltinLayer('LSTM', (config) => new LSTM(config as unknown as LSTMArgs));

/**
 * Long short-term memory over `[steps, features]` sequences: the last hidden state `[units]`, or
 * every step's `[steps, units]` with `returnSequences: true`. With `returnState: true` its `apply`
 * gives `[output, h, c]`; `apply(x, { initialState: [h, c] })` starts from given states (seq2seq).
 *
 * @example
 * ```ts
 * const encoderIn = km.input({ shape: [10, 8] });
 * const [, h, c] = km.layers.lstm({ units: 32, returnState: true }).apply(encoderIn);
 * const decoderIn = km.input({ shape: [12, 8] });
 * const decoded = km.layers.lstm({ units: 32, returnSequences: true }).apply(decoderIn, { initialState: [h, c] });
 * const model = km.model({ inputs: [encoderIn, decoderIn], outputs: km.layers.dense({ units: 8, activation: 'softmax' }).apply(decoded) });
 * ```
 */
export function lstm(args: LSTMArgs & { returnState: true }): ReturnsList<LSTM, ['output', 'h', 'c']>;
export function lstm(args: LSTMArgs & { returnState?: false }): LSTM;
export function lstm(args: LSTMArgs): MayReturnList<LSTM>;
export function lstm(args: LSTMArgs): LSTM {
  checkRequiredOptions(args, LSTM_OPTIONS, 'km.layers.lstm');
  return new LSTM(args);
}
