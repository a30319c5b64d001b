// How a channelsFirst ConvLSTM2D runs its channels-last recurrence (layers/conv_lstm2d.ts).
import { backend } from '../backend/registry.js';
import { deviceTensor, unreadBufferOn } from '../engine/device_tensor.js';
import { Tensor } from '../tensor.js';
import { ChannelLayout, ChannelsLastBody } from './channel_axis.js';
import type { Shape } from './layer.js';

/**
 * A channelsFirst ConvLSTM2D around the channels-last recurrence: a ChannelsLastBody whose inputs are
 * the sequence `[time, channels, rows, cols]` and any initial states `[filters, rows, cols]`, and
 * whose outputs are the output and, with returnState, the final states. A stateful layer's kept
 * states, which the recurrence keeps channels-last, are read and set here in channelsFirst order.
 */
export class ChannelsFirstRecurrence extends ChannelsLastBody<ChannelLayout> {
  /** One state image, `[filters, rows, cols]` (ConvLSTM1D's `[filters, cols]`): its shape and layout. */
  readonly #stateShape: Shape;
  readonly #state: ChannelLayout;

  /**
   * Sample shapes in channelsFirst order: `sequence` the input's, `output` the output's, `state` one
   * state's; the call may bring up to `states` initial states, and returns as many with `returnState`.
   */
  constructor(sequence: Shape, output: Shape, state: Shape, states: number, returnState: boolean, where: string) {
    const layout = new ChannelLayout(1, state, where);
    const stateLayouts = (count: number) => Array.from({ length: count }, () => layout);
    // A sequence's channels are its axis 2, after the batch and the steps.
    super(
      [new ChannelLayout(2, sequence, where), ...stateLayouts(states)],
      [new ChannelLayout(output.length === state.length ? 1 : 2, output, where), ...stateLayouts(returnState ? states : 0)],
    );
    this.#stateShape = state;
    this.#state = layout;
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
    const expected = this.#stateShape;
    const fits = state?.dtype === 'float32' && state.shape.length === expected.length + 1 && expected.every((d, i) => state.shape[i + 1] === d);
    return fits ? new Tensor(swapBlockAxes(state.dataSync(), state.shape[0], this.#state.channels, this.#state.inner), state.shape, 'float32') : state;
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
