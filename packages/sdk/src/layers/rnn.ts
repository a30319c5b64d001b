import type { Backend, BufferId } from '../backend/backend.js';
import type { BackwardContext, ForwardContext, Layer, Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { formatShape, lastStepOnlyHint } from './layer_shapes.js';
import type { Recurrent } from './recurrent.js';
import { registerBuiltinLayer } from './registry.js';
import { notStateful } from './recurrent_states.js';
import type { Tensor } from '../tensor.js';
import { cellFromConfig, checkCell, ConvLSTM2DCell, StackedRNNCells, type RNNCell } from './rnn_cells.js';
import { Wrapper } from './wrapper.js';
import { CallCell } from './call_cell.js';
import { CallCellRNN, type CallCellRNNArgs } from './call_cell_rnn.js';
import { registeredCellsFromConfig } from './call_cell_registry.js';
import { RNN_OPTIONS, checkRequiredOptions } from './layer_options.js';
import type { MayReturnList, ReturnsList } from './list_outputs.js';

/** Options of {@link RNN}, as tfjs-layers takes them. */
export interface RNNArgs extends LayerArgs {
  /** The cell run at every step, or a list of cells run in order (stacked, as `stackedRNNCells`); a `convLstm2dCell` runs alone. */
  cell: RNNCell | StackedRNNCells | RNNCell[];
  /** Whether to output every step's output `[steps, units]` (true) or only the last `[units]` (default false). */
  returnSequences?: boolean;
  /** Whether `apply` gives the final states too: `[output, ...states]`, the last cell's states first. */
  returnState?: boolean;
  /** Whether to run over the steps last to first; the output sequence is in that order, as in Keras. */
  goBackwards?: boolean;
  /** Whether each sample's final states start its next batch (see {@link RecurrentArgs.stateful}). */
  stateful?: boolean;
  /** Accepted for compatibility; the steps always run in a loop (the results are the same). */
  unroll?: boolean;
}

/**
 * Keras' and tfjs' generic recurrent layer: runs a cell (`lstmCell`, `gruCell`, `simpleRNNCell`) or
 * stacked cells over `[steps, features]` sequences, with masks, `goBackwards`, `returnSequences`,
 * `returnState`, `initialState` and `stateful` as the LSTM, GRU and SimpleRNN layers have them; or a
 * `convLstm2dCell` over sequences of images, as `convLstm2d` runs them (which tfjs 4.22's RNN cannot).
 *
 * Stacked cells feed each other only within a step (cell k's input is cell k−1's output), never
 * across steps, so each cell runs as one recurrent layer over the whole sequence, the next over
 * its output sequence: the same numbers as stepping the cells in turn, each cell's input product
 * one GEMM over all steps. Weights are saved as tfjs names them: `rnn/kernel` for one cell,
 * `rnn/RNNCell_<k>/kernel` for stacked cells; the config nests the cell's as tfjs writes it.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.rnn({ cell: [km.layers.lstmCell({ units: 16 }), km.layers.gruCell({ units: 8 })], inputShape: [20, 4] }),
 *   km.layers.dense({ units: 1 }),
 * ]);
 * ```
 */
export class RNN extends Wrapper {
  readonly className = 'RNN';
  readonly cell: RNNCell | StackedRNNCells;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  readonly unroll: boolean;
  /** One recurrent layer per cell, in stack order. */
  readonly #runners: readonly Recurrent[];
  #steps = 0;

  constructor(args: RNNArgs) {
    const where = `RNN layer '${args.name ?? 'rnn'}'`;
    const cell = Array.isArray(args.cell) ? new StackedRNNCells({ cells: args.cell }) : args.cell;
    if (!(cell instanceof StackedRNNCells)) checkCell(cell, `${where}: cell`, 'cell');
    const cells = cell instanceof StackedRNNCells ? cell.cells : [cell];
    const flag = (option: keyof RNNArgs) => {
      const value = args[option];
      if (value !== undefined && value !== null && typeof value !== 'boolean') throw new Error(`${where}: ${option} must be true or false. Received: ${option}=${JSON.stringify(value)}.`);
      return value === true;
    };
    const [returnSequences, returnState, goBackwards, stateful] = [flag('returnSequences'), flag('returnState'), flag('goBackwards'), flag('stateful')];
    const runners = cells.map((c, k) => c.layerFor({
      name: c.name,
      // Every cell but the last hands its whole output sequence, in running order, to the next.
      returnSequences: k < cells.length - 1 || returnSequences,
      returnState, stateful,
      goBackwards: k === 0 && goBackwards,
      ...(args.batchSize === undefined && args.batchInputShape?.[0] == null ? {} : { batchSize: args.batchSize ?? (args.batchInputShape![0] as number) }),
    }));
    super({ ...args, layer: runners[0] } as RNNArgs & { layer: Recurrent }, 'RNN');
    this.cell = cell;
    this.#runners = runners;
    [this.returnSequences, this.returnState, this.goBackwards, this.stateful, this.unroll] = [returnSequences, returnState, goBackwards, stateful, flag('unroll')];
  }

  protected get innerLayers(): readonly Recurrent[] {
    return this.#runners;
  }

  /** Each cell's count of states, in stack order. */
  get #stateCounts(): number[] {
    return this.#runners.map((r) => r.stateCountKeras);
  }

  /** Every cell's states, which `initialState` takes and `returnState` returns (as {@link Recurrent.stateCountKeras}). */
  get stateCountKeras(): number {
    return this.#stateCounts.reduce((a, b) => a + b, 0);
  }

  /** Where cell k's states sit in the flat list, which runs last cell first (tfjs' StackedRNNCells). */
  #stateOffset(k: number): number {
    return this.#stateCounts.slice(k + 1).reduce((a, b) => a + b, 0);
  }

  override get keywordInputs(): readonly string[] {
    return ['initialState'];
  }

  protected override weightInputShapes(callShapes: readonly Shape[]): readonly Shape[] {
    return callShapes.slice(0, 1);
  }

  /** Each cell's input shapes: its input sequence, then its initial states if the call brings them. */
  #cellShapes(inputShapes: readonly Shape[]): Shape[][] {
    const [sequence, ...states] = inputShapes;
    // A ConvLSTM2DCell runs alone, and its layer checks its sequence of images itself.
    if (sequence === undefined || (sequence.length !== 2 && !(this.cell instanceof ConvLSTM2DCell))) {
      throw new Error(`${this.where} expects sequences of shape [steps, features], but received ${sequence ? `inputs of shape ${formatShape(sequence)}` : 'none'}. Reshape each sample to [steps, features].${sequence ? lastStepOnlyHint(sequence, { repeat: true }) : ''}`);
    }
    const total = this.stateCountKeras;
    if (states.length > 0 && states.length !== total) {
      throw new Error(`${this.where}: its cells have ${total} states in all (listed last cell first, as tfjs lists them), but received ${states.length} initial states. ` +
        `Pass initialState with ${total} tensors: ${this.#runners.slice().reverse().map((r) => `${r.stateCountKeras} of (None, ${r.units})`).join(', then ')}.`);
    }
    return this.#runners.map((runner, k) => {
      const input = k === 0 ? sequence : [sequence[0], this.#runners[k - 1].units];
      const own = states.length > 0 ? states.slice(this.#stateOffset(k), this.#stateOffset(k) + runner.stateCountKeras) : [];
      return [input, ...own];
    });
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const shapes = this.#cellShapes(inputShapes);
    return this.#runners[this.#runners.length - 1].computeOutputShape(shapes[shapes.length - 1]);
  }

  /** The output, then with returnState every cell's final states, the last cell's first. */
  override computeOutputShapes(inputShapes: readonly Shape[]): Shape[] {
    const output = this.computeOutputShape(inputShapes);
    if (!this.returnState) return [output];
    const shapes = this.#cellShapes(inputShapes);
    // Each runner returns its states too (returnState is the RNN's): `[units]`, or a ConvLSTM2DCell's images.
    return [output, ...this.#runners.map((r, k) => r.computeOutputShapes(shapes[k]).slice(1)).reverse().flat()];
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#steps = inputShapes[0][0];
    const shapes = this.#cellShapes(inputShapes);
    const stacked = this.cell instanceof StackedRNNCells;
    this.#runners.forEach((runner, k) => {
      runner.ensureBuilt(shapes[k]);
      this.addInnerWeights(runner, stacked ? `RNNCell_${k}` : '');
    });
  }

  /** Floats per batch row of each workspace region: every cell's output sequence but the last's, their gradients, the mask in running order. */
  #regions(): number[] {
    const sequences = this.#runners.slice(0, -1).map((r) => this.#steps * r.units);
    return [...sequences, ...sequences, this.goBackwards && this.#runners.length > 1 ? this.#steps : 0];
  }

  override workspaceSize(batch: number): number {
    return batch * this.#regions().reduce((a, b) => a + b, 0) + this.#runners.reduce((sum, r) => sum + r.workspaceSize(batch), 0);
  }

  #layout(backend: Backend, workspace: BufferId, batch: number) {
    const sizes = [...this.#regions().map((s) => s * batch), ...this.#runners.map((r) => r.workspaceSize(batch))];
    let start = 0;
    const views = sizes.map((size) => {
      const view = size > 0 ? backend.view(workspace, start, size) : 0;
      start += size;
      return view;
    });
    const n = this.#runners.length - 1;
    return { sequences: views.slice(0, n), grads: views.slice(n, 2 * n), mask: views[2 * n], workspaces: views.slice(2 * n + 1) };
  }

  /** Cell k's part of the flat state list (initial states in, final states out), last cell first. */
  #statesOf<T>(list: readonly T[], k: number): T[] {
    const start = this.#stateOffset(k);
    return list.slice(start, start + this.#runners[k].stateCountKeras);
  }

  /** The mask each cell reads: the input's; after a goBackwards first cell, reversed to the running order of its output. */
  #masks(ctx: ForwardContext, mask: BufferId): BufferId[] {
    if (!ctx.inputMask || !mask) return this.#runners.map(() => ctx.inputMask);
    const t = this.#steps;
    const span = (ctx.batch - 1) * t + 1;
    for (let s = 0; s < t; s++) ctx.backend.copyRows(ctx.backend.view(ctx.inputMask, s, span), t, ctx.backend.view(mask, t - 1 - s, span), t, ctx.batch, 1);
    return this.#runners.map((_, k) => (k === 0 ? ctx.inputMask : mask));
  }

  forward(ctx: ForwardContext): void {
    const w = this.#layout(ctx.backend, ctx.workspace, ctx.batch);
    const masks = this.#masks(ctx, w.mask);
    const last = this.#runners.length - 1;
    const initial = ctx.inputs.slice(1);
    const finalStates = ctx.outputs.slice(1);
    this.#runners.forEach((runner, k) => {
      const output = k === last ? ctx.output : w.sequences[k];
      runner.forward({
        ...ctx,
        inputs: [k === 0 ? ctx.inputs[0] : w.sequences[k - 1], ...(initial.length > 0 ? this.#statesOf(initial, k) : [])],
        output, outputs: [output, ...(this.returnState ? this.#statesOf(finalStates, k) : [])],
        inputMask: masks[k], inputMasks: [masks[k]],
        workspace: w.workspaces[k], weights: this.slice(ctx.weights, k),
      });
    });
  }

  backward(ctx: BackwardContext): void {
    const w = this.#layout(ctx.backend, ctx.workspace, ctx.batch);
    const masks = this.#runners.map((_, k) => (ctx.inputMask && k > 0 && w.mask ? w.mask : ctx.inputMask));
    const last = this.#runners.length - 1;
    const initial = ctx.inputs.slice(1);
    const [finalStates, finalGrads, initialGrads] = [ctx.outputs.slice(1), ctx.outputGrads.slice(1), ctx.inputGrads.slice(1)];
    for (let k = last; k >= 0; k--) {
      const runner = this.#runners[k];
      const [output, outputGrad] = k === last ? [ctx.output, ctx.outputGrad] : [w.sequences[k], w.grads[k]];
      runner.backward({
        ...ctx,
        inputs: [k === 0 ? ctx.inputs[0] : w.sequences[k - 1], ...(initial.length > 0 ? this.#statesOf(initial, k) : [])],
        output, outputs: [output, ...(this.returnState ? this.#statesOf(finalStates, k) : [])],
        outputGrad, outputGrads: [outputGrad, ...(this.returnState ? this.#statesOf(finalGrads, k) : [])],
        inputGrads: [k === 0 ? ctx.inputGrads[0] : w.grads[k - 1], ...(initial.length > 0 ? this.#statesOf(initialGrads, k) : [])],
        inputMask: masks[k], inputMasks: [masks[k]],
        workspace: w.workspaces[k], weights: this.slice(ctx.weights, k), weightGrads: this.slice(ctx.weightGrads, k),
      });
    }
  }

  /**
   * Sets every cell's kept states back to zero, or to `states`, listed as `returnState` lists them
   * (the last cell's first), each `[batchSize, units]` (see {@link Recurrent.resetStates}).
   */
  /** The kept states in {@link resetStates}' order (the last cell's first), as tfjs' `layer.states`; null as {@link Recurrent.states} gives it. */
  get states(): Tensor<'float32'>[] | null {
    const perCell = this.#runners.map((runner) => runner.states);
    if (perCell.some((states) => states === null)) return null;
    return perCell.reverse().flatMap((states) => states!);
  }

  resetStates(states?: Tensor | readonly Tensor[]): void {
    if (!this.stateful) throw notStateful(this.where);
    const list = states === undefined ? undefined : Array.isArray(states) ? states : [states as Tensor];
    const total = this.stateCountKeras;
    if (list && list.length !== total) throw new Error(`${this.where}: resetStates(states) needs ${total} states (the last cell's first, as returnState lists them), but received ${list.length}.`);
    this.#runners.forEach((runner, k) => runner.resetStates(list && this.#statesOf(list, k)));
  }

  override get supportsMasking(): boolean {
    return true;
  }

  // As the last cell's layer does: with returnSequences, except a ConvLSTM2DCell's (its output's pixels are not its input's).
  override get passesMask(): boolean {
    return this.#runners[this.#runners.length - 1].passesMask;
  }

  // The first cell reads the input's mask (a ConvLSTM2DCell's one value per pixel of its frames).
  override checkInputMask(mask: Shape, input: Shape, source: Layer): void {
    this.#runners[0].checkInputMask(mask, input, source);
  }

  /** As tfjs writes it: the cell's fields, the layer's over them, then `cell: { className, config }`. */
  override getConfig(): Record<string, unknown> {
    const { layer: _runner, ...base } = super.getConfig();
    const cellConfig = this.cell.getConfig();
    return {
      ...cellConfig, ...base,
      returnSequences: this.returnSequences, returnState: this.returnState, goBackwards: this.goBackwards, stateful: this.stateful, unroll: this.unroll,
      cell: { className: this.cell.className, config: cellConfig },
    };
  }
}

// tfjs repeats the cell's fields beside `cell`; only `cell` and the layer's own fields are read back.
const RNN_FIELDS = ['name', 'trainable', 'batchInputShape', 'batchSize', 'inputShape', 'dtype', 'returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll'];

registerBuiltinLayer('RNN', (config) => {
  const where = `RNN layer '${String(config.name ?? '?')}'`;
  const own = Object.fromEntries(Object.entries(config).filter(([key, value]) => RNN_FIELDS.includes(key) && value !== undefined && value !== null));
  const custom = registeredCellsFromConfig(config.cell, where);
  if (custom) return new CallCellRNN({ ...own, cell: custom } as CallCellRNNArgs);
  return new RNN({ ...own, cell: cellFromConfig(config.cell, where) } as RNNArgs);
});

/**
 * Keras' generic recurrent layer: runs a cell, or a list of cells stacked (each one's output the next
 * one's input), over `[steps, features]` sequences; the same options as `lstm` (returnSequences,
 * returnState, goBackwards, stateful, initialState), and tfjs' format when saved. With `returnState: true`
 * its `apply` gives `[output, ...states]` typed as an array: the cells decide how many states there are.
 * A custom cell, a {@link CallCell} subclass written with km ops, runs in a {@link CallCellRNN}.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.rnn({ cell: [km.layers.lstmCell({ units: 16 }), km.layers.gruCell({ units: 8 })], inputShape: [20, 4] }),
 *   km.layers.dense({ units: 1 }),
 * ]);
 * ```
 */
export function rnn(args: CallCellRNNArgs & { returnState: true }): ReturnsList<CallCellRNN>;
export function rnn(args: CallCellRNNArgs & { returnState?: false }): CallCellRNN;
export function rnn(args: CallCellRNNArgs): MayReturnList<CallCellRNN>;
export function rnn(args: RNNArgs & { returnState: true }): ReturnsList<RNN>;
export function rnn(args: RNNArgs & { returnState?: false }): RNN;
export function rnn(args: RNNArgs): MayReturnList<RNN>;
export function rnn(args: RNNArgs | CallCellRNNArgs): RNN | CallCellRNN {
  checkRequiredOptions(args, RNN_OPTIONS, 'km.layers.rnn');
  // A user's cell runs its km ops on the host, in a layer of its own (call_cell_rnn.ts).
  const { cell } = args as { cell: unknown };
  const custom = cell instanceof CallCell || (Array.isArray(cell) && cell.length > 0 && cell.every((c) => c instanceof CallCell));
  return custom ? new CallCellRNN(args as CallCellRNNArgs) : new RNN(args as RNNArgs);
}
