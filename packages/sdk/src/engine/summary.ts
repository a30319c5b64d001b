import { formatShape } from '../layers/layer.js';
import type { Graph } from './graph.js';

/** Keras' `model.summary()` table: layer (type), output shape, parameter count, totals. */
export function summaryLines(name: string, graph: Graph, lineLength = 65): string[] {
  const cols = [Math.floor(lineLength * 0.45), Math.floor(lineLength * 0.8)];
  const row = (a: string, b: string, c: string) => ` ${a}`.padEnd(cols[0]) + b.padEnd(cols[1] - cols[0]) + c;
  const lines = [`Model: "${name}"`, '_'.repeat(lineLength), row('Layer (type)', 'Output Shape', 'Param #'), '='.repeat(lineLength)];
  let total = 0;
  let trainable = 0;
  graph.nodes.forEach((node, i) => {
    const params = node.layer.countParams();
    total += params;
    trainable += node.layer.weightSpecs.filter((w) => w.trainable).reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
    lines.push(row(`${node.layer.name} (${node.layer.className})`, formatShape(node.outputShape), String(params)));
    lines.push(i === graph.nodes.length - 1 ? '='.repeat(lineLength) : '_'.repeat(lineLength));
  });
  lines.push(`Total params: ${total.toLocaleString('en-US')}`);
  lines.push(`Trainable params: ${trainable.toLocaleString('en-US')}`);
  lines.push(`Non-trainable params: ${(total - trainable).toLocaleString('en-US')}`);
  lines.push('_'.repeat(lineLength));
  return lines;
}
