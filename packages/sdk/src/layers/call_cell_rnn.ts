// km.layers.rnn over a user's CallCell: the steps run in a loop of km ops inside one CallLayer, so
// its backward pass, `call` replayed under the tape, is backpropagation through time.
import { hostTensor } from '../backend/host_tensor.js';
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
import type { ForwardContext, Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { formatShape } from './layer_shapes.js';
import { keptStatesOf, KeptStates, resetKeptStates } from './recurrent_states.js';

/** Options of {@link CallCellRNN}: those of `km.layers.rnn`, with a {@link CallCell}. */
export interface CallCellRNNArgs extends LayerArgs {
  /**
   * The user's cell, run at every step; or a list of cells run in order within each step (Keras'
   * `RNN([cell1, cell2])`), each one's output the next one's input.
   */
  cell: CallCell | readonly CallCell[];
  /** Whether to output every step's output `[steps, outputSize]` (true) or only the last (default false). */
  returnSequences?: boolean;
  /** Whether `apply` gives the final states too: `[output, ...states]`. */
  returnState?: boolean;
  /** Whether to run over the steps last to first; the output sequence is in that order, as in Keras. */
  goBackwards?: boolean;
  /**
   * Whether each sample's final states start its next batch, as for the built-in cells (see
   * {@link RecurrentArgs.stateful}): the batch size must be fixed (`batchInputShape` or `batchSize`).
   */
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
 * keeps each sample's states and output, as the built-in cells skip it. A list of cells runs in
 * order within each step, as stacked built-in cells do. `apply(x, { initialState })` starts the
 * states from the given tensors instead, listed as `returnState` lists them (the last cell's
 * first). With `stateful: true` each sample's final states start its next batch, held as values
 * (no gradient flows back into the batch before, as in Keras), until {@link resetStates}; an
 * `initialState` given at call time is used instead of the kept states, which then keep that call's
 * final states, as in Keras and tfjs. It saves as tfjs' RNN over the cell once the cell's class is
 * registered with {@link registerCell}; a loaded stateful layer starts from zero states.
 */
export class CallCellRNN extends CallLayer {
  readonly className = 'RNN';
  /** The cell, or the list of cells, as given. */
  readonly cell: CallCell | readonly CallCell[];
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  /** Each final state's size, in the order `returnState` gives them: the last cell's states first, as for the built-in cells. */
  readonly stateSizes: readonly number[];
  /** The size of each step's output: the last cell's. */
  readonly outputSize: number;
  /** The cells in step order, each with its states' sizes and its output's. */
  readonly #cells: readonly { cell: CallCell; states: readonly number[]; output: number }[];
  /** When stateful, the states kept from batch to batch, made on first use. */
  #kept: KeptStates | null = null;
  /** When stateful, the kept states the batch in flight started from (copies: constants to backward's replay of call), or null. */
  #batchStart: Float32Array[] | null = null;
  /** While a stateful forward runs call: where call leaves the batch's final states, for the kept ones. */
  #batchEnd: Float32Array[] | null = null;

  constructor(args: CallCellRNNArgs) {
    const { cell, returnSequences, returnState, goBackwards, stateful, unroll: _unroll, ...rest } = args;
    super(rest, 'RNN');
    const where = `RNN layer '${this.name}'`;
    const cells = Array.isArray(cell) ? [...cell] : [cell];
    const bad = cells.findIndex((c) => !(c instanceof CallCell));
    if (cells.length === 0 || bad >= 0) {
      throw new Error(`${where}: cell must be a km.layers.CallCell or a non-empty list of them. Received: ${cells.length === 0 ? 'cell=[]' : `cell${Array.isArray(cell) ? `[${bad}]` : ''}=${describeValue(cells[bad])}`}.`);
    }
    for (const c of cells) {
      if (runCells.has(c) || cells.filter((other) => other === c).length > 1) {
        throw new Error(`${where}: ${describeCell(c)} already runs in an RNN layer, whose weights its build declared. Make a new cell for each layer and each place in a list: km.layers.rnn({ cell: new MyCell(...) }).`);
      }
    }
    const flag = (option: string, value: unknown) => {
      if (value !== undefined && value !== null && typeof value !== 'boolean') throw new Error(`${where}: ${option} must be true or false. Received: ${option}=${JSON.stringify(value)}.`);
      return value === true;
    };
    [this.returnSequences, this.returnState, this.goBackwards, this.stateful] = [flag('returnSequences', returnSequences), flag('returnState', returnState), flag('goBackwards', goBackwards), flag('stateful', stateful)];
    this.#cells = cells.map((c) => {
      const states = stateSizesOf(c);
      const output = c.outputSize ?? states[0];
      if (!Number.isInteger(output) || output < 1) {
        throw new Error(`${describeCell(c)}: outputSize must be a positive integer, the size of each step's output. Received: outputSize=${describeValue(output)}.`);
      }
      return { cell: c, states, output };
    });
    this.stateSizes = [...this.#cells].reverse().flatMap((c) => c.states);
    this.outputSize = this.#cells[this.#cells.length - 1].output;
    this.cell = cell;
    for (const c of cells) runCells.add(c);
  }

  /** Every cell's states, which `initialState` takes and `returnState` returns (as for the built-in RNN). */
  get stateCountKeras(): number {
    return this.stateSizes.length;
  }

  override get keywordInputs(): readonly string[] {
    return ['initialState'];
  }

  // The weights depend on the sequence's features only, not on initial states.
  protected override weightInputShapes(callShapes: readonly Shape[]): readonly Shape[] {
    return callShapes.slice(0, 1);
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
    let [, features] = this.#checkSequence(inputShapes);
    // Stacked cells' weights are named as the built-in ones are, `rnn/RNNCell_0/kernel`.
    const stacked = this.#cells.length > 1;
    this.#cells.forEach(({ cell, output }, k) => {
      buildCell(cell, [features], (name, shape, initializer, trainable) => this.addWeight(stacked ? `RNNCell_${k}/${name}` : name, shape, initializer, trainable));
      features = output;
    });
  }

  call(inputs: Tensor | Tensor[], { training, mask }: CallArgs): Tensor | Tensor[] {
    const [sequence, ...initial] = Array.isArray(inputs) ? inputs : [inputs];
    const batch = sequence.shape[0];
    // Each cell's states, in step order: zeros, the kept ones, or the initial states; the last two list the last cell's first.
    const start = this.#batchStart;
    const given = initial.length > 0 ? initial : start ? start.map((values, j) => new Tensor(values, [batch, this.stateSizes[j]], 'float32')) : [];
    let states: Tensor[][] = this.#cells.map((c) => c.states.map((size) => zeros([batch, size])));
    if (given.length > 0) {
      let at = 0;
      for (let k = this.#cells.length - 1; k >= 0; k--) states[k] = given.slice(at, (at += this.#cells[k].states.length));
    }
    const steps = unstack(sequence, 1);
    // Per step, 1 for the samples whose step is real, 0 for padding: those keep their states and output.
    const keeps = mask ? unstack(mask, 1).map((m) => reshape(m, [batch, 1])) : null;
    if (this.goBackwards) {
      steps.reverse();
      keeps?.reverse();
    }
    // What a padded first step outputs: the last cell's first state where it has the output's size, as
    // tfjs' rnn() and the built-in cells give it (the initial or kept h), else zeros.
    const last = this.#cells[this.#cells.length - 1];
    let previous: Tensor = last.states[0] === last.output ? states[states.length - 1][0] : zeros([batch, this.outputSize]);
    const outputs = steps.map((input, t) => {
      let x = input;
      const next = this.#cells.map((_, k) => {
        const [output, ...cellStates] = this.#step(k, x, states[k], training, t);
        x = output;
        return cellStates;
      });
      const keep = keeps?.[t];
      states = keep ? next.map((cellStates, k) => cellStates.map((s, j) => kept(keep, s, states[k][j]))) : next;
      previous = keep ? kept(keep, x, previous) : x;
      return previous;
    });
    const output = this.returnSequences ? stack(outputs, 1) : outputs[outputs.length - 1];
    if (this.#batchEnd) this.#batchEnd = [...states].reverse().flat().map((s) => Float32Array.from(s.dataSync()));
    return this.returnState ? [output, ...[...states].reverse().flat()] : output;
  }

  /**
   * A stateful layer's batch starts from the kept states, unless the call brings initial states,
   * and leaves its final states there. The backward pass replays `call` from the same start.
   */
  override forward(ctx: ForwardContext): void {
    if (!this.stateful) return super.forward(ctx);
    const kept = this.#keptStates().buffers(ctx.backend, ctx.batch);
    this.#batchStart = ctx.inputs.length === 1 ? kept.map((id, j) => hostTensor(ctx.backend, id, [ctx.batch, this.stateSizes[j]], this.#where).dataSync()) : null;
    this.#batchEnd = [];
    try {
      super.forward(ctx);
      this.#batchEnd.forEach((values, j) => ctx.backend.write(kept[j], values));
    } finally {
      this.#batchEnd = null;
    }
  }

  /**
   * Sets a stateful layer's kept states back to zero, so the next batch starts new sequences, or to
   * `states`, listed as `returnState` lists them (the last cell's first), each `[batchSize, size]`,
   * as Keras' `reset_states(states)`.
   * @example `layer.resetStates()` after feeding one long sequence in chunks
   */
  resetStates(states?: Tensor | readonly Tensor[]): void {
    resetKeptStates(this.stateful, this.#where, this.#kept, () => this.#keptStates(), states);
  }

  /**
   * The states a stateful layer keeps between batches (Keras' and tfjs' `layer.states`), in
   * {@link resetStates}' order, each `[batchSize, size]`: zeros before the first batch. Null for a
   * layer that is not stateful, and for one not built yet or whose batch size is not known yet.
   */
  get states(): Tensor<'float32'>[] | null {
    return keptStatesOf(this, () => this.#keptStates());
  }

  #keptStates(): KeptStates {
    const order = this.#cells.length > 1 ? "the last cell's first, as returnState lists them" : 'as returnState lists them';
    return (this.#kept ??= new KeptStates(this.stateSizes.map((size) => [size]), this.#where, this.declaredBatchSize, order));
  }

  get #where(): string {
    return `RNN layer '${this.name}'`;
  }

  protected override releaseKeptStates(): void {
    this.#kept?.release();
    this.#batchStart = null;
  }

  /** Cell `k`'s `call` at step `t`, its result checked against the declared sizes. */
  #step(k: number, input: Tensor, states: Tensor[], training: boolean, t: number): Tensor[] {
    const { cell, states: sizes, output } = this.#cells[k];
    const result: unknown = cell.call([input, ...states], { training });
    const where = `${describeCell(cell)}.call at step ${t}`;
    const count = states.length;
    if (!Array.isArray(result) || result.length !== count + 1) {
      const received = Array.isArray(result) ? `a list of ${result.length}` : describeValue(result);
      throw new Error(`${where} returned ${received}, but it must return [output, ...newStates]: ${count + 1} tensors, the output then the cell's ${count} state${count === 1 ? '' : 's'} (stateSize ${JSON.stringify(cell.stateSize)}).`);
    }
    const batch = input.shape[0];
    const expected = [[batch, output], ...sizes.map((size) => [batch, size])];
    result.forEach((value, j) => {
      if (!(value instanceof Tensor) || value.dtype !== 'float32' || !sameShape(value.shape, expected[j])) {
        const what = j === 0 ? 'its output' : `new state ${j - 1}`;
        const received = value instanceof Tensor ? `a ${value.dtype} tensor of shape [${value.shape.join(', ')}]` : describeValue(value);
        const declared = j === 0 ? `outputSize (${output}; by default stateSize's first)` : `stateSize (${JSON.stringify(cell.stateSize)})`;
        throw new Error(`${where} returned ${received} as ${what}, but the cell's ${declared} gives a float32 tensor of shape [${expected[j].join(', ')}] (the batch first). Return that shape, or declare the size the cell computes.`);
      }
    });
    return result as Tensor[];
  }

  /** `[steps, features]`, from the sequence's shape; throws on another rank, or on initial states that do not fit the cells'. */
  #checkSequence(inputShapes: readonly Shape[]): readonly [number, number] {
    const [sequence, ...initial] = inputShapes;
    if (sequence === undefined || sequence.length !== 2) {
      throw new Error(`RNN layer '${this.name}' expects sequences of shape [steps, features] (the batch first: [batch, steps, features]). ` +
        `Received: ${sequence ? `inputs of shape ${formatShape(sequence)}` : 'none'}. Reshape each sample to [steps, features].`);
    }
    if (initial.length > 0 && (initial.length !== this.stateSizes.length || initial.some((shape, i) => shape.length !== 1 || shape[0] !== this.stateSizes[i]))) {
      throw new Error(`RNN layer '${this.name}': initialState must hold ${this.stateSizes.length} tensors of shapes ${this.stateSizes.map((size) => `[batch, ${size}]`).join(', ')}, the cells' states as returnState lists them (the last cell's first). ` +
        `Received: ${initial.length} of shapes ${initial.map((shape) => formatShape(shape)).join(', ')}.`);
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

  /**
   * Throws where a cell's class is not registered with {@link registerCell}, so that nothing can
   * make the cell again from its config: `consequence` says what then fails, `when` when to register.
   * Saving needs it, and {@link Bidirectional}, which runs a copy of the layer over new cells in each direction.
   */
  checkCellsRegistered(consequence: string, when: string): void {
    const cell = this.#cells.map((c) => c.cell).find((c) => !isRegisteredCell(c.className));
    if (cell === undefined) return;
    throw new Error(
      `Layer '${this.name}' (RNN) runs ${describeCell(cell)}, whose class is not registered, so ${consequence}. ` +
        `Return the cell's options from its getConfig() and register the class ${when}: km.layers.registerCell('${cell.className}', (config) => new ${cell.className}(config)).`,
    );
  }

  /**
   * As tfjs writes an RNN over a custom cell: the layer's fields, then `cell: { className, config }`,
   * for a list `{ className: 'StackedRNNCells', config: { cells } }`; each cell's class must be registered.
   */
  override getConfig(): Record<string, unknown> {
    this.checkCellsRegistered('a saved model could not rebuild it', 'before saving (and loading)');
    const entries = this.#cells.map(({ cell }) => ({ className: cell.className, config: cell.getConfig() }));
    return {
      ...super.getConfig(),
      returnSequences: this.returnSequences, returnState: this.returnState, goBackwards: this.goBackwards, stateful: this.stateful, unroll: false,
      cell: entries.length === 1 ? entries[0] : { className: 'StackedRNNCells', config: { name: this.name, cells: entries } },
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
