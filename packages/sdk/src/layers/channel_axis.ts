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

/**
 * A layer's input or output with its channels on one axis (or a run of `span` adjacent axes taken
 * as one), seen as `[outer, channels, inner]` per sample: channels-last when `inner` is 1, and
 * otherwise transposed to `[outer, inner, channels]` for the kernels, which keeps each position's
 * channels together.
 */
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

/**
 * Runs a layer's body, written for channels-last buffers, on a layer whose input or output keeps
 * its channels on another axis: whichever is not channels-last is transposed into scratch buffers
 * after the body's own workspace, and the result back. The transposed input and output stay there
 * from forward to backward, since a body's gradient may read both.
 */
export class ChannelsLastBody<Layout extends ChannelOrder = ChannelOrder> {
  constructor(
    readonly input: Layout,
    readonly output: Layout,
  ) {}

  /** The body of an image layer with `format`, between sample shapes `input` and `output` in that format. */
  static of(format: DataFormat, input: Shape, output: Shape, where: string): ChannelsLastBody<ChannelLayout> {
    const axis = format === 'channelsFirst' ? 1 : -1;
    return new ChannelsLastBody(new ChannelLayout(axis, input, where), new ChannelLayout(axis, output, where));
  }

  /** Workspace floats after the body's own: the input and its gradient, the output and its gradient, where transposed. */
  scratchSize(batch: number): number {
    return 2 * batch * ((this.input.transposed ? this.input.size : 0) + (this.output.transposed ? this.output.size : 0));
  }

  /** The body on channels-last views of the input and output; `offset` is where the scratch starts in the workspace. */
  forward(ctx: ForwardContext, offset: number, body: (ctx: ForwardContext) => void): void {
    if (!this.input.transposed && !this.output.transposed) return body(ctx);
    const { x, y } = this.#scratch(ctx, offset);
    if (x) this.input.toChannelsLast(ctx.backend, ctx.inputs[0], x, ctx.batch);
    const output = y || ctx.output;
    body({ ...ctx, inputs: [x || ctx.inputs[0]], output, outputs: [output], workspace: this.#bodyWorkspace(ctx, offset) });
    if (y) this.output.fromChannelsLast(ctx.backend, y, ctx.output, ctx.batch);
  }

  /** The body's gradient on channels-last views; its input gradient is 0 when the layer's is. */
  backward(ctx: BackwardContext, offset: number, body: (ctx: BackwardContext) => void): void {
    if (!this.input.transposed && !this.output.transposed) return body(ctx);
    const { backend, batch } = ctx;
    const { x, y, dy, dx } = this.#scratch(ctx, offset);
    if (dy) this.output.toChannelsLast(backend, ctx.outputGrad, dy, batch);
    const [output, outputGrad] = [y || ctx.output, dy || ctx.outputGrad];
    const inputGrad = ctx.inputGrads[0] ? dx || ctx.inputGrads[0] : 0;
    body({ ...ctx, inputs: [x || ctx.inputs[0]], output, outputs: [output], outputGrad, outputGrads: [outputGrad], inputGrads: [inputGrad], workspace: this.#bodyWorkspace(ctx, offset) });
    if (dx && ctx.inputGrads[0]) this.input.fromChannelsLast(backend, dx, ctx.inputGrads[0], batch);
  }

  /** The body's own part of the workspace: a body may pass its workspace whole to a kernel as one buffer. */
  #bodyWorkspace({ backend, workspace }: ForwardContext, floats: number): BufferId {
    return floats > 0 ? backend.view(workspace, 0, floats) : 0;
  }

  /** Scratch views, 0 for a side that is channels-last already. */
  #scratch({ backend, workspace, batch }: ForwardContext, offset: number) {
    let at = offset;
    const next = (layout: ChannelOrder): BufferId => {
      if (!layout.transposed) return 0;
      const view = backend.view(workspace, at, batch * layout.size);
      at += batch * layout.size;
      return view;
    };
    return { x: next(this.input), y: next(this.output), dy: next(this.output), dx: next(this.input) };
  }
}
