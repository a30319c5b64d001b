import { formatShape } from '../layers/layer.js';
import { inboundTensor, outputShapesOf, type Graph } from './graph.js';
import { graphEntries, tensorSource } from './graph_entries.js';

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
  const entries = graphEntries(graph);
  const named = tensorSource(graph, entries);
  const source = (ref: number, tensor: number) => {
    const [from, call, output] = named(ref, tensor);
    return `${from}[${call}][${output}]`;
  };
  if (functional) {
    graph.inputShapes.forEach((shape, k) => {
      lines.push(row(`${graph.inputNames[k]} (InputLayer)`, formatShape(shape), '0', ''));
      lines.push('_'.repeat(width));
    });
  }
  entries.forEach(({ entry, calls, applications }, r) => {
    const ends = applications.map((via) => graph.applications.get(via)!);
    // Every call of a layer receives the shape it was built for, so all share one output shape.
    // A layer with several outputs (an RNN's states) lists each, as Keras does.
    const shapes = ends.length > 0 ? ends[0].outputs.map((o) => o.shape) : outputShapesOf(graph.nodes[calls[0][0]]);
    const cells = [`${entry.name} (${entry.className})`, shapes.map(formatShape).join(', '), String(entry.countParams())];
    if (!functional) {
      lines.push(row(...cells));
    } else {
      const connections =
        ends.length > 0
          ? ends.map(({ inputs }) => inputs.map(([ref, tensor]) => source(ref, tensor)).join(', '))
          : calls.map(([i]) => graph.nodes[i].inbound.map((ref, slot) => source(ref, inboundTensor(graph.nodes[i], slot))).join(', '));
      lines.push(row(...cells, connections[0]));
      for (const more of connections.slice(1)) lines.push(row('', '', '', more));
    }
    lines.push(r === entries.length - 1 ? '='.repeat(width) : '_'.repeat(width));
  });
  const total = graph.layers.reduce((s, layer) => s + layer.countParams(), 0);
  const trainable = graph.layers.reduce((s, layer) => s + trainableCount(layer.weightSpecs), 0);
  lines.push(`Total params: ${total.toLocaleString('en-US')}`);
  lines.push(`Trainable params: ${trainable.toLocaleString('en-US')}`);
  lines.push(`Non-trainable params: ${(total - trainable).toLocaleString('en-US')}`);
  lines.push('_'.repeat(width));
  return lines;
}
