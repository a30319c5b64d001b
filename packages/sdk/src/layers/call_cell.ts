// A user's recurrent cell written as in TensorFlow.js and Keras: one step, `call([input, ...states])`,
// in km ops. `km.layers.rnn({ cell })` runs it over the steps as a CallLayer (call_cell_rnn.ts).
import type { InitializerSpec } from '../initializers/initializers.js';
import type { Tensor } from '../tensor.js';
import type { CallArgs } from './call_layer.js';
import type { Shape } from './layer.js';
import { uniqueLayerName } from './layer_names.js';
import type { LayerWeight } from './layer_weight.js';

/** Declares a weight of the layer that runs a cell; the layer hands it to the cell while it builds. */
export type CellWeightAdder = (name: string, shape: Shape, initializer: InitializerSpec, trainable: boolean) => LayerWeight;

/** Options of {@link CallCell}. */
export interface CallCellArgs {
  /** The cell's name, in errors; its weights are named after the RNN layer that runs it, as `rnn/kernel`. */
  name?: string;
}

/** While a cell builds, the layer's function that declares its weights. */
const weightAdders = new WeakMap<CallCell, CellWeightAdder>();

/**
 * The base of a custom recurrent cell, written the TensorFlow.js way (a subclass of tfjs' `RNNCell`,
 * Keras' `MinimalRNNCell` in its RNN guide): declare `stateSize`, the weights in `build` with
 * `addWeight`, and one step in `call([input, ...states], { training })`, which returns
 * `[output, ...newStates]` computed with km ops. `km.layers.rnn({ cell })` runs it over
 * `[batch, steps, features]` sequences, the states starting at zeros, and trains it by running the
 * steps again under kerasm's gradient tape (backpropagation through time), as a
 * {@link CallLayer} is trained: on the host, on every backend but `tfjs-webgpu`.
 *
 * The weights belong to the RNN layer that runs the cell (`rnn.getWeights()`, named `rnn/kernel`),
 * so a cell runs in one RNN layer: make a new cell for each. A model holding one saves once the
 * cell's class is registered with {@link registerCell} (and its `getConfig` returns its options). kerasm's built-in cells
 * (`km.layers.lstmCell`, ...) are `km.layers.RNNCell`s, which run on the backend's kernels instead.
 *
 * @example
 * ```ts
 * class MinimalRNNCell extends km.layers.CallCell {
 *   readonly className = 'MinimalRNNCell';
 *   readonly stateSize: number;
 *   #kernel!: km.layers.LayerWeight;
 *   #recurrentKernel!: km.layers.LayerWeight;
 *   constructor(units: number) {
 *     super();
 *     this.stateSize = units;
 *   }
 *   override build(inputShape: km.layers.Shape): void {
 *     this.#kernel = this.addWeight('kernel', [inputShape.at(-1)!, this.stateSize], 'glorotUniform');
 *     this.#recurrentKernel = this.addWeight('recurrent_kernel', [this.stateSize, this.stateSize], 'orthogonal');
 *   }
 *   call([input, state]: [km.Tensor, km.Tensor]): km.Tensor[] {
 *     const h = km.add(km.matMul(input, this.#kernel.read()), km.matMul(state, this.#recurrentKernel.read()));
 *     return [h, h];
 *   }
 * }
 * const model = km.sequential([km.layers.rnn({ cell: new MinimalRNNCell(32), inputShape: [10, 5] }), km.layers.dense({ units: 1 })]);
 * ```
 */
export abstract class CallCell {
  /** The cell's class name, in errors. */
  abstract readonly className: string;
  /** The size of each state, `[batch, size]` (a list for several states, an LSTM's `[units, units]`). */
  abstract readonly stateSize: number | readonly number[];
  /** The size of the step's output, `[batch, outputSize]`; by default the first state's size, as in tfjs and Keras. */
  readonly outputSize?: number;
  readonly name: string;

  constructor(args: CallCellArgs = {}) {
    this.name = args.name ?? uniqueLayerName('CallCell');
  }

  /**
   * Declares the cell's weights with {@link addWeight}. `inputShape` is one step's input without
   * the batch, `[features]` (tfjs passes `[batch, features]`: read the features as `inputShape.at(-1)`).
   */
  build(_inputShape: Shape): void {}

  /**
   * Declares a weight; call from `build`. Its handle's `read()` inside `call` is the tensor to compute
   * with. `initializer` takes what layers' initializer options take (`'glorotUniform'`, `'orthogonal'`, `'zeros'`, ...).
   */
  protected addWeight(name: string, shape: Shape, initializer: InitializerSpec, trainable = true): LayerWeight {
    const adder = weightAdders.get(this);
    if (!adder) throw new Error(`${describeCell(this)}: addWeight('${name}') declares a weight while the cell builds: call it from build(inputShape), which km.layers.rnn runs.`);
    return adder(name, shape, initializer, trainable);
  }

  /**
   * Plain-data configuration that rebuilds the cell, saved in the RNN layer's config as
   * `cell: { className, config }` once the class is registered with {@link registerCell}. A cell
   * with options returns them too: `{ ...super.getConfig(), units: this.units }`.
   */
  getConfig(): Record<string, unknown> {
    return { name: this.name };
  }

  /**
   * One step: `inputs` is `[input, ...states]`, the step's input `[batch, features]` then each state
   * `[batch, stateSize[k]]`; returns `[output, ...newStates]`, the same number of states and shapes.
   */
  abstract call(inputs: Tensor[], args: CallArgs): Tensor[];
}

/** Builds `cell` for one step's input shape, its weights declared through `addWeight`. */
export function buildCell(cell: CallCell, inputShape: Shape, addWeight: CellWeightAdder): void {
  weightAdders.set(cell, addWeight);
  try {
    cell.build(inputShape);
  } finally {
    weightAdders.delete(cell);
  }
}

/** The cell, by class and name, for errors. */
export function describeCell(cell: CallCell): string {
  return `Cell '${cell.name}' (${cell.className})`;
}
