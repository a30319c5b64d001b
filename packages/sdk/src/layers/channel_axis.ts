import type { Backend, BufferId } from '../backend/backend.js';
import { isRowwise, type LayerActivation } from './activations.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import { formatShape } from './layer_shapes.js';
import type { DataFormat } from './window.js';

/**
 * A per-channel layer's channel axis as given, before the input's rank is known: an integer, or a
 * one-element list as tf.keras 2 saves BatchNormalization's. Returns the integer.
 */
export function checkChannelAxisOption(axis: unknown, where: string): number {
  const given = Array.isArray(axis) && axis.length === 1 ? axis[0] : (axis ?? -1);
  if (!Number.isInteger(given)) {
    const several = Array.isArray(axis) && axis.length > 1 ? ' kerasm normalises over one channel axis; several axes (one statistic per combination) are not supported.' : '';
    throw new Error(`${where}: axis must be an integer, the channel axis counting the batch as 0 (e.g. -1 for channels-last, 1 for channels-first). Received: axis=${JSON.stringify(axis)}.${several}`);
  }
  return given as number;
}

/** A sample shape in `format` as the channels-last kernels see it: `[c, ...]` becomes `[..., c]`. */
export function channelsLastShape(format: DataFormat, shape: Shape): Shape {
  return format === 'channelsFirst' ? [...shape.slice(1), shape[0]] : shape;
}

/** A channels-last sample shape in `format`: `[..., c]` becomes `[c, ...]` for channelsFirst. */
export function shapeInFormat(format: DataFormat, shape: Shape): Shape {
  return format === 'channelsFirst' ? [shape[shape.length - 1], ...shape.slice(0, -1)] : shape;
}

/**
 * Refuses softmax-like activations on a channels-first convolution's output: Keras applies them
 * along the last axis, a spatial one there, where the kernels here would take the channels.
 */
export function checkChannelsFirstActivation(format: DataFormat, activation: LayerActivation, where: string): void {
  if (format === 'channelsFirst' && isRowwise(activation)) {
    throw new Error(`${where}: activation '${activation}' on a channelsFirst output would run over its last axis (a spatial one), as in Keras, which is not what it is for. Use no activation here and km.layers.softmax({ axis: 1 }) after the layer for one over the channels.`);
  }
}

/** A 1-D layer's config as TensorFlow.js writes it: without dataFormat, unless it is channelsFirst. */
export function withoutDefaultDataFormat(config: Record<string, unknown>): Record<string, unknown> {
  const { dataFormat, ...rest } = config;
  return dataFormat === 'channelsFirst' ? config : rest;
}

/** How a layer's values reach the channels-last order its kernels read, and back (see ChannelsLastBody). */
export interface ChannelOrder {
  /** Whether the values need transposing at all. */
  readonly transposed: boolean;
  /** Values per sample. */
  readonly size: number;
  /** Values per channels-last row: the channel axes' sizes multiplied. */
  readonly channels: number;
  /** `x` of `batch` samples to channels-last order in `y`. */
  toChannelsLast(backend: Backend, x: BufferId, y: BufferId, batch: number): void;
  /** Back from channels-last order. */
  fromChannelsLast(backend: Backend, x: BufferId, y: BufferId, batch: number): void;
}

/**
 * A layer's input or output with its channels on one axis (or a run of `span` adjacent axes taken
 * as one), seen as `[outer, channels, inner]` per sample: channels-last when `inner` is 1, and
 * otherwise transposed to `[outer, inner, channels]` for the kernels, which keeps each position's
 * channels together.
 */
export class ChannelLayout implements ChannelOrder {
  /** The positive channel axis (the first of the run), counting the batch as 0. */
  readonly axis: number;
  readonly outer: number;
  readonly channels: number;
  readonly inner: number;

  constructor(axis: number, shape: Shape, where: string, span = 1) {
    const rank = shape.length + 1;
    const resolved = axis < 0 ? axis + rank : axis;
    if (resolved < 1 || resolved >= rank) {
      throw new Error(
        `${where}: axis=${axis} is not a channel axis of inputs of shape ${formatShape(shape)} (axes 1 to ${rank - 1}, or -1 to -${rank - 1}; axis 0 is the batch). ` +
          `Use -1 for channels-last inputs, 1 for channels-first.`,
      );
    }
    this.axis = resolved;
    this.outer = shape.slice(0, resolved - 1).reduce((a, b) => a * b, 1);
    this.channels = shape.slice(resolved - 1, resolved - 1 + span).reduce((a, b) => a * b, 1);
    this.inner = shape.slice(resolved - 1 + span).reduce((a, b) => a * b, 1);
  }

  /** Whether the channels are not already last, so the kernels need the batch transposed. */
  get transposed(): boolean {
    return this.inner > 1;
  }

  /** Values per sample. */
  get size(): number {
    return this.outer * this.channels * this.inner;
  }

  /** `x` of `batch` samples to channels-last order in `y`. */
  toChannelsLast(backend: Backend, x: BufferId, y: BufferId, batch: number): void {
    backend.transpose(x, y, [batch * this.outer, this.channels, this.inner], [0, 2, 1]);
  }

  /** Back from channels-last order. */
  fromChannelsLast(backend: Backend, x: BufferId, y: BufferId, batch: number): void {
    backend.transpose(x, y, [batch * this.outer, this.inner, this.channels], [0, 2, 1]);
  }
}

/** One input or output of a body: its layout, and where its channels-last copy (the copy's gradient follows it) starts in the scratch, in floats per sample. */
interface Port<Layout extends ChannelOrder> {
  readonly layout: Layout;
  readonly at: number;
}

/**
 * Runs a layer's body, written for channels-last buffers, on a layer whose inputs or outputs keep
 * their channels on another axis: each one that is not channels-last is transposed into scratch
 * after the body's own workspace, and the outputs back; backward does the same with the gradients.
 * The transposed inputs and outputs stay there from forward to backward, since a body's gradient
 * may read them. A layer of several inputs or outputs (ConvLSTM2D with states) gives one layout per
 * port, in order; a call may bring fewer (an optional input not given), and a buffer beyond the
 * layouts, or a gradient that is 0, goes to the body as it is.
 */
export class ChannelsLastBody<Layout extends ChannelOrder = ChannelOrder> {
  readonly inputs: readonly Layout[];
  readonly outputs: readonly Layout[];
  readonly #inputPorts: Port<Layout>[];
  readonly #outputPorts: Port<Layout>[];
  /** Floats of scratch per sample. */
  readonly #floats: number;

  /** `inputs` and `outputs`: a layout each for a layer of one input and one output, else a list of them. */
  constructor(inputs: Layout | readonly Layout[], outputs: Layout | readonly Layout[]) {
    this.inputs = ([] as Layout[]).concat(inputs);
    this.outputs = ([] as Layout[]).concat(outputs);
    let floats = 0;
    const port = (layout: Layout): Port<Layout> => {
      const at = floats;
      if (layout.transposed) floats += 2 * layout.size;
      return { layout, at };
    };
    this.#inputPorts = this.inputs.map(port);
    this.#outputPorts = this.outputs.map(port);
    this.#floats = floats;
  }

  /** The body of an image layer with `format`, between sample shapes `input` and `output` in that format. */
  static of(format: DataFormat, input: Shape, output: Shape, where: string): ChannelsLastBody<ChannelLayout> {
    const axis = format === 'channelsFirst' ? 1 : -1;
    return new ChannelsLastBody(new ChannelLayout(axis, input, where), new ChannelLayout(axis, output, where));
  }

  /** The first input's layout. */
  get input(): Layout {
    return this.inputs[0];
  }

  /** The first output's layout. */
  get output(): Layout {
    return this.outputs[0];
  }

  /** Workspace floats after the body's own: each transposed input and output, and its gradient. */
  scratchSize(batch: number): number {
    return batch * this.#floats;
  }

  /** The body on channels-last views of the inputs and outputs; `offset` is where the scratch starts in the workspace. */
  forward(ctx: ForwardContext, offset: number, body: (ctx: ForwardContext) => void): void {
    if (this.#floats === 0) return body(ctx);
    const { backend, batch } = ctx;
    const inputs = ctx.inputs.map((x, k) => this.#toChannelsLast(ctx, offset, this.#inputPorts[k], x)) as unknown as ForwardContext['inputs'];
    const given = outputsOf(ctx);
    const outputs = given.map((y, k) => this.#copy(ctx, offset, this.#outputPorts[k], 0) || y);
    body({ ...ctx, inputs, output: outputs[0], outputs, workspace: this.#bodyWorkspace(ctx, offset) });
    given.forEach((y, k) => outputs[k] !== y && this.outputs[k].fromChannelsLast(backend, outputs[k], y, batch));
  }

  /** The body's gradient on channels-last views; an input gradient stays 0 where the layer's is. */
  backward(ctx: BackwardContext, offset: number, body: (ctx: BackwardContext) => void): void {
    if (this.#floats === 0) return body(ctx);
    const { backend, batch } = ctx;
    const inputs = ctx.inputs.map((x, k) => this.#copy(ctx, offset, this.#inputPorts[k], 0) || x) as unknown as ForwardContext['inputs'];
    const outputs = outputsOf(ctx).map((y, k) => this.#copy(ctx, offset, this.#outputPorts[k], 0) || y);
    const outputGrads = outputGradsOf(ctx).map((dy, k) => dy && this.#toChannelsLast(ctx, offset, this.#outputPorts[k], dy, 1));
    const inputGrads = ctx.inputGrads.map((dx, k) => dx && (this.#copy(ctx, offset, this.#inputPorts[k], 1) || dx)) as unknown as BackwardContext['inputGrads'];
    body({ ...ctx, inputs, output: outputs[0], outputs, outputGrad: outputGrads[0], outputGrads, inputGrads, workspace: this.#bodyWorkspace(ctx, offset) });
    ctx.inputGrads.forEach((dx, k) => dx && inputGrads[k] !== dx && this.inputs[k].fromChannelsLast(backend, inputGrads[k], dx, batch));
  }

  /** The body's own part of the workspace: a body may pass its workspace whole to a kernel as one buffer. */
  #bodyWorkspace({ backend, workspace }: ForwardContext, floats: number): BufferId {
    return floats > 0 ? backend.view(workspace, 0, floats) : 0;
  }

  /** `values` of a port in channels-last order: its copy (`which` 0) or the copy's gradient (1), or `values` where the port needs no transpose. */
  #toChannelsLast(ctx: ForwardContext, offset: number, port: Port<Layout> | undefined, values: BufferId, which: 0 | 1 = 0): BufferId {
    const copy = this.#copy(ctx, offset, port, which);
    if (copy) port!.layout.toChannelsLast(ctx.backend, values, copy, ctx.batch);
    return copy || values;
  }

  /** A port's channels-last copy (`which` 0) or its gradient (1), or 0 for a port that is channels-last already or not one of the layouts. */
  #copy({ backend, workspace, batch }: ForwardContext, offset: number, port: Port<Layout> | undefined, which: 0 | 1): BufferId {
    if (!port?.layout.transposed) return 0;
    const size = batch * port.layout.size;
    return backend.view(workspace, offset + batch * port.at + which * size, size);
  }
}

/** Every output's buffer, `ctx.output` first: a layer that runs a body of its own passes only `output` on for it. */
function outputsOf(ctx: ForwardContext): BufferId[] {
  return [ctx.output, ...ctx.outputs.slice(1)];
}

function outputGradsOf(ctx: BackwardContext): BufferId[] {
  return [ctx.outputGrad, ...ctx.outputGrads.slice(1)];
}
