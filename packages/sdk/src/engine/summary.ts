import { formatShape } from '../layers/layer.js';
import { modelInputIndex, type Graph } from './graph.js';

/**
 * Keras' `model.summary()` table: layer (type), output shape, parameter count, totals. Functional
 * models (anything but a chain) also list their inputs and, per layer, the layers it reads.
 */
export function summaryLines(name: string, graph: Graph, lineLength?: number): string[] {
  const functional = !graph.isChain;
  const width = lineLength ?? (functional ? 98 : 65);
  const stops = functional ? [0.33, 0.55, 0.67] : [0.45, 0.8];
  const cols = stops.map((f) => Math.floor(width * f));
  const row = (...cells: string[]) => cells.map((c, i) => (i === 0 ? ` ${c}` : c).padEnd(i < cols.length ? cols[i] - (cols[i - 1] ?? 0) : 0)).join('');
  const header = functional ? row('Layer (type)', 'Output Shape', 'Param #', 'Connected to') : row('Layer (type)', 'Output Shape', 'Param #');
  const lines = [`Model: "${name}"`, '_'.repeat(width), header, '='.repeat(width)];
  const source = (ref: number) => (ref < 0 ? graph.inputNames[modelInputIndex(ref)] : graph.nodes[ref].layer.name);
  if (functional) {
    graph.inputShapes.forEach((shape, k) => {
      lines.push(row(`${graph.inputNames[k]} (InputLayer)`, formatShape(shape), '0', ''));
      lines.push('_'.repeat(width));
    });
  }
  let total = 0;
  let trainable = 0;
  graph.nodes.forEach((node, i) => {
    const params = node.layer.countParams();
    total += params;
    trainable += node.layer.weightSpecs.filter((w) => w.trainable).reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
    const cells = [`${node.layer.name} (${node.layer.className})`, formatShape(node.outputShape), String(params)];
    if (functional) cells.push(node.inbound.map(source).join(', '));
    lines.push(row(...cells));
    lines.push(i === graph.nodes.length - 1 ? '='.repeat(width) : '_'.repeat(width));
  });
  lines.push(`Total params: ${total.toLocaleString('en-US')}`);
  lines.push(`Trainable params: ${trainable.toLocaleString('en-US')}`);
  lines.push(`Non-trainable params: ${(total - trainable).toLocaleString('en-US')}`);
  lines.push('_'.repeat(width));
  return lines;
}
