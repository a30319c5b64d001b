import * as km from '@kerasm/sdk';
import type { EvaluateOptions, PredictOptions, SummaryOptions } from '../model_args.js';
import { readInputImages } from '../model_input.js';
import { formatPredictionTable, formatTestResult } from '../output.js';
import { toPredictions } from '../predictions.js';

const CLASSES = 10;

async function loadModel(dir: string): Promise<km.LayersModel> {
  await km.ready();
  return km.loadLayersModel(dir);
}

/** `kerasm evaluate DIR`: test loss and accuracy of a saved model on the 10,000 MNIST test images. */
export async function runEvaluate(options: EvaluateOptions): Promise<void> {
  const model = await loadModel(options.dir);
  if (!model.optimizer) model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const { test } = await km.datasets.mnist.load();
  const [loss, accuracy] = await model.evaluate(test.x, test.y, { batchSize: options.batchSize, verbose: 0 });
  if (options.json) process.stdout.write(`${JSON.stringify({ test: { loss, accuracy }, samples: test.x.shape[0] })}\n`);
  else console.log(formatTestResult({ loss, accuracy }));
}

/** `kerasm predict DIR`: predicted digits for the first N test images, or for `--input`. */
export async function runPredict(options: PredictOptions): Promise<void> {
  const model = await loadModel(options.dir);
  let x: km.Tensor;
  let labels: ArrayLike<number> | null = null;
  if (options.input) {
    const pixels = await readInputImages(options.input);
    x = km.tensor(pixels, [pixels.length / 784, 28, 28]);
  } else {
    const { test } = await km.datasets.mnist.load();
    x = test.x.slice(0, options.count);
    labels = test.y.slice(0, options.count).dataSync();
  }
  const probabilities = await model.predict(x.reshape([x.shape[0], ...(model.inputShape ?? [28, 28])])).data();
  const predictions = toPredictions(probabilities, CLASSES, labels ?? new Array(x.shape[0]).fill(-1));
  if (options.json) {
    const rows = predictions.map((p) => ({
      index: p.index,
      predicted: p.predicted,
      ...(labels ? { actual: p.actual } : {}),
      confidence: p.confidence,
      probabilities: Array.from(probabilities.subarray(p.index * CLASSES, (p.index + 1) * CLASSES)),
    }));
    process.stdout.write(`${JSON.stringify({ predictions: rows })}\n`);
  } else if (labels) {
    console.log(formatPredictionTable(predictions));
  } else {
    for (const p of predictions) console.log(`image ${p.index}: ${p.predicted} (${(p.confidence * 100).toFixed(1)}%)`);
  }
}

/** `kerasm summary DIR`: Keras' summary table of a saved model. */
export async function runSummary(options: SummaryOptions): Promise<void> {
  const model = await loadModel(options.dir);
  if (!options.json) {
    model.summary();
    return;
  }
  // A functional model's layers do not form a chain: their output shapes come from its graph.
  const graphShapes = model instanceof km.Functional ? new Map(model.graph.nodes.map((n) => [n.layer, n.outputShape])) : null;
  let shape = model.inputShape ?? [];
  const layers = model.layers.map((layer) => {
    shape = graphShapes?.get(layer) ?? layer.computeOutputShape([shape]);
    return { name: layer.name, className: layer.className, outputShape: [null, ...shape], params: layer.countParams() };
  });
  const trainable = model.layers.flatMap((l) => l.weightSpecs).filter((w) => w.trainable).reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
  process.stdout.write(`${JSON.stringify({ name: model.name, inputShape: [null, ...(model.inputShape ?? [])], layers, totalParams: model.countParams(), trainableParams: trainable })}\n`);
}
