import type { InitializerSpec } from '../initializers/initializers.js';
import type { ActivationName } from './activations.js';
import { channelsLastShape, shapeInFormat } from './channel_axis.js';
import { ConvLSTM2D, type ConvLSTM2DArgs } from './conv_lstm2d.js';
import type { Shape } from './layer.js';
import { formatShape } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { checkStridesWithDilation, imageRowWindowConfig, windowAsImageRow, type PaddingMode, type Window1DSizes } from './window.js';
import { CONV_LSTM1D_OPTIONS, checkRequiredOptions } from './layer_options.js';
import type { MayReturnList, ReturnsList } from './list_outputs.js';

/** Options of {@link ConvLSTM1D}: ConvLSTM2D's with 1-D window sizes, and Keras 3's defaults. */
export interface ConvLSTM1DArgs extends Omit<ConvLSTM2DArgs, 'kernelSize' | 'strides' | 'dilationRate' | 'recurrentActivation' | 'kernelInitializer'>, Window1DSizes {
  /** Activation of the input, forget and output gates (default 'sigmoid', as in Keras 3). */
  recurrentActivation?: ActivationName | null;
  /** Initializer of the input kernel `[k, channels, 4·filters]` (default glorotUniform, as in Keras 3). */
  kernelInitializer?: InitializerSpec;
}

/** The 2-D window over height-1 frames that a ConvLSTM1D runs as, checked with the layer's own 1-D sizes in the errors. */
function windowAsFrameRow(args: ConvLSTM1DArgs): { kernelSize: [number, number]; strides: [number, number]; dilationRate: [number, number]; padding: PaddingMode } {
  const window = windowAsImageRow(args, 'ConvLSTM1D');
  checkStridesWithDilation([window.strides[1]], [window.dilationRate[1]], `ConvLSTM1D layer${args.name ? ` '${args.name}'` : ''}`);
  return window;
}

/**
 * Keras 3's ConvLSTM1D (TensorFlow.js 4.22 has none): an LSTM whose input and recurrent transforms
 * are 1-D convolutions, over sequences of rows `[time, width, channels]`, so its state is a row
 * `[outWidth, filters]`. Keras' equations, gates i, f, c, o (i = σ(conv(x, Wi) + conv(h, Ui) + bi),
 * f, c̃ = tanh(…), o; c = f·c + i·c̃; h = o·tanh(c)) and weights: `kernel [k, channels, 4·filters]`,
 * `recurrent_kernel [k, filters, 4·filters]`, `bias [4·filters]`. The input convolution takes
 * `strides`, `padding` and `dilationRate`; the recurrent one is 'same' with stride 1. The defaults
 * are Keras 3's: `recurrentActivation: 'sigmoid'`, `kernelInitializer: 'glorotUniform'` (where
 * ConvLSTM2D keeps tfjs' hardSigmoid and glorotNormal).
 *
 * It is ConvLSTM2D over frames of height 1 with a `[1, k]` window, whose kernels have the same memory
 * layout: it takes the rest of ConvLSTM2D's options and behaviour (returnSequences, returnState and
 * initialState, goBackwards, stateful, dropout and recurrentDropout, a Masking mask, Bidirectional,
 * `dataFormat: 'channelsFirst'` for `[time, channels, width]`). As DepthwiseConv1D, its `kernelSize`,
 * `strides` and `dilationRate` properties are that 2-D window; its config holds the 1-D sizes.
 *
 * @example
 * ```ts
 * // 10 steps of a 32-sample signal with 2 channels → the last state, a row of 32 × 8.
 * const x = km.input({ shape: [10, 32, 2] });
 * km.layers.convLstm1d({ filters: 8, kernelSize: 3, padding: 'same' }).apply(x).shape; // [32, 8]
 * ```
 */
export class ConvLSTM1D extends ConvLSTM2D {
  override readonly className: string = 'ConvLSTM1D';

  constructor(args: ConvLSTM1DArgs) {
    super({
      ...args,
      ...windowAsFrameRow(args),
      recurrentActivation: args.recurrentActivation === undefined ? 'sigmoid' : args.recurrentActivation,
      kernelInitializer: args.kernelInitializer ?? 'glorotUniform',
    }, 'ConvLSTM1D');
  }

  protected override sequenceOf(shape: Shape): [number, number] {
    if (shape.length !== 3) {
      const first = this.dataFormat === 'channelsFirst';
      const row = first ? 'channels, width' : 'width, channels';
      const fix = shape.length === 2
        ? `Add a channels axis, e.g. km.layers.reshape({ targetShape: [${(first ? [shape[0], 1, shape[1]] : [...shape, 1]).join(', ')}] }).`
        : shape.length === 4 ? 'For sequences of images use km.layers.convLstm2d.' : `Reshape each sample to [time, ${row}].`;
      throw new Error(`${this.where} expects sequences of rows of shape (None, time, ${row}) (dataFormat '${this.dataFormat}'), but received inputs of shape ${formatShape(shape)}. ${fix}`);
    }
    return [shape[0], shape[1] * shape[2]];
  }

  protected override frameOf(sequence: Shape): [number, number, number] {
    const [width, channels] = channelsLastShape(this.dataFormat, sequence.slice(1));
    const window = (this.kernelSize[1] - 1) * this.dilationRate[1] + 1;
    if (this.padding === 'valid' && width < window) {
      throw new Error(`Layer '${this.name}': its input rows have width ${width}, less than its window of ${window} with 'valid' padding, so the output would be empty. ` +
        `Use padding: 'same', a smaller kernelSize or dilationRate, or wider rows.`);
    }
    return [1, width, channels];
  }

  protected override frameShape([, cols]: readonly number[], channels: number): Shape {
    return shapeInFormat(this.dataFormat, [cols, channels]);
  }

  // Keras' [k, channels, 4·filters] and [k, filters, 4·filters]: ConvLSTM2D's [1, k, ...] without the height axis.
  protected override kernelShapes(input: Shape): [Shape, Shape] {
    const [kernel, recurrent] = super.kernelShapes(input);
    return [kernel.slice(1), recurrent.slice(1)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), ...imageRowWindowConfig(this) };
  }
}

registerBuiltinLayer('ConvLSTM1D', (config) => new ConvLSTM1D(config as unknown as ConvLSTM1DArgs));

/**
 * Keras 3's convolutional LSTM over sequences of rows `[time, width, channels]` (TensorFlow.js has
 * none): the last state `[outWidth, filters]`, or every step's with `returnSequences: true`. With
 * `returnState: true` its `apply` gives `[output, h, c]`, each state a row `[outWidth, filters]`;
 * `apply(x, { initialState: [h, c] })` starts from given states. The kernels are Keras'
 * `[kernelSize, channels, 4·filters]` and `[kernelSize, filters, 4·filters]`; the defaults Keras 3's
 * (sigmoid gates, glorotUniform kernel). With `dataFormat: 'channelsFirst'` the rows are
 * `[channels, width]` and the output and states `[filters, outWidth]`.
 *
 * @example
 * ```ts
 * // Which way a bump travels along a 16-sample line over 8 steps.
 * const model = km.sequential([
 *   km.layers.convLstm1d({ filters: 6, kernelSize: 3, padding: 'same', inputShape: [8, 16, 1] }),
 *   km.layers.globalMaxPooling1d(),
 *   km.layers.dense({ units: 2, activation: 'softmax' }),
 * ]);
 * ```
 */
export function convLstm1d(args: ConvLSTM1DArgs & { returnState: true }): ReturnsList<ConvLSTM1D, ['output', 'h', 'c']>;
export function convLstm1d(args: ConvLSTM1DArgs & { returnState?: false }): ConvLSTM1D;
export function convLstm1d(args: ConvLSTM1DArgs): MayReturnList<ConvLSTM1D>;
export function convLstm1d(args: ConvLSTM1DArgs): ConvLSTM1D {
  checkRequiredOptions(args, CONV_LSTM1D_OPTIONS, 'km.layers.convLstm1d');
  return new ConvLSTM1D(args);
}
