import { InputLayer } from '../layers/input_layer.js';
import type { Layer } from '../layers/layer.js';
import { formatShape } from '../layers/layer_shapes.js';
import { inboundTensor, outputShapesOf, type Graph } from './graph.js';
import { outputLayerNames } from './outputs.js';
import { entryLayers, graphEntries, tensorSource } from './graph_entries.js';
import type { LayersModel } from './model.js';

/** What `model.summary()` takes besides tfjs' positional arguments: Keras' `summary` options. */
export interface SummaryOptions {
  /** Width of the table in characters (Keras' `line_length`); default 65, or 98 with a "Connected to" column. */
  lineLength?: number;
  /**
   * Where each column ends (Keras' and tfjs' `positions`), one entry per column, the last one the
   * line's end: fractions of `lineLength` when the last is at most 1, else character positions.
   */
  positions?: readonly number[];
  /** Called with each line; default `console.log`. */
  printFn?: (line: string) => void;
  /** List the layers of each model used inside this one under its row, framed (Keras' `expand_nested`). */
  expandNested?: boolean;
  /** Add a "Trainable" column: Y when `fit` trains some of the row's weights, N when none, - without weights. */
  showTrainable?: boolean;
  /**
   * Print only the rows from the first layer `layerRange[0]` names to the last one `layerRange[1]`
   * names, both included (Keras' `layer_range`); a string is a whole name, a RegExp a pattern.
   */
  layerRange?: readonly [string | RegExp, string | RegExp];
}

interface Row {
  readonly name: string;
  readonly cells: readonly string[];
  /** "Connected to" per call; one empty line for rows that read nothing. */
  readonly connections: readonly string[];
  readonly trainable: string;
  readonly nested?: LayersModel;
}

const trainableCount = (specs: readonly { trainable: boolean; shape: readonly number[] }[]) => specs.filter((w) => w.trainable).reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);

const trainableMark = (entry: Layer | LayersModel) => (entry.weightSpecs.length === 0 ? '-' : entry.weightSpecs.some((w) => w.trainable) ? 'Y' : 'N');

/**
 * One row per entry of `listed` (the model's `layers`) that `graph` computes with: a functional
 * model's InputLayers among them where Keras and tfjs list them, then each layer and each model
 * applied inside this one.
 */
function graphRows(graph: Graph, listed: readonly (Layer | LayersModel)[]): Row[] {
  const entries = graphEntries(graph);
  const named = tensorSource(graph, entries);
  const source = (ref: number, tensor: number) => {
    const [from, call, output] = named(ref, tensor);
    return `${from}[${call}][${output}]`;
  };
  const rows = new Map<Layer | LayersModel, Row>(
    entries.map(({ entry, calls, applications }) => {
      const ends = applications.map((via) => graph.applications.get(via)!);
      // Every call of a layer receives the shape it was built for, so all share one output shape.
      // A layer with several outputs (an RNN's states) lists each, as Keras does.
      const node = calls[0][0];
      const shapes = ends.length > 0 ? ends[0].outputs.map((o) => (o.ref && o.ref[0] >= 0 ? graph.shownOutputShape(o.ref[0], o.ref[1]) : o.shape)) : outputShapesOf(graph.nodes[node]).map((_, t) => graph.shownOutputShape(node, t));
      const connections =
        ends.length > 0
          ? ends.map(({ inputs }) => inputs.map(([ref, tensor]) => source(ref, tensor)).join(', '))
          : calls.map(([i]) => graph.nodes[i].inbound.map((ref, slot) => source(ref, inboundTensor(graph.nodes[i], slot))).join(', '));
      // Only a model inside this one has applications.
      const nested = ends.length > 0 ? (entry as LayersModel) : undefined;
      return [entry, { name: entry.name, cells: [`${entry.name} (${entry.className})`, shapes.map(formatShape).join(', '), String(entry.countParams())], connections, trainable: trainableMark(entry), nested }];
    }),
  );
  const inputRow = (layer: InputLayer): Row => ({ name: layer.name, cells: [`${layer.name} (InputLayer)`, formatShape(layer.batchInputShape.slice(1)), '0'], connections: [''], trainable: '-' });
  return listed.flatMap((entry) => (entry instanceof InputLayer ? [inputRow(entry)] : rows.has(entry) ? [rows.get(entry)!] : []));
}

function rangeOf(rows: readonly Row[], [first, last]: readonly [string | RegExp, string | RegExp], modelName: string): readonly Row[] {
  const matches = (pattern: string | RegExp, name: string) => (typeof pattern === 'string' ? pattern === name : pattern.test(name));
  const start = rows.findIndex((r) => matches(first, r.name));
  let end = rows.length - 1;
  while (end >= 0 && !matches(last, rows[end].name)) end--;
  const names = rows.map((r) => r.name).join(', ');
  const shown = (pattern: string | RegExp) => (typeof pattern === 'string' ? `'${pattern}'` : String(pattern));
  for (const [k, at] of [[0, start], [1, end]] as const) {
    if (at < 0) throw new Error(`summary: layerRange[${k}] (${shown([first, last][k])}) names no layer of model '${modelName}'. Its rows are: ${names}.`);
  }
  if (end < start) throw new Error(`summary: layerRange ends at '${rows[end].name}', before it starts at '${rows[start].name}'. Give the earlier layer first; the rows are: ${names}.`);
  return rows.slice(start, end + 1);
}

/**
 * `text` in lines of at most `width` characters, as Keras wraps a cell too long for its column:
 * after a tuple or a tensor reference that a comma ends (`(None, 2), `), else at a space, else
 * anywhere.
 */
function wrapCell(text: string, width: number): string[] {
  const lines: string[] = [];
  let rest = text;
  while (rest.length > width) {
    // A separator right after the width's last character still ends the line there.
    const head = rest.slice(0, width + 1);
    const afterItem = Math.max(head.lastIndexOf('), '), head.lastIndexOf('], ')) + 2;
    const atSpace = head.lastIndexOf(' ');
    const cut = afterItem > 1 ? afterItem : atSpace > 0 ? atSpace : width;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  return [...lines, rest];
}

/** The columns' ends, checked: from `positions` (fractions or character positions) or the defaults. */
function columnEnds(options: SummaryOptions, columns: readonly string[], connected: boolean): { ends: number[]; width: number } {
  const { lineLength, positions, showTrainable } = options;
  if (lineLength !== undefined && !(Number.isInteger(lineLength) && lineLength > 0)) throw new Error(`summary: lineLength must be a positive whole number of characters, but got ${lineLength}.`);
  if (positions === undefined) {
    const width = lineLength ?? (connected ? 98 : 65);
    const ends = [...(connected ? [0.33, 0.55, 0.67] : [0.45, 0.8]).map((f) => Math.floor(width * f)), width];
    // Keras widens the table by the Trainable column rather than narrowing the others.
    return showTrainable ? { ends: [...ends, width + 11], width: width + 11 } : { ends, width };
  }
  if (positions.length !== columns.length) {
    throw new Error(`summary: positions has ${positions.length} entries, but this table has ${columns.length} columns (${columns.join(', ')}). Give one end per column, the last one the line's end, e.g. [${columns.map((_, i) => ((i + 1) / columns.length).toFixed(2).replace(/0+$/, '').replace(/\.$/, '')).join(', ')}].`);
  }
  const relative = positions[positions.length - 1] <= 1;
  const width = lineLength ?? (relative ? (connected ? 98 : 65) + (showTrainable ? 11 : 0) : positions[positions.length - 1]);
  const ends = relative ? positions.map((p) => Math.floor(width * p)) : [...positions];
  if (ends.some((end, i) => !(end > (ends[i - 1] ?? 0)))) throw new Error(`summary: positions must increase from column to column and be above 0, but got [${positions.join(', ')}] (column ends ${ends.join(', ')} at a line length of ${width}).`);
  return { ends, width };
}

/**
 * Keras' `model.summary()` table: layer (type), output shape, parameter count, totals, one row per
 * entry of `listed` (the model's `layers`, so a functional model's inputs too, where Keras and tfjs
 * list them). Models that are not a chain also list, per layer, the tensors it reads as Keras writes
 * them (`layer[call][0]`). A shared layer is one row, its parameters counted once,
 * with one "connected to" line per call; so is a model applied inside this one (a pretrained base),
 * whose own rows `expandNested` lists under it in a frame, as Keras does. `graphOf` gives such a
 * model's graph. A model with named outputs says which layer computes each name above the totals.
 * Entries of `listed` that `graph` leaves out (the layers a km.Model's call applies only when
 * training) are named there too, and counted in the totals.
 */
export function summaryLines(name: string, graph: Graph, listed: readonly (Layer | LayersModel)[], options: SummaryOptions, graphOf: (model: LayersModel) => Graph): string[] {
  const connected = !graph.isChain;
  const columns = ['Layer (type)', 'Output Shape', 'Param #', ...(connected ? ['Connected to'] : []), ...(options.showTrainable ? ['Trainable'] : [])];
  const { ends, width } = columnEnds(options, columns, connected);
  // Rows inside `depth` frames keep the columns where the outer rows have them; the name column gives
  // up the frames' width. Each cell wraps within its column, leaving a space before the next one (and
  // the first a space before the text), so a row may take several lines.
  const row = (cells: readonly string[], depth: number): string[] => {
    const widths = cells.map((_, i) => (i === 0 ? ends[0] - depth : (i === cells.length - 1 ? width - 2 * depth : ends[i]) - ends[i - 1]));
    const wrapped = cells.map((c, i) => wrapCell(c, Math.max(1, widths[i] - (i === 0 ? 2 : i === cells.length - 1 ? 0 : 1))));
    const height = Math.max(...wrapped.map((w) => w.length));
    return Array.from({ length: height }, (_, line) => wrapped.map((w, i) => `${i === 0 ? ' ' : ''}${w[line] ?? ''}`.padEnd(i === cells.length - 1 ? 0 : widths[i])).join(''));
  };
  const framed = (text: string, depth: number) => (depth === 0 ? text : `${'|'.repeat(depth)}${text.padEnd(width - 2 * depth)}${'|'.repeat(depth)}`);
  const lines = [`Model: "${name}"`, '_'.repeat(width), ...row(columns, 0), '='.repeat(width)];
  const print = (rows: readonly Row[], depth: number) => {
    rows.forEach((r, k) => {
      const last = k === rows.length - 1;
      const trainable = options.showTrainable ? [r.trainable] : [];
      const cells = connected ? r.connections.map((connection, call) => (call === 0 ? [...r.cells, connection, ...trainable] : ['', '', '', connection])) : [[...r.cells, ...trainable]];
      for (const line of cells.flatMap((c) => row(c, depth))) lines.push(framed(line, depth));
      if (options.expandNested && r.nested) {
        lines.push(framed('¯'.repeat(width - 2 * depth - 2), depth + 1));
        print(graphRows(graphOf(r.nested), r.nested.layers), depth + 1);
        // The frame's closing line ends the row, in place of the line under it.
        lines.push(framed('¯'.repeat(width - 2 * depth), depth));
        if (depth === 0 && last) lines.push('='.repeat(width));
      } else if (depth === 0) lines.push((last ? '=' : '_').repeat(width));
      else if (!last) lines.push(framed('_'.repeat(width - 2 * depth), depth));
    });
  };
  const rows = graphRows(graph, listed);
  print(options.layerRange ? rangeOf(rows, options.layerRange, name) : rows, 0);
  // A nested model's rows count all its weights, an output head this model leaves unused included, and so do the totals.
  // So do the layers a km.Model's call applies only when training, which its (inference) graph leaves out.
  const inGraph = new Set(graphEntries(graph).map(({ entry }) => entry));
  const trainingOnly = listed.filter((entry) => !(entry instanceof InputLayer) && !inGraph.has(entry));
  const counted = [...entryLayers(graph), ...trainingOnly.flatMap((entry) => ('allLayers' in entry ? entry.allLayers : [entry]))];
  const total = counted.reduce((s, layer) => s + layer.countParams(), 0);
  const trainable = counted.reduce((s, layer) => s + trainableCount(layer.weightSpecs), 0);
  // The table names layers; named outputs (Keras 3's dict outputs) are keyed otherwise, so say which layer each name is.
  if (graph.outputKeys) {
    const layers = outputLayerNames(graph);
    lines.push(`Outputs by name: ${graph.outputKeys.map((key, k) => `${key} = ${layers[k]}`).join(', ')}`);
  }
  if (trainingOnly.length > 0) lines.push(`Applied only when training: ${trainingOnly.map((entry) => `${entry.name} (${entry.className}, ${entry.countParams().toLocaleString('en-US')} params)`).join(', ')}`);
  lines.push(`Total params: ${total.toLocaleString('en-US')}`);
  lines.push(`Trainable params: ${trainable.toLocaleString('en-US')}`);
  lines.push(`Non-trainable params: ${(total - trainable).toLocaleString('en-US')}`);
  lines.push('_'.repeat(width));
  return lines;
}
