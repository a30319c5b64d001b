import * as km from '@kerasm/sdk';
import type { SummaryOptions } from '../model_args.js';
import type { SampleShape } from '../sample_shape.js';
import { loadWithInputShapes } from './load_with_input_shapes.js';

interface LayerRecord {
  name: string;
  className: string;
  outputShape: (number | null)[];
  params: number;
  trainable?: boolean;
  layers?: LayerRecord[];
}

/** One record per entry of `model.layers`; a model inside gets its own records when `expandNested`. */
function layerRecords(model: km.LayersModel, options: SummaryOptions): LayerRecord[] {
  // A functional model's layers do not form a chain: their output shapes come from its graph, null
  // where they follow an input's unknown dimension.
  const graph = model instanceof km.Functional ? model.graph : null;
  const graphShapes = graph ? new Map(graph.nodes.map((n, i) => [n.layer, graph.shownOutputShape(i)])) : null;
  let shape: SampleShape = model.inputShape ?? [];
  return model.layers.map((entry) => {
    if (entry instanceof km.LayersModel) shape = entry.outputs[0].shape;
    else if (entry instanceof km.layers.InputLayer) shape = entry.batchInputShape.slice(1);
    else shape = graphShapes?.get(entry) ?? chainedShape(entry, shape);
    const record: LayerRecord = { name: entry.name, className: entry.className, outputShape: [null, ...shape], params: entry.countParams() };
    if (options.showTrainable) record.trainable = entry.weightSpecs.some((w) => w.trainable);
    if (options.expandNested && entry instanceof km.LayersModel) record.layers = layerRecords(entry, options);
    return record;
  });
}

/** The output shape of `layer` in a chain, given its input's: a layer's own record where a dimension is unknown, which only tracing the model gives. */
function chainedShape(layer: km.layers.Layer, input: SampleShape): SampleShape {
  if (input.every((d) => d !== null)) return layer.computeOutputShape([input as number[]]);
  return layer.outputShape as SampleShape;
}

/** `kerasm summary DIR`: Keras' summary table of a saved model. */
export async function runSummary(options: SummaryOptions): Promise<void> {
  await km.ready();
  const model = await loadWithInputShapes(options.dir, options.inputShapes ?? [], 'kerasm summary --help');
  if (!options.json) {
    model.summary({ expandNested: options.expandNested, showTrainable: options.showTrainable });
    return;
  }
  const trainable = model.weightSpecs.filter((w) => w.trainable).reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
  process.stdout.write(`${JSON.stringify({ name: model.name, inputShape: [null, ...(model.inputShape ?? [])], layers: layerRecords(model, options), totalParams: model.countParams(), trainableParams: trainable })}\n`);
}
