import * as km from '@kerasm/sdk';
import { targetsFor } from '../class_targets.js';
import { evaluateCsv } from '../csv_samples.js';
import { noteFor } from '../json_stdout.js';
import type { EvaluateOptions } from '../model_args.js';
import { formatTestResult, namedResults } from '../output.js';
import { compileForEvaluation, loadSavedModel, mnistSampleShape, notMnistError } from './saved_model.js';

/** `kerasm evaluate DIR`: the loss and metrics of a saved model on the MNIST test images, or on `--data FILE.csv`. */
export async function runEvaluate(options: EvaluateOptions): Promise<void> {
  const saved = await loadSavedModel(options.dir, options, 'evaluate');
  compileForEvaluation(saved, options.dir);
  const { model } = saved;
  let values: number[];
  let samples: number;
  if (options.data) {
    ({ values, samples } = await evaluateCsv(saved, options.data, options.batchSize, noteFor(options.json)));
  } else {
    const sampleShape = mnistSampleShape(saved.sampleShape);
    if (sampleShape === undefined) throw notMnistError(options.dir, saved.sampleShape, `Evaluate it on your data: kerasm evaluate ${options.dir} --data FILE.csv --label-column NAME.`);
    const { test } = await km.datasets.mnist.load();
    samples = test.x.shape[0];
    values = await model.evaluate(test.x.reshape([samples, ...sampleShape]), targetsFor(model, test.y), { batchSize: options.batchSize, verbose: 0 });
  }
  const test = namedResults(model.metricsNames, values);
  if (options.json) process.stdout.write(`${JSON.stringify({ test, samples })}\n`);
  else console.log(formatTestResult(test));
}
