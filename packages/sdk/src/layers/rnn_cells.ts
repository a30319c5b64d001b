import { CallCell } from './call_cell.js';
import { ConvLSTM2D, type ConvLSTM2DArgs } from './conv_lstm2d.js';
import { GRU, type GRUArgs } from './gru.js';
import { uniqueLayerName } from './layer_names.js';
import { LSTM, type LSTMArgs } from './lstm.js';
import { Recurrent, type RecurrentArgs } from './recurrent.js';
import { SimpleRNN } from './simple_rnn.js';
import { CONV_LSTM2D_CELL_OPTIONS, GRU_CELL_OPTIONS, LSTM_CELL_OPTIONS, SIMPLE_RNN_CELL_OPTIONS, STACKED_RNN_CELLS_OPTIONS, checkRequiredOptions } from './layer_options.js';
import { RNN } from './rnn.js';

/** The options a recurrent layer takes that belong to the RNN around a cell, not to the cell. */
const LAYER_ONLY_KEYS = ['returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll', 'batchInputShape', 'inputShape', 'batchSize', 'dtype', 'inputDType', 'weights'] as const;

/** Options of a cell: a recurrent layer's, less those of the RNN that runs it. */
export type CellArgs<A> = Omit<A, (typeof LAYER_ONLY_KEYS)[number]>;
export type LSTMCellArgs = CellArgs<LSTMArgs>;
export type ConvLSTM2DCellArgs = CellArgs<ConvLSTM2DArgs>;
export type GRUCellArgs = CellArgs<GRUArgs>;
export type SimpleRNNCellArgs = CellArgs<RecurrentArgs>;

/** Options of the RNN layer that runs a cell: these set how the cell's layer runs over the steps. */
export interface CellRunArgs {
  name: string;
  returnSequences: boolean;
  returnState: boolean;
  goBackwards: boolean;
  stateful: boolean;
  batchSize?: number;
}

/**
 * One step of a recurrence (Keras' RNN cell): what `km.layers.rnn({ cell })` runs at every step. A
 * cell holds its options (validated when made) and, for each RNN that runs it, makes the recurrent
 * layer of its kind (an LSTMCell an LSTM) that computes it over the steps with its weights.
 */
export abstract class RNNCell {
  abstract readonly className: string;
  readonly name: string;
  /** Size of the state: `units` (a ConvLSTM2DCell's `filters`, its channels per pixel). */
  readonly units: number;
  /** Keras' states of the cell, h first: an LSTMCell's [h, c], a GRUCell's and SimpleRNNCell's [h]. */
  readonly stateCount: number;
  readonly #config: Record<string, unknown>;

  protected constructor(args: RecurrentArgs, className: string) {
    const name = args.name ?? uniqueLayerName(className);
    for (const key of LAYER_ONLY_KEYS) {
      if ((args as unknown as Record<string, unknown>)[key] !== undefined) {
        throw new Error(`${className} '${name}': ${key} belongs to the RNN layer that runs the cell, not to the cell. Received: ${key}=${JSON.stringify((args as unknown as Record<string, unknown>)[key])}. ` +
          `Give it to the layer: km.layers.rnn({ cell, ${key}: ... }).`);
      }
    }
    const layer = this.makeLayer({ ...args, name }, className);
    this.name = name;
    this.units = layer.units;
    this.stateCount = layer.stateCountKeras;
    // The layer's config less the RNN's options is the cell's, in tfjs' fields and order.
    const config = layer.getConfig();
    for (const key of LAYER_ONLY_KEYS) delete config[key];
    this.#config = config;
  }

  /** Makes this kind of cell's recurrent layer from its options; `displayName` names it in errors. */
  protected abstract makeLayer(args: RecurrentArgs, displayName: string): Recurrent;

  /** The recurrent layer that runs this cell over the steps, with the RNN's options. */
  layerFor(run: CellRunArgs): Recurrent {
    return this.makeLayer({ ...this.getConfig(), ...run } as RecurrentArgs, this.className);
  }

  /** Plain-data configuration, as tfjs-layers writes a cell's (camelCase keys). */
  getConfig(): Record<string, unknown> {
    return structuredClone(this.#config);
  }
}

/**
 * The LSTM step (tfjs' `LSTMCell`): the equations and weights of {@link LSTM}, for `km.layers.rnn`.
 * @example `km.layers.rnn({ cell: km.layers.lstmCell({ units: 32 }), returnSequences: true })`
 */
export class LSTMCell extends RNNCell {
  readonly className = 'LSTMCell';
  constructor(args: LSTMCellArgs) {
    super(args as RecurrentArgs, 'LSTMCell');
  }
  protected makeLayer(args: RecurrentArgs, displayName: string): Recurrent {
    return new LSTM(args as LSTMArgs, displayName);
  }
}

/**
 * The GRU step (tfjs' `GRUCell`): the equations and weights of {@link GRU}, for `km.layers.rnn`.
 * @example `km.layers.rnn({ cell: km.layers.gruCell({ units: 32 }) })`
 */
export class GRUCell extends RNNCell {
  readonly className = 'GRUCell';
  constructor(args: GRUCellArgs) {
    super(args as RecurrentArgs, 'GRUCell');
  }
  protected makeLayer(args: RecurrentArgs, displayName: string): Recurrent {
    return new GRU(args as GRUArgs, displayName);
  }
}

/**
 * The fully connected step (tfjs' `SimpleRNNCell`), h = activation(x·W + h·U + b), for `km.layers.rnn`.
 * @example `km.layers.rnn({ cell: km.layers.simpleRNNCell({ units: 16 }) })`
 */
export class SimpleRNNCell extends RNNCell {
  readonly className = 'SimpleRNNCell';
  constructor(args: SimpleRNNCellArgs) {
    super(args, 'SimpleRNNCell');
  }
  protected makeLayer(args: RecurrentArgs, displayName: string): Recurrent {
    return new SimpleRNN(args, displayName);
  }
}

/**
 * The ConvLSTM2D step (tfjs' `ConvLSTM2DCell`): the equations, options and weights of
 * {@link ConvLSTM2D}, for `km.layers.rnn` over sequences of images `[time, rows, cols, channels]`,
 * where it computes what `km.layers.convLstm2d` with the same options computes. It runs alone: its
 * step's output is an image, which the vector cells of a stack do not take.
 * @example `km.layers.rnn({ cell: km.layers.convLstm2dCell({ filters: 8, kernelSize: 3, padding: 'same' }), returnSequences: true })`
 */
export class ConvLSTM2DCell extends RNNCell {
  readonly className = 'ConvLSTM2DCell';
  readonly filters: number;
  constructor(args: ConvLSTM2DCellArgs) {
    super(args as unknown as RecurrentArgs, 'ConvLSTM2DCell');
    this.filters = this.units;
  }
  protected makeLayer(args: RecurrentArgs, displayName: string): Recurrent {
    return new ConvLSTM2D(args as unknown as ConvLSTM2DArgs, displayName);
  }
}

/** Options of {@link StackedRNNCells}. */
export interface StackedRNNCellsArgs {
  /** The cells, run in order at every step: each one's h is the next one's input. */
  cells: RNNCell[];
  name?: string;
  trainable?: boolean;
}

/**
 * Cells run in order at every step (tfjs' `StackedRNNCells`): each one's output is the next one's
 * input, and the states are listed last cell first (`[h2, c2, h1, c1]` for two LSTM cells), as tfjs
 * and Keras 2 list them. `km.layers.rnn({ cell: [a, b] })` stacks the cells the same way.
 *
 * @example
 * ```ts
 * const cells = km.layers.stackedRNNCells({ cells: [km.layers.lstmCell({ units: 16 }), km.layers.gruCell({ units: 8 })] });
 * const model = km.sequential([km.layers.rnn({ cell: cells, inputShape: [20, 4] }), km.layers.dense({ units: 1 })]);
 * ```
 */
export class StackedRNNCells {
  readonly className = 'StackedRNNCells';
  readonly name: string;
  readonly trainable: boolean;
  readonly cells: readonly RNNCell[];

  constructor(args: StackedRNNCellsArgs) {
    this.name = args.name ?? uniqueLayerName('StackedRNNCells');
    this.trainable = args.trainable ?? true;
    const where = `StackedRNNCells '${this.name}'`;
    if (!Array.isArray(args.cells) || args.cells.length === 0) {
      throw new Error(`${where}: cells must be a non-empty list of cells. Received: cells=${describeCell(args.cells)}. Give e.g. cells: [km.layers.lstmCell({ units: 8 }), km.layers.gruCell({ units: 4 })].`);
    }
    args.cells.forEach((cell, i) => {
      checkCell(cell, `${where}: cells[${i}]`, `cells[${i}]`);
      if (cell instanceof ConvLSTM2DCell) {
        throw new Error(`${where}: cells[${i}] is ConvLSTM2DCell '${cell.name}', which km.layers.rnn runs alone, not stacked: its step's output is an image, and stacked cells hand vectors to each other. ` +
          `Give it alone, km.layers.rnn({ cell: km.layers.convLstm2dCell({ ... }) }), or stack ConvLSTM2D layers: km.layers.convLstm2d({ ..., returnSequences: true }) followed by another km.layers.convLstm2d.`);
      }
    });
    this.cells = [...args.cells];
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name, trainable: this.trainable, cells: this.cells.map((cell) => ({ className: cell.className, config: cell.getConfig() })) };
  }
}

/** Throws unless `cell` is an RNN cell, naming `option` and what it received. */
export function checkCell(cell: unknown, where: string, option: string): asserts cell is RNNCell {
  if (!(cell instanceof RNNCell)) {
    throw new Error(`${where} must be a recurrent cell: km.layers.lstmCell, gruCell, simpleRNNCell (or a list of them) or convLstm2dCell. Received: ${option}=${describeCell(cell)}. ` +
      (cell instanceof Recurrent ? `A recurrent layer such as km.layers.lstm({ units }) is used on its own, without km.layers.rnn.`
        : cell instanceof CallCell ? `A custom cell (km.layers.CallCell) runs in km.layers.rnn({ cell }), alone or in a list of custom cells, not beside built-in cells nor by new km.layers.RNN.`
          : `A custom cell class (Keras' RNN(MyCell())) extends km.layers.CallCell, with stateSize, build and call([input, ...states]) in km ops (docs/CUSTOM_LAYERS.md).`));
  }
}

function describeCell(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') {
    const named = value as { className?: unknown; name?: unknown };
    if (typeof named.className === 'string') return `${named.className} '${String(named.name)}'`;
    return Array.isArray(value) ? `[${value.length} items]` : String(value.constructor?.name ?? 'object');
  }
  return JSON.stringify(value);
}

/** The cell classes kerasm saves and loads itself, by the names {@link cellFromConfig} reads. */
export const BUILT_IN_CELL_CLASSES: readonly string[] = ['LSTMCell', 'GRUCell', 'SimpleRNNCell', 'ConvLSTM2DCell', 'StackedRNNCells'];

/** Rebuilds a cell from tfjs' `{ className, config }` (camelCase keys). */
export function cellFromConfig(saved: unknown, where: string): RNNCell | StackedRNNCells {
  const entry = saved as { className?: unknown; config?: unknown } | null;
  if (typeof entry !== 'object' || entry === null || typeof entry.className !== 'string' || typeof entry.config !== 'object' || entry.config === null) {
    throw new Error(`${where}: the config's cell must be { class_name, config } naming the cell. Received: cell=${describeCell(saved)}.`);
  }
  const config = { ...(entry.config as Record<string, unknown>) };
  // Keras writes every layer's dtype, a cell's too; float32 is the RNN's, and kerasm's only one.
  if (config.dtype === 'float32') delete config.dtype;
  switch (entry.className) {
    case 'LSTMCell':
      return new LSTMCell(config as LSTMCellArgs);
    case 'GRUCell':
      return new GRUCell(config as GRUCellArgs);
    case 'SimpleRNNCell':
      return new SimpleRNNCell(config as SimpleRNNCellArgs);
    case 'ConvLSTM2DCell':
      return new ConvLSTM2DCell(config as unknown as ConvLSTM2DCellArgs);
    case 'StackedRNNCells': {
      const cells = Array.isArray(config.cells) ? config.cells.map((c, i) => cellFromConfig(c, `${where}: cells[${i}]`)) : config.cells;
      return new StackedRNNCells({ ...(config as object), cells } as StackedRNNCellsArgs);
    }
    default:
      throw new Error(`${where}: unknown cell class '${entry.className}'. Known cells: ${BUILT_IN_CELL_CLASSES.join(', ')}; ` +
        `a custom cell (km.layers.CallCell) loads once its class is registered: km.layers.registerCell('${entry.className}', (config) => new ${entry.className}(config)).`);
  }
}

/**
 * The LSTM step, for `km.layers.rnn` (tfjs' `lstmCell`): the options of `lstm` that belong to the cell.
 * @example `km.layers.rnn({ cell: km.layers.lstmCell({ units: 32 }), returnSequences: true, inputShape: [20, 4] })`
 */
export function lstmCell(args: LSTMCellArgs): LSTMCell {
  checkRequiredOptions(args, LSTM_CELL_OPTIONS, 'km.layers.lstmCell');
  return new LSTMCell(args);
}

/**
 * The GRU step, for `km.layers.rnn` (tfjs' `gruCell`).
 * @example `km.layers.rnn({ cell: km.layers.gruCell({ units: 32 }), inputShape: [20, 4] })`
 */
export function gruCell(args: GRUCellArgs): GRUCell {
  checkRequiredOptions(args, GRU_CELL_OPTIONS, 'km.layers.gruCell');
  return new GRUCell(args);
}

/**
 * The fully connected recurrent step, for `km.layers.rnn` (tfjs' `simpleRNNCell`).
 * @example `km.layers.rnn({ cell: km.layers.simpleRNNCell({ units: 16 }), inputShape: [10, 1] })`
 */
export function simpleRNNCell(args: SimpleRNNCellArgs): SimpleRNNCell {
  checkRequiredOptions(args, SIMPLE_RNN_CELL_OPTIONS, 'km.layers.simpleRNNCell');
  return new SimpleRNNCell(args);
}

/**
 * The ConvLSTM2D step, for `km.layers.rnn` over sequences of images (tfjs' `convLstm2dCell`): the
 * options of `convLstm2d` that belong to the cell. The RNN computes what `convLstm2d` computes with
 * the same options and weights; the cell runs alone, not in a list of cells.
 * @example `km.layers.rnn({ cell: km.layers.convLstm2dCell({ filters: 8, kernelSize: 3, padding: 'same' }), inputShape: [6, 12, 12, 1] })`
 */
export function convLstm2dCell(args: ConvLSTM2DCellArgs): ConvLSTM2DCell {
  checkRequiredOptions(args, CONV_LSTM2D_CELL_OPTIONS, 'km.layers.convLstm2dCell');
  return new ConvLSTM2DCell(args);
}

/**
 * Cells run in order at every step, for `km.layers.rnn` (tfjs' `stackedRNNCells`); `rnn({ cell: [a, b] })` is the same.
 * @example `km.layers.rnn({ cell: km.layers.stackedRNNCells({ cells: [km.layers.lstmCell({ units: 16 }), km.layers.lstmCell({ units: 8 })] }), inputShape: [20, 4] })`
 */
export function stackedRNNCells(args: StackedRNNCellsArgs): StackedRNNCells {
  checkRequiredOptions(args, STACKED_RNN_CELLS_OPTIONS, 'km.layers.stackedRNNCells');
  return new StackedRNNCells(args);
}
