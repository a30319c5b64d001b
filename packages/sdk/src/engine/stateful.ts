import type { Layer } from '../layers/layer.js';

/** A layer that may keep states from batch to batch (the recurrent layers with `stateful: true`). */
interface MaybeStateful {
  readonly stateful?: unknown;
  resetStates?(): void;
}

/** The model's layers built with `stateful: true`. */
export function statefulLayers(layers: readonly Layer[]): Layer[] {
  return layers.filter((layer) => (layer as MaybeStateful).stateful === true);
}

/** Sets the kept states of every stateful layer back to zero (`model.resetStates()`). */
export function resetStatefulLayers(layers: readonly Layer[]): void {
  for (const layer of statefulLayers(layers)) (layer as MaybeStateful).resetStates?.();
}

/**
 * Before `fit`, `evaluate` or `predict` runs a model with stateful layers: each sample's states pass
 * to the same row of the next batch, so the batch size must be the fixed one the model declares,
 * every batch full, and (in `fit`) the samples unshuffled, as Keras requires.
 */
export function checkStatefulBatches(layers: readonly Layer[], what: string, batchSize: number, samples: number, shuffle?: boolean): void {
  const stateful = statefulLayers(layers);
  if (stateful.length === 0) return;
  const layer = stateful[0];
  const named = `layer '${layer.name}' (${layer.className})`;
  const fixed = layer.declaredBatchSize ?? layers.find((l) => l.declaredBatchSize !== undefined)?.declaredBatchSize;
  if (fixed === undefined) {
    throw new Error(`${named[0].toUpperCase()}${named.slice(1)} is stateful, so it needs a fixed batch size (each sample's states start the same row of the next batch), but none is declared. ` +
      `Give the layer batchSize, e.g. km.layers.lstm({ units, stateful: true, batchSize: 4 }) (for a layer called on its own, as in layer.apply(x)), ` +
      `or give a model's first layer batchInputShape: [batchSize, ...inputShape], e.g. km.layers.lstm({ units, stateful: true, batchInputShape: [4, 10, 1] }).`);
  }
  if (batchSize !== fixed) {
    throw new Error(`${what} received batchSize: ${batchSize}, but the model's stateful ${named} keeps the states of ${fixed} samples (the batch size it was built with). Pass batchSize: ${fixed}.`);
  }
  if (samples % fixed !== 0) {
    throw new Error(`${what} received ${samples} samples, which do not split into full batches of ${fixed}, the batch size of the model's stateful ${named}: its last batch would hold ${samples % fixed}. ` +
      `Give a multiple of ${fixed} samples (drop or pad the last ${samples % fixed}).`);
  }
  if (shuffle !== undefined && shuffle !== false) {
    throw new Error(`${what} would shuffle the samples (shuffle: true, the default), but the model's ${named} is stateful: each sample's states start the same row of the next batch, so the order must be kept. Pass shuffle: false, as Keras requires.`);
  }
}
