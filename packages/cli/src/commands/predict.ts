import * as km from '@kerasm/sdk';
import { readCsvSamples } from '../csv_samples.js';
import { digitImageWarnings } from '../digit_image_checks.js';
import { noteFor } from '../json_stdout.js';
import type { PredictOptions } from '../model_args.js';
import { readInputImages } from '../model_input.js';
import { nonFinitePredictionsWarning } from '../non_finite_predictions.js';
import { formatPredictionTable } from '../output.js';
import { classProbabilities, outputKind, toPredictions } from '../predictions.js';
import { printWarnings } from '../warnings.js';
import { loadSavedModel, mnistSampleShape, notMnistError, type SavedModel } from './saved_model.js';

interface Samples {
  x: km.Tensor;
  /** True labels (targets of a regressor), when the input has them. */
  labels: ArrayLike<number> | null;
  noun: 'image' | 'row';
}

async function readSamples(options: PredictOptions, saved: SavedModel): Promise<Samples> {
  if (options.csv) return { ...(await readCsvSamples(saved, options.csv, noteFor(options.json))), noun: 'row' };
  const fix = `Predict on your data: kerasm predict ${options.dir} --input FILE.csv.`;
  const sampleShape = mnistSampleShape(saved.sampleShape);
  if (sampleShape === undefined) throw notMnistError(options.dir, saved.sampleShape, fix);
  if (options.input) {
    const invert = options.invert === true;
    const pixels = await readInputImages(options.input, { invert });
    printWarnings(digitImageWarnings(pixels, options.input, invert));
    return { x: km.tensor(pixels, [pixels.length / 784, ...sampleShape]), labels: null, noun: 'image' };
  }
  const { test } = await km.datasets.mnist.load();
  return { x: test.x.slice(0, options.count).reshape([options.count, ...sampleShape]), labels: test.y.slice(0, options.count).dataSync(), noun: 'image' };
}

/** `kerasm predict DIR`: predicted classes (or values, for a regressor) of MNIST test images, your images, or the rows of a CSV file. */
export async function runPredict(options: PredictOptions): Promise<void> {
  const saved = await loadSavedModel(options.dir, options, 'predict');
  const { model } = saved;
  const { x, labels, noun } = await readSamples(options, saved);
  const outputs = (await model.predict(x).data()) as Float32Array;
  const count = x.shape[0];
  // An output with a dimension of unknown size has the size this data gave it.
  const outputSize = saved.outputSize ?? outputs.length / count;
  printWarnings(nonFinitePredictionsWarning(outputs, outputSize, noun, () => model.getWeights().every((w) => w.dataSync().every(Number.isFinite))));
  const kind = outputKind(model.loss, outputSize);
  if (kind === 'values') {
    const rows = Array.from({ length: count }, (_, i) => ({
      index: i,
      output: Array.from(outputs.subarray(i * outputSize, (i + 1) * outputSize)),
      ...(labels ? { actual: labels[i] } : {}),
    }));
    if (options.json) process.stdout.write(`${JSON.stringify({ predictions: rows })}\n`);
    else for (const r of rows) console.log(`${noun} ${r.index}: ${r.output.map((v) => v.toPrecision(6)).join(', ')}${labels ? ` (true ${r.actual})` : ''}`);
    return;
  }
  const classes = kind === 'binary' ? 2 : outputSize;
  const probabilities = classProbabilities(outputs, kind, outputSize);
  const predictions = toPredictions(probabilities, classes, labels ?? new Array(count).fill(-1));
  if (options.json) {
    const rows = predictions.map((p) => ({
      index: p.index,
      predicted: p.predicted,
      ...(labels ? { actual: p.actual } : {}),
      confidence: p.confidence,
      probabilities: Array.from(probabilities.subarray(p.index * classes, (p.index + 1) * classes)),
    }));
    process.stdout.write(`${JSON.stringify({ predictions: rows })}\n`);
  } else if (labels) {
    console.log(formatPredictionTable(predictions, noun));
  } else {
    for (const p of predictions) console.log(`${noun} ${p.index}: ${p.predicted} (${(p.confidence * 100).toFixed(1)}%)`);
  }
}
