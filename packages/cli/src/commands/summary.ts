import * as km from '@kerasm/sdk';
import type { SummaryOptions } from '../model_args.js';

/** `kerasm summary DIR`: Keras' summary table of a saved model. */
export async function runSummary(options: SummaryOptions): Promise<void> {
  await km.ready();
  const model = await km.loadLayersModel(options.dir);
  if (!options.json) {
    model.summary();
    return;
  }
  // A functional model's layers do not form a chain: their output shapes come from its graph.
  const graphShapes = model instanceof km.Functional ? new Map(model.graph.nodes.map((n) => [n.layer, n.outputShape])) : null;
  let shape = model.inputShape ?? [];
  const layers = model.layers.map((entry) => {
    // A model saved inside this one: its own output shape.
    if (entry instanceof km.LayersModel) shape = entry.outputs[0].shape;
    else shape = graphShapes?.get(entry) ?? entry.computeOutputShape([shape]);
    return { name: entry.name, className: entry.className, outputShape: [null, ...shape], params: entry.countParams() };
  });
  const trainable = model.weightSpecs.filter((w) => w.trainable).reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
  process.stdout.write(`${JSON.stringify({ name: model.name, inputShape: [null, ...(model.inputShape ?? [])], layers, totalParams: model.countParams(), trainableParams: trainable })}\n`);
}
