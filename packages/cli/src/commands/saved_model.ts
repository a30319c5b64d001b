import * as km from '@kerasm/sdk';
import { useBackend } from '../backend_choice.js';
import type { BackendChoice } from '../backend_flags.js';
import { recordedCsvColumns, type CsvColumns } from '../csv_columns.js';
import type { LoadFlags, ModelCommandName } from '../model_args.js';
import { dataSampleShape, sampleSize, type SampleShape } from '../sample_shape.js';
import { loadWithInputShapes } from './load_with_input_shapes.js';

/** A loaded model with the one input and one output that `evaluate` and `predict` feed and read. */
export interface SavedModel {
  model: km.LayersModel;
  /** One input sample's shape, without the batch axis; null for a dimension the data sizes (Keras' None). */
  sampleShape: SampleShape;
  /** Values per sample in the output: the class count of a classifier; null when the output has a dimension of unknown size. */
  outputSize: number | null;
  /** The CSV columns it was trained on, when `kerasm train --save` recorded them. */
  csvColumns?: CsvColumns;
}

/**
 * Loads the model saved in `dir` onto the chosen backend, with `--input-shape`'s sizes for inputs
 * saved with unknown dimensions (without it, those take the data's sizes), refusing one with several inputs or outputs (the CLI has one set
 * of samples to feed). `command` is the one whose help a flag error points to.
 */
export async function loadSavedModel(dir: string, options: BackendChoice & LoadFlags, command: ModelCommandName): Promise<SavedModel> {
  await useBackend(options);
  const model = await loadWithInputShapes(dir, options.inputShapes ?? [], `kerasm ${command} --help`);
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new Error(
      `The model in ${dir} has ${count(model.inputs.length, 'input')} and ${count(model.outputs.length, 'output')}; kerasm evaluate and predict take a model with one of each. ` +
        'Load it with km.loadLayersModel and call evaluate or predict from code.',
    );
  }
  const csvColumns = recordedCsvColumns(model, dir);
  return { model, sampleShape: model.inputShape!, outputSize: sampleSize(model.outputs[0].shape), ...(csvColumns ? { csvColumns } : {}) };
}

/**
 * Compiles a model saved without its training config the way MNIST classifiers are (sparse
 * categorical cross-entropy and accuracy) when its output has one probability per class; a model
 * with a single output value could be a regressor or a binary classifier, so it is refused.
 */
export function compileForEvaluation({ model, outputSize }: SavedModel, dir: string): void {
  if (model.compileSpec) return;
  if (outputSize !== null && outputSize < 2) {
    throw new Error(
      `The model in ${dir} was saved without its training config, so its loss is unknown, and its single output value could be a regression or a binary class. ` +
        "Save it after compile (kerasm train --save does), or evaluate it from code with model.compile({ loss, metrics }).",
    );
  }
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The error for MNIST's images fed to a model that takes other samples. */
export function notMnistError(dir: string, sampleShape: SampleShape, fix: string): Error {
  return new Error(`The model in ${dir} takes samples of shape [${sampleShape.join(', ')}], not MNIST's 28x28 images. ${fix}`);
}

/** The shape one 28x28 image takes for `sampleShape` (as [28, 28], [784] or [28, 28, 1], an unknown dimension sized to fit); undefined when it takes other samples. */
export function mnistSampleShape(sampleShape: SampleShape): number[] | undefined {
  return dataSampleShape(sampleShape, 28 * 28);
}
