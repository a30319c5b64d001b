// How a channelsFirst ConvLSTM2D runs its channels-last recurrence (layers/conv_lstm2d.ts).
import type { BufferId } from '../backend/backend.js';
import { backend } from '../backend/registry.js';
import { deviceTensor, unreadBufferOn } from '../engine/device_tensor.js';
import { Tensor } from '../tensor.js';
import { ChannelLayout } from './channel_axis.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';

/** One input or output of the layer: its layout, and where its channels-last copy and that copy's gradient sit in the scratch. */
interface Port {
  readonly layout: ChannelLayout;
  /** Offset of the copy (the gradient follows it) from the scratch's start, per batch row. */
  readonly at: number;
}

/**
 * A channelsFirst ConvLSTM2D around the channels-last recurrence: the sequence `[time, channels,
 * rows, cols]` and any initial states `[filters, rows, cols]` are transposed channels-last into
 * scratch after the recurrence's workspace, the recurrence runs there, and its output and final
 * states are transposed back; backward does the same with the gradients. This is ChannelsLastBody
 * (channel_axis.ts) for a layer of several inputs and outputs. The copies stay in the scratch from
 * forward to backward, where the recurrence reads its initial states again.
 */
export class ChannelsFirstRecurrence {
  /** One state image, `[filters, rows, cols]`: its shape and layout. */
  readonly #stateShape: Shape;
  readonly #state: ChannelLayout;
  readonly #inputs: Port[];
  readonly #outputs: Port[];
  /** Floats of scratch per batch row. */
  readonly #floats: number;

  /**
   * Sample shapes in channelsFirst order: `sequence` the input's, `output` the output's, `state` one
   * state's; the call may bring up to `states` initial states, and returns as many with `returnState`.
   */
  constructor(sequence: Shape, output: Shape, state: Shape, states: number, returnState: boolean, where: string) {
    this.#stateShape = state;
    this.#state = new ChannelLayout(1, state, where);
    // A sequence's channels are its axis 2, after the batch and the steps.
    const inputs = [new ChannelLayout(2, sequence, where), ...Array.from({ length: states }, () => this.#state)];
    const outputs = [new ChannelLayout(output.length === state.length ? 1 : 2, output, where), ...Array.from({ length: returnState ? states : 0 }, () => this.#state)];
    let floats = 0;
    const port = (layout: ChannelLayout): Port => {
      const at = floats;
      if (layout.transposed) floats += 2 * layout.size;
      return { layout, at };
    };
    this.#inputs = inputs.map(port);
    this.#outputs = outputs.map(port);
    this.#floats = floats;
  }

  /** Floats of scratch after the recurrence's workspace, for a batch. */
  scratchSize(batch: number): number {
    return batch * this.#floats;
  }

  /** The recurrence's forward pass on channels-last copies; `offset` is where the scratch starts in the workspace. */
  forward(ctx: ForwardContext, offset: number, body: (ctx: ForwardContext) => void): void {
    const { backend, batch } = ctx;
    const inputs = ctx.inputs.map((x, k) => {
      const copy = this.#copy(ctx, offset, this.#inputs[k], 0);
      if (copy) this.#inputs[k].layout.toChannelsLast(backend, x, copy, batch);
      return copy || x;
    }) as unknown as ForwardContext['inputs'];
    const outputs = ctx.outputs.map((y, k) => this.#copy(ctx, offset, this.#outputs[k], 0) || y);
    body({ ...ctx, inputs, output: outputs[0], outputs, workspace: this.#bodyWorkspace(ctx, offset) });
    ctx.outputs.forEach((y, k) => outputs[k] !== y && this.#outputs[k].layout.fromChannelsLast(backend, outputs[k], y, batch));
  }

  /** The recurrence's backward pass on channels-last copies of the gradients; an input gradient stays 0 where the layer's is. */
  backward(ctx: BackwardContext, offset: number, body: (ctx: BackwardContext) => void): void {
    const { backend, batch } = ctx;
    const inputs = ctx.inputs.map((x, k) => this.#copy(ctx, offset, this.#inputs[k], 0) || x) as unknown as BackwardContext['inputs'];
    const outputs = ctx.outputs.map((y, k) => this.#copy(ctx, offset, this.#outputs[k], 0) || y);
    const outputGrads = ctx.outputGrads.map((dy, k) => {
      const copy = dy ? this.#copy(ctx, offset, this.#outputs[k], 1) : 0;
      if (copy) this.#outputs[k].layout.toChannelsLast(backend, dy, copy, batch);
      return copy || dy;
    });
    const inputGrads = ctx.inputGrads.map((dx, k) => (dx ? this.#copy(ctx, offset, this.#inputs[k], 1) || dx : 0)) as unknown as BackwardContext['inputGrads'];
    body({ ...ctx, inputs, output: outputs[0], outputs, outputGrad: outputGrads[0], outputGrads, inputGrads, workspace: this.#bodyWorkspace(ctx, offset) });
    ctx.inputGrads.forEach((dx, k) => dx && inputGrads[k] !== dx && this.#inputs[k].layout.fromChannelsLast(backend, inputGrads[k], dx, batch));
  }

  /**
   * A stateful layer's kept state, which the recurrence keeps channels-last under the channelsFirst
   * shape `[batch, filters, rows, cols]`, in channelsFirst order: transposed on the device while its
   * values are there (a tfjs backend), else on the host.
   */
  keptStateInUserOrder(state: Tensor<'float32'>): Tensor<'float32'> {
    const device = backend();
    const kept = unreadBufferOn(device, state);
    if (kept === undefined) return new Tensor(swapBlockAxes(state.dataSync(), state.shape[0], this.#state.inner, this.#state.channels), state.shape, 'float32');
    const ordered = device.alloc(state.size, 'float32');
    this.#state.fromChannelsLast(device, kept, ordered, state.shape[0]);
    state.dispose();
    return deviceTensor(device, ordered, state.shape);
  }

  /**
   * A state given to `resetStates` in the recurrence's kept order. One of another shape or dtype goes
   * on as given, for the recurrence's check to name it.
   */
  userStateInKeptOrder(state: Tensor): Tensor {
    const [filters, rows, cols] = this.#stateShape;
    const fits = state?.dtype === 'float32' && state.shape.length === 4 && state.shape[1] === filters && state.shape[2] === rows && state.shape[3] === cols;
    return fits ? new Tensor(swapBlockAxes(state.dataSync(), state.shape[0], this.#state.channels, this.#state.inner), state.shape, 'float32') : state;
  }

  /** The channels-last copy (`which` 0) or its gradient (1) of a port, or 0 for a port that is channels-last already. */
  #copy({ backend, workspace, batch }: ForwardContext, offset: number, port: Port, which: 0 | 1): BufferId {
    if (!port.layout.transposed) return 0;
    const size = batch * port.layout.size;
    return backend.view(workspace, offset + batch * port.at + which * size, size);
  }

  /** The recurrence's own part of the workspace, from which it lays out its regions. */
  #bodyWorkspace({ backend, workspace }: ForwardContext, floats: number): BufferId {
    return floats > 0 ? backend.view(workspace, 0, floats) : 0;
  }
}

/** Values of `outer` blocks `[a, b]` (row-major) as blocks `[b, a]`. */
function swapBlockAxes(values: ArrayLike<number>, outer: number, a: number, b: number): Float32Array {
  const out = new Float32Array(outer * a * b);
  for (let o = 0; o < outer; o++) {
    const base = o * a * b;
    for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) out[base + j * a + i] = values[base + i * b + j];
  }
  return out;
}
