import { formatShape, type Layer } from '../layers/layer.js';
import { inboundTensor, modelInputIndex, outputShapesOf, type Graph } from './graph.js';
import type { LayersModel } from './model.js';
import type { ModelApplication } from './symbolic.js';

/** A summary row: a layer, or a model applied inside this one, with the nodes of each of its calls. */
interface Row {
  readonly entry: Layer | LayersModel;
  /** Whether the entry is a model applied inside this one. */
  readonly nested: boolean;
  /** Per call, its node indices: one node for a layer, every node of one application for a model. */
  readonly calls: number[][];
}

/** The rows in the order of their first node; a model applied inside this one is one row, each application a call. */
function rowsOf(graph: Graph): Row[] {
  const rows = new Map<Layer | LayersModel, Row>();
  const applications = new Map<ModelApplication, number[]>();
  graph.nodes.forEach((node, i) => {
    const entry = node.via?.model ?? node.layer;
    let row = rows.get(entry);
    if (!row) rows.set(entry, (row = { entry, nested: node.via !== undefined, calls: [] }));
    if (!node.via) {
      row.calls.push([i]);
      return;
    }
    const call = applications.get(node.via);
    if (call) call.push(i);
    else applications.set(node.via, row.calls[row.calls.push([i]) - 1]);
  });
  return [...rows.values()];
}

/** The `[node, tensor]` outputs of a call that are read outside it or are model outputs, in node order. */
function callOutputs(graph: Graph, call: readonly number[]): [number, number][] {
  const inside = new Set(call);
  const found = new Map<string, [number, number]>();
  const note = (ref: number, tensor: number) => inside.has(ref) && found.set(`${ref}:${tensor}`, [ref, tensor]);
  graph.nodes.forEach((node, i) => !inside.has(i) && node.inbound.forEach((ref, slot) => note(ref, inboundTensor(node, slot))));
  graph.outputs.forEach((ref, k) => note(ref, graph.outputTensors[k]));
  return [...found.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

const trainableCount = (specs: readonly { trainable: boolean; shape: readonly number[] }[]) => specs.filter((w) => w.trainable).reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);

/**
 * Keras' `model.summary()` table: layer (type), output shape, parameter count, totals. Functional
 * models (anything but a chain) also list their inputs and, per layer, the tensors it reads as
 * Keras writes them (`layer[call][0]`). A shared layer is one row, its parameters counted once,
 * with one "connected to" line per call; so is a model applied inside this one (a pretrained base).
 */
export function summaryLines(name: string, graph: Graph, lineLength?: number): string[] {
  const functional = !graph.isChain;
  const width = lineLength ?? (functional ? 98 : 65);
  const stops = functional ? [0.33, 0.55, 0.67] : [0.45, 0.8];
  const cols = stops.map((f) => Math.floor(width * f));
  const row = (...cells: string[]) => cells.map((c, i) => (i === 0 ? ` ${c}` : c).padEnd(i < cols.length ? cols[i] - (cols[i - 1] ?? 0) : 0)).join('');
  const header = functional ? row('Layer (type)', 'Output Shape', 'Param #', 'Connected to') : row('Layer (type)', 'Output Shape', 'Param #');
  const lines = [`Model: "${name}"`, '_'.repeat(width), header, '='.repeat(width)];
  const rows = rowsOf(graph);
  // A node inside a model applied here is read as that application's output: `base[call][output]`.
  const viaOutputs = new Map<number, { label: string; outputs: [number, number][] }>();
  for (const { entry, nested, calls } of rows) {
    if (!nested) continue;
    calls.forEach((call, k) => {
      const outputs = callOutputs(graph, call);
      for (const i of call) viaOutputs.set(i, { label: `${entry.name}[${k}]`, outputs });
    });
  }
  const source = (ref: number, tensor: number) => {
    if (ref < 0) return `${graph.inputNames[modelInputIndex(ref)]}[0][0]`;
    const via = viaOutputs.get(ref);
    if (via) return `${via.label}[${via.outputs.findIndex(([n, t]) => n === ref && t === tensor)}]`;
    return `${graph.nodes[ref].layer.name}[${graph.callIndex[ref]}][${tensor}]`;
  };
  if (functional) {
    graph.inputShapes.forEach((shape, k) => {
      lines.push(row(`${graph.inputNames[k]} (InputLayer)`, formatShape(shape), '0', ''));
      lines.push('_'.repeat(width));
    });
  }
  /** The tensors a call reads from outside it, as Keras writes them; a layer's in slot order, a model's each once. */
  const reads = (call: readonly number[]) => {
    const inside = new Set(call);
    const read = call.flatMap((i) => graph.nodes[i].inbound.flatMap((ref, slot) => (inside.has(ref) ? [] : [source(ref, inboundTensor(graph.nodes[i], slot))])));
    return (call.length > 1 ? [...new Set(read)] : read).join(', ');
  };
  rows.forEach(({ entry, nested, calls }, r) => {
    const first = calls[0];
    // Every call of a layer receives the shape it was built for, so all share one output shape.
    // A layer with several outputs (an RNN's states) lists each, as Keras does.
    const shapes = nested ? callOutputs(graph, first).map(([n, t]) => outputShapesOf(graph.nodes[n])[t]) : outputShapesOf(graph.nodes[first[0]]);
    const cells = [`${entry.name} (${entry.className})`, shapes.map(formatShape).join(', '), String(entry.countParams())];
    if (!functional) {
      lines.push(row(...cells));
    } else {
      const connections = calls.map(reads);
      lines.push(row(...cells, connections[0]));
      for (const more of connections.slice(1)) lines.push(row('', '', '', more));
    }
    lines.push(r === rows.length - 1 ? '='.repeat(width) : '_'.repeat(width));
  });
  const total = graph.layers.reduce((s, layer) => s + layer.countParams(), 0);
  const trainable = graph.layers.reduce((s, layer) => s + trainableCount(layer.weightSpecs), 0);
  lines.push(`Total params: ${total.toLocaleString('en-US')}`);
  lines.push(`Trainable params: ${trainable.toLocaleString('en-US')}`);
  lines.push(`Non-trainable params: ${(total - trainable).toLocaleString('en-US')}`);
  lines.push('_'.repeat(width));
  return lines;
}
