import { formatShape } from '../layers/layer.js';
import { inboundTensor, modelInputIndex, outputShapesOf, type Graph } from './graph.js';

/**
 * Keras' `model.summary()` table: layer (type), output shape, parameter count, totals. Functional
 * models (anything but a chain) also list their inputs and, per layer, the tensors it reads as
 * Keras writes them (`layer[call][0]`). A shared layer is one row, its parameters counted once,
 * with one "connected to" line per call.
 */
export function summaryLines(name: string, graph: Graph, lineLength?: number): string[] {
  const functional = !graph.isChain;
  const width = lineLength ?? (functional ? 98 : 65);
  const stops = functional ? [0.33, 0.55, 0.67] : [0.45, 0.8];
  const cols = stops.map((f) => Math.floor(width * f));
  const row = (...cells: string[]) => cells.map((c, i) => (i === 0 ? ` ${c}` : c).padEnd(i < cols.length ? cols[i] - (cols[i - 1] ?? 0) : 0)).join('');
  const header = functional ? row('Layer (type)', 'Output Shape', 'Param #', 'Connected to') : row('Layer (type)', 'Output Shape', 'Param #');
  const lines = [`Model: "${name}"`, '_'.repeat(width), header, '='.repeat(width)];
  const source = (ref: number, tensor: number) => (ref < 0 ? `${graph.inputNames[modelInputIndex(ref)]}[0][0]` : `${graph.nodes[ref].layer.name}[${graph.callIndex[ref]}][${tensor}]`);
  if (functional) {
    graph.inputShapes.forEach((shape, k) => {
      lines.push(row(`${graph.inputNames[k]} (InputLayer)`, formatShape(shape), '0', ''));
      lines.push('_'.repeat(width));
    });
  }
  let total = 0;
  let trainable = 0;
  graph.layers.forEach((layer, i) => {
    const params = layer.countParams();
    total += params;
    trainable += layer.weightSpecs.filter((w) => w.trainable).reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
    const nodes = graph.nodesOf(layer).map((j) => graph.nodes[j]);
    // Every call of a layer receives the shape it was built for, so all share one output shape.
    // A layer with several outputs (an RNN's states) lists each, as Keras does.
    const cells = [`${layer.name} (${layer.className})`, outputShapesOf(nodes[0]).map(formatShape).join(', '), String(params)];
    if (!functional) {
      lines.push(row(...cells));
    } else {
      const connections = nodes.map((n) => n.inbound.map((ref, slot) => source(ref, inboundTensor(n, slot))).join(', '));
      lines.push(row(...cells, connections[0]));
      for (const more of connections.slice(1)) lines.push(row('', '', '', more));
    }
    lines.push(i === graph.layers.length - 1 ? '='.repeat(width) : '_'.repeat(width));
  });
  lines.push(`Total params: ${total.toLocaleString('en-US')}`);
  lines.push(`Trainable params: ${trainable.toLocaleString('en-US')}`);
  lines.push(`Non-trainable params: ${(total - trainable).toLocaleString('en-US')}`);
  lines.push('_'.repeat(width));
  return lines;
}
