// km.layers.rnn over a user's CallCell: the steps run in a loop of km ops inside one CallLayer, so
// its backward pass, `call` replayed under the tape, is backpropagation through time.
import { unstack } from '../ops/split.js';
import { stack } from '../ops/join.js';
import { add, mul, sub } from '../ops/arithmetic.js';
import { reshape } from '../ops/shape_ops.js';
import { describeValue } from '../ops/operand.js';
import { sameShape, Tensor } from '../tensor.js';
import { zeros } from '../tensor_create.js';
import { buildCell, CallCell, describeCell } from './call_cell.js';
import { isRegisteredCell } from './call_cell_registry.js';
import { CallLayer, type CallArgs } from './call_layer.js';
import type { Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { formatShape } from './layer_shapes.js';

/** Options of {@link CallCellRNN}: those of `km.layers.rnn`, with a {@link CallCell}. */
export interface CallCellRNNArgs extends LayerArgs {
  /** The user's cell, run at every step. */
  cell: CallCell;
  /** Whether to output every step's output `[steps, outputSize]` (true) or only the last (default false). */
  returnSequences?: boolean;
  /** Whether `apply` gives the final states too: `[output, ...states]`. */
  returnState?: boolean;
  /** Whether to run over the steps last to first; the output sequence is in that order, as in Keras. */
  goBackwards?: boolean;
  /** Not supported with a CallCell; false. */
  stateful?: boolean;
  /** Accepted for compatibility; the steps always run in a loop. */
  unroll?: boolean;
}

/** Cells that an RNN layer runs: each holds the handles of that layer's weights. */
const runCells = new WeakSet<CallCell>();

/**
 * The recurrent layer `km.layers.rnn({ cell })` makes for a {@link CallCell}: it runs the cell's
 * `call` over the steps of `[batch, steps, features]`, the states starting at zeros, and returns
 * the last output `[outputSize]`, every step's `[steps, outputSize]` with `returnSequences`, and the
 * final states after it with `returnState`. It is a {@link CallLayer}: it computes on the host and
 * its gradient comes from running the steps again under the tape. On a masked input a padded step
 * keeps each sample's states and output, as the built-in cells skip it. It takes no `initialState`
 * and no `stateful`. It saves as tfjs' RNN over the cell once the cell's class is registered with
 * {@link registerCell}.
 */
export class CallCellRNN extends CallLayer {
  readonly className = 'RNN';
  readonly cell: CallCell;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  /** Each state's size, as the cell declares it. */
  readonly stateSizes: readonly number[];
  /** The size of each step's output. */
  readonly outputSize: number;

  constructor(args: CallCellRNNArgs) {
    const { cell, returnSequences, returnState, goBackwards, stateful, unroll: _unroll, ...rest } = args;
    super(rest, 'RNN');
    const where = `RNN layer '${this.name}'`;
    if (!(cell instanceof CallCell)) throw new Error(`${where}: cell must be a km.layers.CallCell. Received: cell=${describeValue(cell)}.`);
    if (runCells.has(cell)) {
      throw new Error(`${where}: ${describeCell(cell)} already runs in another RNN layer, whose weights its build declared. Make a new cell for each layer: km.layers.rnn({ cell: new MyCell(...) }).`);
    }
    const flag = (option: string, value: unknown) => {
      if (value !== undefined && value !== null && typeof value !== 'boolean') throw new Error(`${where}: ${option} must be true or false. Received: ${option}=${JSON.stringify(value)}.`);
      return value === true;
    };
    if (flag('stateful', stateful)) {
      throw new Error(`${where}: stateful is not supported with a custom cell (${cell.className}). Pass whole sequences, or keep the states yourself: returnState: true gives the final states. ` +
        'A built-in cell (km.layers.lstmCell, gruCell, simpleRNNCell) runs stateful. Received: stateful=true.');
    }
    [this.returnSequences, this.returnState, this.goBackwards] = [flag('returnSequences', returnSequences), flag('returnState', returnState), flag('goBackwards', goBackwards)];
    this.stateSizes = stateSizesOf(cell);
    const outputSize = cell.outputSize ?? this.stateSizes[0];
    if (!Number.isInteger(outputSize) || outputSize < 1) {
      throw new Error(`${describeCell(cell)}: outputSize must be a positive integer, the size of each step's output. Received: outputSize=${describeValue(outputSize)}.`);
    }
    this.outputSize = outputSize;
    this.cell = cell;
    runCells.add(cell);
  }

  override computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const [steps] = this.#checkSequence(inputShapes);
    return this.returnSequences ? [steps, this.outputSize] : [this.outputSize];
  }

  /** The output, then with returnState each final state `[size]`. */
  override computeOutputShapes(inputShapes: readonly Shape[]): Shape[] {
    const output = this.computeOutputShape(inputShapes);
    return this.returnState ? [output, ...this.stateSizes.map((size) => [size])] : [output];
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const [, features] = this.#checkSequence(inputShapes);
    buildCell(this.cell, [features], (name, shape, initializer, trainable) => this.addWeight(name, shape, initializer, trainable));
  }

  call(sequence: Tensor, { training, mask }: CallArgs): Tensor | Tensor[] {
    const batch = sequence.shape[0];
    let states: Tensor[] = this.stateSizes.map((size) => zeros([batch, size]));
    const steps = unstack(sequence, 1);
    // Per step, 1 for the samples whose step is real, 0 for padding: those keep their states and output.
    const keeps = mask ? unstack(mask, 1).map((m) => reshape(m, [batch, 1])) : null;
    if (this.goBackwards) {
      steps.reverse();
      keeps?.reverse();
    }
    let previous: Tensor = zeros([batch, this.outputSize]);
    const outputs = steps.map((input, t) => {
      const [output, ...next] = this.#step(input, states, training, t);
      const keep = keeps?.[t];
      states = keep ? next.map((s, k) => kept(keep, s, states[k])) : next;
      previous = keep ? kept(keep, output, previous) : output;
      return previous;
    });
    const output = this.returnSequences ? stack(outputs, 1) : outputs[outputs.length - 1];
    return this.returnState ? [output, ...states] : output;
  }

  /** The cell's `call` at step `t`, its result checked against the declared sizes. */
  #step(input: Tensor, states: Tensor[], training: boolean, t: number): Tensor[] {
    const result: unknown = this.cell.call([input, ...states], { training });
    const where = `${describeCell(this.cell)}.call at step ${t}`;
    const count = states.length;
    if (!Array.isArray(result) || result.length !== count + 1) {
      const received = Array.isArray(result) ? `a list of ${result.length}` : describeValue(result);
      throw new Error(`${where} returned ${received}, but it must return [output, ...newStates]: ${count + 1} tensors, the output then the cell's ${count} state${count === 1 ? '' : 's'} (stateSize ${JSON.stringify(this.cell.stateSize)}).`);
    }
    const batch = input.shape[0];
    const expected = [[batch, this.outputSize], ...this.stateSizes.map((size) => [batch, size])];
    result.forEach((value, k) => {
      if (!(value instanceof Tensor) || value.dtype !== 'float32' || !sameShape(value.shape, expected[k])) {
        const what = k === 0 ? 'its output' : `new state ${k - 1}`;
        const received = value instanceof Tensor ? `a ${value.dtype} tensor of shape [${value.shape.join(', ')}]` : describeValue(value);
        const declared = k === 0 ? `outputSize (${this.outputSize}; by default stateSize's first)` : `stateSize (${JSON.stringify(this.cell.stateSize)})`;
        throw new Error(`${where} returned ${received} as ${what}, but the cell's ${declared} gives a float32 tensor of shape [${expected[k].join(', ')}] (the batch first). Return that shape, or declare the size the cell computes.`);
      }
    });
    return result as Tensor[];
  }

  /** `[steps, features]`, from the sequence's shape; throws on another rank or on initial states. */
  #checkSequence(inputShapes: readonly Shape[]): readonly [number, number] {
    const [sequence] = inputShapes;
    if (inputShapes.length !== 1 || sequence.length !== 2) {
      throw new Error(`RNN layer '${this.name}' expects one input of sequences of shape [steps, features] (the batch first: [batch, steps, features]). ` +
        `Received: ${inputShapes.length === 1 ? `inputs of shape ${formatShape(sequence)}` : `${inputShapes.length} inputs`}. Reshape each sample to [steps, features]; a custom cell takes no initialState.`);
    }
    return [sequence[0], sequence[1]];
  }

  // Reads the mask of a padded sequence, skipping its padded steps, and passes it on with the sequence it returns.
  override get supportsMasking(): boolean {
    return true;
  }

  override get passesMask(): boolean {
    return this.returnSequences;
  }

  /** As tfjs writes an RNN over a custom cell: the layer's fields, then `cell: { className, config }`; the cell's class must be registered. */
  override getConfig(): Record<string, unknown> {
    const { className } = this.cell;
    if (!isRegisteredCell(className)) {
      throw new Error(
        `Layer '${this.name}' (RNN) runs ${describeCell(this.cell)}, whose class is not registered, so a saved model could not rebuild it. ` +
          `Return the cell's options from its getConfig() and register the class before saving (and loading): km.layers.registerCell('${className}', (config) => new ${className}(config)).`,
      );
    }
    return {
      ...super.getConfig(),
      returnSequences: this.returnSequences, returnState: this.returnState, goBackwards: this.goBackwards, stateful: false, unroll: false,
      cell: { className, config: this.cell.getConfig() },
    };
  }
}

/** `next` where `keep` is 1, `last` where it is 0 (`keep` is `[batch, 1]`), differentiably. */
function kept(keep: Tensor, next: Tensor, last: Tensor): Tensor {
  return add(mul(next, keep), mul(last, sub(1, keep)));
}

/** The cell's `stateSize` as a list of positive integers; throws naming the cell where it is not. */
function stateSizesOf(cell: CallCell): number[] {
  const declared: unknown = cell.stateSize;
  const sizes = typeof declared === 'number' ? [declared] : Array.isArray(declared) ? declared : null;
  if (sizes === null || sizes.length === 0 || !sizes.every((s) => Number.isInteger(s) && s > 0)) {
    throw new Error(`${describeCell(cell)} must declare stateSize: the size of its state (a positive integer), or a list of sizes for several states, e.g. readonly stateSize = [units, units]. ` +
      `Received: stateSize=${JSON.stringify(declared) ?? String(declared)}.`);
  }
  return sizes as number[];
}
