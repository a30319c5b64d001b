import type { Backend, BufferId, WindowGeometry } from '../backend/backend.js';
import type { Tensor } from '../tensor.js';
import { channelsLastShape, shapeInFormat } from './channel_axis.js';
import { ChannelsFirstRecurrence } from './conv_lstm2d_channels_first.js';
import type { BackwardContext, ForwardContext, Layer, Shape } from './layer.js';
import { formatShape, singleInput } from './layer_shapes.js';
import { LSTM, type LSTMArgs } from './lstm.js';
import type { RecurrentStep, RecurrentStepGrad } from './recurrent_step.js';
import { filtersOf, type DataFormat, type PaddingMode, type SampleGeometry } from './window.js';

/**
 * The convolutional LSTM of any rank (Keras' ConvLSTM base): an LSTM whose input and recurrent
 * transforms are convolutions over each step's frame, so its state is a frame of `filters` channels.
 * Subclasses (ConvLSTM2D, ConvLSTM3D) validate their window, check the input's rank and say how a
 * channels-last frame maps to a window geometry; everything here reads only that geometry, whose
 * depth axis is absent for images.
 *
 * It runs on the shared recurrence driver: each step's convolutions are im2col and a GEMM on the
 * backend, and the LSTM cell sees one row per output position. A channelsFirst layer transposes its
 * inputs channels-last for it and its outputs back (conv_lstm2d_channels_first.ts).
 */
export abstract class ConvLSTM extends LSTM {
  /** Channels of the hidden state and output. */
  readonly filters: number;
  /** The window of both convolutions, one size per spatial axis. */
  abstract readonly kernelSize: readonly number[];
  /** Steps and tap spacing of the input convolution; the recurrent one steps by 1 with no dilation. */
  abstract readonly strides: readonly number[];
  abstract readonly dilationRate: readonly number[];
  /** Padding of the input convolution; the recurrent one is always 'same'. */
  abstract readonly padding: PaddingMode;
  abstract readonly dataFormat: DataFormat;
  /** The input convolution over one frame, and the recurrent one over one state frame; set by build. */
  #input: SampleGeometry | null = null;
  #state: SampleGeometry | null = null;
  /** Mask values per step: the input frame's sizes but the last (Masking's mask drops that axis); set by build. */
  #maskPositions = 0;
  /** With channelsFirst, the transposes around the channels-last recurrence; set by build. */
  #channelsFirst: ChannelsFirstRecurrence | null = null;

  /** `displayName` names the object in error messages (the class, or the cell that builds the layer). */
  constructor(args: Omit<LSTMArgs, 'units'> & { filters: number }, displayName: string) {
    const filters = filtersOf(args.filters, `${displayName} layer${args.name ? ` '${args.name}'` : ''}`);
    super({ ...args, units: filters }, displayName);
    this.filters = filters;
  }

  /**
   * The window of this layer's kernel over a channels-last frame (`[...sizes, channels]`) with the
   * given steps, dilation and padding: the input convolution's, or the recurrent one's over a state.
   */
  protected abstract windowOver(frame: readonly number[], strides: readonly number[], dilation: readonly number[], padding: PaddingMode): SampleGeometry;

  /** One frame of a checked input sequence, channels-last (`[...sizes, channels]`), as the convolutions run over it. */
  protected frameOf(sequence: Shape): readonly number[] {
    return channelsLastShape(this.dataFormat, sequence.slice(1));
  }

  /** A state or output frame of the given spatial sizes and channels, in the layer's data format. */
  protected frameShape(sizes: readonly number[], channels: number): Shape {
    return shapeInFormat(this.dataFormat, [...sizes, channels]);
  }

  /** Every frame through the input convolution's window. */
  #inputGeometry(shape: Shape): SampleGeometry {
    this.sequenceOf(shape);
    return this.windowOver(this.frameOf(shape), this.strides, this.dilationRate, this.padding);
  }

  override computeOutputShape(inputShapes: readonly Shape[]): Shape {
    // The base checks the sequence, and any initial states (the inputs after it) against the state's frame.
    super.computeOutputShape(inputShapes);
    const shape = inputShapes[0];
    const frame = this.stateShapeOf(shape);
    return this.returnSequences ? [shape[0], ...frame] : frame;
  }

  /** The state (h and c) is a frame of `filters` channels the input convolution's output size, as the output's last step. */
  protected override stateShapeOf(sequence: Shape): Shape {
    return this.frameShape(outputSizes(this.#inputGeometry(sequence)), this.filters);
  }

  protected override kernelShapes(input: Shape): [Shape, Shape] {
    const channels = this.#inputGeometry(input).channels;
    return [[...this.kernelSize, channels, 4 * this.filters], [...this.kernelSize, this.filters, 4 * this.filters]];
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const sequence = singleInput(this, inputShapes);
    const g = this.#inputGeometry(sequence);
    this.#input = g;
    const ones = this.kernelSize.map(() => 1);
    this.#state = this.windowOver([...outputSizes(g), this.filters], ones, ones, 'same');
    // Masking's mask drops the input's last axis: one value per position, or per (channel, …) with channelsFirst.
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
   * The kept states of a stateful layer (see Recurrent's), each `[batchSize, ...sizes, filters]`, or
   * `[batchSize, filters, ...sizes]` with channelsFirst. The recurrence keeps them channels-last; a
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
    return outputSizes(this.#input!).reduce((a, b) => a * b, 1);
  }

  get #taps(): number {
    return this.kernelSize.reduce((a, b) => a * b, 1);
  }

  get #inputPatch(): number {
    return this.#taps * this.#input!.channels;
  }

  get #statePatch(): number {
    return this.#taps * this.filters;
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

  // `samples` frames (steps·batch) at once: im2col then one GEMM with the bias, as Conv2D and Conv3D run.
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

  // The driver reads the mask Masking makes over the input: the input's shape without its last axis.
  override checkInputMask(mask: Shape, input: Shape, source: Layer): void {
    const positions = input.slice(0, -1);
    if (mask.length !== positions.length || mask.some((d, i) => d !== positions[i])) {
      throw new Error(`${this.where} reads one mask value per pixel of its input frames, a mask of shape ${formatShape(positions)}, but its input carries the mask of layer '${source.name}' (${source.className}), of shape ${formatShape(mask)}: a layer between them changes the frames' size. ` +
        `Put the Masking layer right before the ${this.className}, or keep each frame's size between them (padding 'same', strides 1).`);
    }
  }

  // One mask value per step: a step is masked when its whole frame is (Masking over [steps, ..., channels]),
  // and the layer passes no mask on, its output's positions being not its input's.
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

/** The output sizes of a window, depth first when it has one. */
function outputSizes(g: SampleGeometry): number[] {
  return g.outD === undefined ? [g.outH, g.outW] : [g.outD, g.outH, g.outW];
}
