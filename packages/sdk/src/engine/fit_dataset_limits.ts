import type { Dataset } from '../data/dataset.js';

/**
 * Keras' "When passing an infinitely repeating dataset, you must specify steps_per_epoch" (or
 * `steps`, `validation_steps`): an infinite dataset read to its end would never finish.
 */
export function refuseEndless(dataset: Dataset<unknown>, batches: number | undefined, what: string, option: string, keras: string): void {
  if (dataset.size !== Infinity || batches !== undefined) return;
  throw new Error(
    `${what}: the dataset is infinite (size Infinity: it repeats forever, e.g. after .repeat() with no count), so reading it to its end would never finish. ` +
      `Pass ${option} (Keras' ${keras}), e.g. { ${option}: 100 }, or make the dataset finite with .take(n) or .repeat(count).`,
  );
}

/** Callbacks' `params.steps`, as tfjs' fitDataset: the batches asked for, else the dataset's size when finite, else 0 (unknown until a pass counts them). */
export function knownSteps(dataset: Dataset<unknown>, batches: number | undefined): number {
  if (batches !== undefined) return batches;
  return dataset.size !== null && Number.isFinite(dataset.size) ? dataset.size : 0;
}

/** Keras' "Your input ran out of data" warning, saying how to give fit enough batches. */
export function ranOutOfData(perEpoch: number | undefined, step: number, epoch: number): string {
  if (perEpoch !== undefined) {
    return `fit(dataset): batchesPerEpoch is ${perEpoch}, but the dataset ran out after ${step} batches of epoch ${epoch + 1}; training stops here. Give the dataset at least batchesPerEpoch × epochs batches (e.g. with .repeat()).`;
  }
  return (
    `fit(dataset): your input ran out of data; interrupting training. Epoch ${epoch + 1} restarted the dataset, but it yielded no batches, so training stops after epoch ${epoch}. ` +
    'Each epoch calls dataset.iterator() again: pass km.data.generator a function that makes a fresh iterator on each call (not one already-made iterator), ' +
    'or read a long or endless source on across epochs with .repeat() and batchesPerEpoch.'
  );
}

/** tfjs' evaluateDataset warning when the data ends before `batches` batches: the results cover only what was read. */
export function evaluatedFewer(what: string, option: string, batches: number, read: number): string {
  return (
    `${what}: ${option} is ${batches}, but the dataset ran out of data after ${read} batches, so the results cover those ${read}. ` +
    `Give ${option} at most the dataset's number of batches, or omit it to read the whole dataset (repeat it with .repeat() to read more).`
  );
}
