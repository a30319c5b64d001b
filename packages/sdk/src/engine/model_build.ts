import { sameShape } from '../tensor.js';
import type { SampleShape } from './unknown_dims.js';
import type { Graph } from './graph.js';

/** The sample shapes (batch dimension dropped) of `build`'s one input shape or list of them, checked. */
export function buildSamples(inputShape: unknown, where: string): SampleShape[] {
  const list = Array.isArray(inputShape) && inputShape.length > 0 && inputShape.every((d) => Array.isArray(d)) ? (inputShape as unknown[][]) : [inputShape];
  return list.map((shape) => {
    const sample = Array.isArray(shape) ? shape.slice(1) : [];
    const batch = Array.isArray(shape) ? shape[0] : undefined;
    const batchOk = batch === null || batch === undefined || (Number.isInteger(batch) && (batch as number) > 0);
    if (!Array.isArray(shape) || sample.length === 0 || !batchOk || !sample.every((d) => d === null || (Number.isInteger(d) && (d as number) > 0))) {
      throw new Error(`${where} takes the input shape with the batch dimension first, null or a size, then every sample dimension as a positive integer or null for any size, as Keras and tfjs write it: [null, 784], [null, 28, 28] or [null, null, 8]. Received: ${JSON.stringify(shape)}.`);
    }
    return sample as SampleShape;
  });
}

/** Throws unless model `name`, not built yet, can be built for `samples`: it has layers, and one input. */
export function checkBuildable(name: string, layerCount: number, samples: readonly SampleShape[]): void {
  if (layerCount === 0) throw new Error(`Model '${name}' has no layers to build: add some first (model.add(km.layers.dense({ units: 10 }))).`);
  if (samples.length !== 1) throw new Error(`Model '${name}'.build: the model has one input, but ${samples.length} input shapes were given. Pass one shape, such as [null, ${samples[0].join(', ')}].`);
}

/** Throws unless `samples` are the input shapes model `name` is built for (`graph`'s): a built model builds for no other. */
export function checkBuiltFor(name: string, graph: Graph, samples: readonly SampleShape[]): void {
  const shown = graph.inputShapes.map((_, k) => graph.shownInputShape(k));
  const own = shown.map(withBatch).join(', ');
  if (samples.length !== shown.length || samples.some((shape, i) => !sameShape(shape, shown[i]))) {
    throw new Error(`Model '${name}' is built for inputs of shape ${own}, so it cannot be built for ${samples.map(withBatch).join(', ')}. Build a new model for that shape.`);
  }
}

/** A sample shape with the batch first, as `build` takes it: `[null, null, 8]`. */
function withBatch(shape: SampleShape): string {
  return `[${[null, ...shape].map(String).join(', ')}]`;
}
