import type { Backend, BufferId, WindowGeometry } from '../backend/backend.js';
import type { Tensor } from '../tensor.js';
import { channelsLastShape, shapeInFormat } from './channel_axis.js';
import { ChannelsFirstRecurrence } from './conv_lstm2d_channels_first.js';
import type { BackwardContext, ForwardContext, Layer, Shape } from './layer.js';
import { formatShape, singleInput } from './layer_shapes.js';
import { LSTM, type LSTMArgs } from './lstm.js';
import type { RecurrentStep, RecurrentStepGrad } from './recurrent_step.js';
import { registerLayer } from './registry.js';
import { convWindowOf, filtersOf, sampleGeometry, type DataFormat, type PaddingMode, type SampleGeometry } from './window.js';

/** Options of {@link ConvLSTM2D}: LSTM's (but `units`) and Conv2D's window, with TensorFlow.js' defaults. */
export interface ConvLSTM2DArgs extends Omit<LSTMArgs, 'units'> {
  /** Channels of the hidden state and output (positive integer). */
  filters: number;
  /** Window height and width of both convolutions (one number for a square window). */
  kernelSize: number | [number, number];
  /** Step between windows of the input convolution (default 1); the recurrent one always steps by 1. */
  strides?: number | [number, number];
  /** Padding of the input convolution: 'valid' (default) or 'same'; the recurrent one is always 'same'. */
  padding?: PaddingMode;
  /** Spacing between the input kernel's taps (default 1); strides must be 1 when it is above 1. */
  dilationRate?: number | [number, number];
  /**
   * Where each frame keeps its channels: 'channelsLast' (default; input `[time, rows, cols, channels]`,
   * states `[rows, cols, filters]`) or 'channelsFirst' (input `[time, channels, rows, cols]`, states
   * `[filters, rows, cols]`). The weights are the same in both.
   */
  dataFormat?: DataFormat;
}

/**
 * Convolutional LSTM (Shi et al., 2015) over sequences of images `[time, rows, cols, channels]`:
 * an LSTM whose input and recurrent transforms are 2-D convolutions, so its state is an image
 * `[outRows, outCols, filters]`. Keras' equations and TensorFlow.js' weights: `kernel [kH, kW,
 * channels, 4·filters]`, `recurrent_kernel [kH, kW, filters, 4·filters]`, `bias [4·filters]`, gates
 * i, f, c, o. The input convolution takes `strides`, `padding` and `dilationRate`; the recurrent one
 * is 'same' with stride 1. The output is the last state `[outRows, outCols, filters]`, or every
 * step's with `returnSequences: true`. As the vector layers, it takes `returnState` (`[output, h, c]`,
 * each state an image), `apply(x, { initialState: [h, c] })`, `stateful` with `resetStates()`, and a
 * mask from Masking over `[time, rows, cols, channels]`: a frame whose every pixel is masked keeps the
 * previous states (one mask value per step, as Keras reads it); the layer passes no mask on.
 * With `dataFormat: 'channelsFirst'` the frames are `[channels, rows, cols]` and the output and
 * states `[filters, outRows, outCols]`, as in Keras and TensorFlow.js.
 *
 * It runs on the shared recurrence driver: each step's convolutions are im2col and a GEMM on the
 * backend, and the LSTM cell sees one row per output pixel. A channelsFirst layer transposes its
 * inputs channels-last for it and its outputs back (conv_lstm2d_channels_first.ts).
 *
 * @example
 * ```ts
 * // Which way a dot moves across 6 frames of 12×12 pixels.
 * const model = km.sequential([
 *   km.layers.convLstm2d({ filters: 8, kernelSize: 3, padding: 'same', inputShape: [6, 12, 12, 1] }),
 *   km.layers.globalAveragePooling2d(),
 *   km.layers.dense({ units: 4, activation: 'softmax' }),
 * ]);
 * // The same over channels-first frames [time, channels, rows, cols].
 * km.layers.convLstm2d({ filters: 8, kernelSize: 3, padding: 'same', dataFormat: 'channelsFirst', inputShape: [6, 1, 12, 12] });
 * ```
 */
export class ConvLSTM2D extends LSTM {
  override readonly className: string = 'ConvLSTM2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: PaddingMode;
  readonly dilationRate: [number, number];
  readonly dataFormat: DataFormat;
  /** The input convolution over one frame, and the recurrent one over one state image; set by build. */
  #input: SampleGeometry | null = null;
  #state: SampleGeometry | null = null;
  /** Mask values per step: the input frame's sizes but the last (Masking's mask drops that axis); set by build. */
  #maskPositions = 0;
  /** With channelsFirst, the transposes around the channels-last recurrence; set by build. */
  #channelsFirst: ChannelsFirstRecurrence | null = null;

  /** `displayName` names the object in error messages: 'ConvLSTM2DCell' for the layer a ConvLSTM2DCell builds. */
  constructor(args: ConvLSTM2DArgs, displayName = 'ConvLSTM2D') {
    const filters = filtersOf(args.filters, `${displayName} layer${args.name ? ` '${args.name}'` : ''}`);
    super({ ...args, units: filters }, displayName);
    this.filters = filters;
    ({ kernelSize: this.kernelSize, strides: this.strides, padding: this.padding, dilationRate: this.dilationRate, dataFormat: this.dataFormat } = convWindowOf(args, displayName, this.name, true));
  }

  /** Every frame, channels-last [rows, cols, channels], through the input convolution's window. */
  #inputGeometry(shape: Shape): SampleGeometry {
    this.sequenceOf(shape);
    return sampleGeometry(this.frameOf(shape), this.kernelSize, this.strides, this.dilationRate, this.padding, this.name);
  }

  /** One frame of a checked input sequence as the channels-last image the convolutions run over (ConvLSTM1D's: a row). */
  protected frameOf(sequence: Shape): [number, number, number] {
    return channelsLastShape(this.dataFormat, sequence.slice(1)) as [number, number, number];
  }

  /** A state or output frame of `rows`×`cols` pixels of `channels`, in the layer's data format (ConvLSTM1D's: `[cols, channels]`). */
  protected frameShape(rows: number, cols: number, channels: number): Shape {
    return shapeInFormat(this.dataFormat, [rows, cols, channels]);
  }

  protected override sequenceOf(shape: Shape): [number, number] {
    if (shape.length !== 4) {
      const first = this.dataFormat === 'channelsFirst';
      const frame = first ? 'channels, rows, cols' : 'rows, cols, channels';
      const withChannel = first ? [shape[0], 1, ...shape.slice(1)] : [...shape, 1];
      throw new Error(`${this.where} expects sequences of images of shape (None, time, ${frame}) (dataFormat '${this.dataFormat}'), but received inputs of shape ${formatShape(shape)}. ` +
        (shape.length === 3 ? `Add a channels axis, e.g. km.layers.reshape({ targetShape: [${withChannel.join(', ')}] }).` : `Reshape each sample to [time, ${frame}].`));
    }
    return [shape[0], shape[1] * shape[2] * shape[3]];
  }

  override computeOutputShape(inputShapes: readonly Shape[]): Shape {
    // The base checks the sequence, and any initial states (the inputs after it) against the state's image.
    super.computeOutputShape(inputShapes);
    const shape = inputShapes[0];
    const image = this.stateShapeOf(shape);
    return this.returnSequences ? [shape[0], ...image] : image;
  }

  /** The state (h and c) is an image `[outRows, outCols, filters]` (channelsFirst: `[filters, outRows, outCols]`), as the output's last step. */
  protected override stateShapeOf(sequence: Shape): Shape {
    const g = this.#inputGeometry(sequence);
    return this.frameShape(g.outH, g.outW, this.filters);
  }

  protected override kernelShapes(input: Shape): [Shape, Shape] {
    const channels = this.#inputGeometry(input).channels;
    return [[...this.kernelSize, channels, 4 * this.filters], [...this.kernelSize, this.filters, 4 * this.filters]];
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const sequence = singleInput(this, inputShapes);
    const g = this.#inputGeometry(sequence);
    this.#input = g;
    this.#state = sampleGeometry([g.outH, g.outW, this.filters], this.kernelSize, [1, 1], [1, 1], 'same', this.name);
    // Masking's mask drops the input's last axis: one value per pixel, or per (channel, row) with channelsFirst.
    this.#maskPositions = sequence.slice(1, -1).reduce((a, b) => a * b, 1);
    super.build(inputShapes);
    this.#channelsFirst = this.dataFormat === 'channelsFirst'
      ? new ChannelsFirstRecurrence(sequence, this.computeOutputShape([sequence]), this.stateShapeOf(sequence), this.stateCountKeras, this.returnState, this.where)
      : null;
  }

  protected override get maskPositions(): number {
    return this.#maskPositions;
  }

  /** The recurrence's workspace, then with channelsFirst the channels-last copies of the inputs and outputs. */
  override workspaceSize(batch: number): number {
    return super.workspaceSize(batch) + (this.#channelsFirst?.scratchSize(batch) ?? 0);
  }

  override forward(ctx: ForwardContext): void {
    if (!this.#channelsFirst) return super.forward(ctx);
    this.#channelsFirst.forward(ctx, super.workspaceSize(ctx.batch), (c) => super.forward(c));
  }

  override backward(ctx: BackwardContext): void {
    if (!this.#channelsFirst) return super.backward(ctx);
    this.#channelsFirst.backward(ctx, super.workspaceSize(ctx.batch), (c) => super.backward(c));
  }

  /**
   * The kept states of a stateful layer (see Recurrent's), each `[batchSize, rows, cols, filters]`, or
   * `[batchSize, filters, rows, cols]` with channelsFirst. The recurrence keeps them channels-last; a
   * channelsFirst layer reads and sets them in its own order.
   */
  override get states(): Tensor<'float32'>[] | null {
    const kept = super.states;
    return kept && this.#channelsFirst ? kept.map((state) => this.#channelsFirst!.keptStateInUserOrder(state)) : kept;
  }

  /**
   * Sets a stateful layer's kept states to zero, or to `states` ([h, c], each shaped as {@link states} gives them).
   * @example `layer.resetStates([h, c])` with `h` and `c` from a run with `returnState: true`
   */
  override resetStates(states?: Tensor | readonly Tensor[]): void {
    if (states === undefined || !this.#channelsFirst) return super.resetStates(states);
    super.resetStates((Array.isArray(states) ? states : [states as Tensor]).map((state) => this.#channelsFirst!.userStateInKeptOrder(state)));
  }

  protected override get positions(): number {
    return this.#input!.outH * this.#input!.outW;
  }

  get #inputPatch(): number {
    return this.kernelSize[0] * this.kernelSize[1] * this.#input!.channels;
  }

  get #statePatch(): number {
    return this.kernelSize[0] * this.kernelSize[1] * this.filters;
  }

  /** Scratch: every step's input columns, one step's recurrent columns, and one step's hPrev gradient. */
  #scratch(backend: Backend, scratch: BufferId, batch: number) {
    const rows = batch * this.positions;
    const sizes = [this.steps * rows * this.#inputPatch, rows * this.#statePatch, rows * this.filters];
    const [inputColumns, stateColumns, hPrevGrad] = sizes.map((size, i) => backend.view(scratch, sizes.slice(0, i).reduce((a, b) => a + b, 0), size));
    return { inputColumns, stateColumns, hPrevGrad };
  }

  protected override cellScratchSize(batch: number): number {
    const rows = batch * this.positions;
    return rows * (this.steps * this.#inputPatch + this.#statePatch + this.filters);
  }

  #geometry(g: SampleGeometry, batch: number): WindowGeometry {
    return { ...g, batch };
  }

  // `samples` frames (steps·batch) at once: im2col then one GEMM with the bias, as Conv2D runs.
  protected override inputProduct(backend: Backend, xs: BufferId, kernel: BufferId, inputBias: BufferId, z: BufferId, samples: number, scratch: BufferId): void {
    const { inputColumns } = this.#scratch(backend, scratch, samples / this.steps);
    backend.im2col(xs, inputColumns, this.#geometry(this.#input!, samples));
    backend.matMulBiasActivation(inputColumns, kernel, inputBias, z, samples * this.positions, 4 * this.filters, this.#inputPatch, 'linear');
  }

  protected override inputProductGrad(backend: Backend, _xs: BufferId, dz: BufferId, kernel: BufferId, dKernel: BufferId, dxs: BufferId, samples: number, scratch: BufferId): void {
    const { inputColumns } = this.#scratch(backend, scratch, samples / this.steps);
    const [rows, width, patch] = [samples * this.positions, 4 * this.filters, this.#inputPatch];
    if (dKernel) backend.matMul(inputColumns, dz, dKernel, patch, width, rows, true, false, false);
    if (!dxs) return;
    // The columns are no longer needed: they take their own gradient, then col2im sums it onto the frames.
    backend.matMul(dz, kernel, inputColumns, rows, patch, width, false, true, false);
    backend.col2im(inputColumns, dxs, this.#geometry(this.#input!, samples));
  }

  protected override stepForward(backend: Backend, recurrentKernel: BufferId, step: RecurrentStep): void {
    const { rows, z, hPrevRecurrent, h, state: [c, ac], statePrev: [cPrev] } = step;
    if (hPrevRecurrent) {
      const batch = rows / this.positions;
      const { stateColumns } = this.#scratch(backend, step.scratch, batch);
      backend.im2col(hPrevRecurrent, stateColumns, this.#geometry(this.#state!, batch));
      backend.matMul(stateColumns, recurrentKernel, z, rows, 4 * this.filters, this.#statePatch, false, false, true);
    }
    backend.lstmCellForward(z, cPrev, c, ac, h, rows, this.filters, this.activation, this.recurrentActivation);
  }

  protected override stepBackward(backend: Backend, recurrentKernel: BufferId, step: RecurrentStepGrad): void {
    const { rows, z, dh, dhPrevRecurrent, state: [, ac], statePrev: [cPrev], carry: [dc] } = step;
    backend.lstmCellBackward(z, cPrev, ac, dh, dc, rows, this.filters, this.activation, this.recurrentActivation);
    if (!dhPrevRecurrent) return;
    const batch = rows / this.positions;
    const { stateColumns, hPrevGrad } = this.#scratch(backend, step.scratch, batch);
    backend.matMul(z, recurrentKernel, stateColumns, rows, this.#statePatch, 4 * this.filters, false, true, false);
    backend.col2im(stateColumns, hPrevGrad, this.#geometry(this.#state!, batch));
    backend.add(dhPrevRecurrent, hPrevGrad, dhPrevRecurrent, rows * this.filters);
  }

  // dU = Σ im2col(h₍ₜ₋₁₎)ᵀ·dz₍ₜ₎, one GEMM per step on the recurrent columns; the first step's hPrev is h0 (0: zeros, adding nothing).
  protected override recurrentKernelGrad(backend: Backend, h: BufferId, dz: BufferId, dU: BufferId, batch: number, scratch: BufferId, _dBias: BufferId, h0: BufferId): void {
    const [rows, width, patch] = [batch * this.positions, 4 * this.filters, this.#statePatch];
    const { stateColumns } = this.#scratch(backend, scratch, batch);
    let accumulate = false;
    for (let s = h0 ? 0 : 1; s < this.steps; s++) {
      const hPrev = s === 0 ? h0 : backend.view(h, (s - 1) * rows * this.filters, rows * this.filters);
      backend.im2col(hPrev, stateColumns, this.#geometry(this.#state!, batch));
      backend.matMul(stateColumns, backend.view(dz, s * rows * width, rows * width), dU, patch, width, rows, true, false, accumulate);
      accumulate = true;
    }
    if (!accumulate) backend.fill(dU, patch * width, 0);
  }

  // The driver reads the mask Masking makes over the input, [steps, rows, cols] ([steps, channels, rows] with channelsFirst).
  override checkInputMask(mask: Shape, input: Shape, source: Layer): void {
    const pixels = input.slice(0, -1);
    if (mask.length !== pixels.length || mask.some((d, i) => d !== pixels[i])) {
      throw new Error(`${this.where} reads one mask value per pixel of its input frames, a mask of shape ${formatShape(pixels)}, but its input carries the mask of layer '${source.name}' (${source.className}), of shape ${formatShape(mask)}: a layer between them changes the frames' size. ` +
        `Put the Masking layer right before the ${this.className}, or keep each frame's size between them (padding 'same', strides 1).`);
    }
  }

  // One mask value per step: a step is masked when its whole frame is (Masking over [steps, rows, cols, channels]),
  // and the layer passes no mask on, its output's pixels being not its input's.
  override get passesMask(): boolean {
    return false;
  }

  override getConfig(): Record<string, unknown> {
    const { units: _, ...config } = super.getConfig();
    return {
      ...config, filters: this.filters, kernelSize: this.kernelSize, strides: this.strides, padding: this.padding,
      dataFormat: this.dataFormat, dilationRate: this.dilationRate,
    };
  }
}

registerLayer('ConvLSTM2D', (config) => new ConvLSTM2D(config as unknown as ConvLSTM2DArgs));
