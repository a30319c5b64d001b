import type { Backend, BufferId } from '../backend/backend.js';
import { formatShape, type BackwardContext, type ForwardContext, type Shape } from './layer.js';

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

/**
 * An input whose channels sit on one axis, seen as `[outer, channels, inner]` per sample. Kernels
 * that take channels last run on it as they are when `inner` is 1; otherwise the batch is
 * transposed to `[outer, inner, channels]` and back, which keeps each channel's values together
 * for the statistics (their order within a channel does not matter to a normalisation).
 */
export class ChannelLayout {
  /** The positive channel axis, counting the batch as 0. */
  readonly axis: number;
  readonly outer: number;
  readonly channels: number;
  readonly inner: number;

  constructor(axis: number, shape: Shape, where: string) {
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
    this.channels = shape[resolved - 1];
    this.inner = shape.slice(resolved).reduce((a, b) => a * b, 1);
  }

  /** Whether the channels are not already last, so the kernels need the batch transposed. */
  get transposed(): boolean {
    return this.inner > 1;
  }

  /** Values per sample. */
  get size(): number {
    return this.outer * this.channels * this.inner;
  }

  /**
   * Workspace floats `run` needs after the layer's own: three channels-last batches (the input, kept
   * from forward to backward; the output, then dy; dx), or none when the channels are last.
   */
  scratchSize(batch: number): number {
    return this.transposed ? 3 * batch * this.size : 0;
  }

  /** Runs a channels-last kernel `(x, y)` from the layer's input to its output; `offset` is where the scratch starts in the workspace. */
  forward(ctx: ForwardContext, offset: number, kernel: (x: BufferId, y: BufferId) => void): void {
    if (!this.transposed) return kernel(ctx.inputs[0], ctx.output);
    const { x, y } = this.#scratch(ctx, offset);
    this.#toChannelsLast(ctx.backend, ctx.inputs[0], x, ctx.batch);
    kernel(x, y);
    this.#fromChannelsLast(ctx.backend, y, ctx.output, ctx.batch);
  }

  /** Runs a channels-last gradient kernel `(x, dy, dx)`, with dx 0 when the input needs no gradient. */
  backward(ctx: BackwardContext, offset: number, kernel: (x: BufferId, dy: BufferId, dx: BufferId) => void): void {
    if (!this.transposed) return kernel(ctx.inputs[0], ctx.outputGrad, ctx.inputGrads[0]);
    // x is the input as forward transposed it; dy goes where forward's output was.
    const { x, y: dy, dx } = this.#scratch(ctx, offset);
    this.#toChannelsLast(ctx.backend, ctx.outputGrad, dy, ctx.batch);
    kernel(x, dy, ctx.inputGrads[0] ? dx : 0);
    if (ctx.inputGrads[0]) this.#fromChannelsLast(ctx.backend, dx, ctx.inputGrads[0], ctx.batch);
  }

  #scratch({ backend, workspace, batch }: ForwardContext | BackwardContext, offset: number) {
    const n = batch * this.size;
    return { x: backend.view(workspace, offset, n), y: backend.view(workspace, offset + n, n), dx: backend.view(workspace, offset + 2 * n, n) };
  }

  #toChannelsLast(backend: Backend, x: BufferId, y: BufferId, batch: number): void {
    backend.transpose(x, y, [batch * this.outer, this.channels, this.inner], [0, 2, 1]);
  }

  #fromChannelsLast(backend: Backend, x: BufferId, y: BufferId, batch: number): void {
    backend.transpose(x, y, [batch * this.outer, this.inner, this.channels], [0, 2, 1]);
  }
}
