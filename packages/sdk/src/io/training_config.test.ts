import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { savedArtifacts } from '../testing/saved_artifacts.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  await km.ready();
  await tf.setBackend('cpu');
});

/** features [3] -> hidden -> class (3, softmax) and value (1). */
function twoHeaded(): km.Functional {
  km.utils.setRandomSeed(4);
  const features = km.input({ shape: [3], name: 'features' });
  const hidden = km.layers.dense({ units: 5, activation: 'tanh', name: 'hidden' }).apply(features);
  const cls = km.layers.dense({ units: 3, activation: 'softmax', name: 'class' }).apply(hidden);
  const value = km.layers.dense({ units: 1, name: 'value' }).apply(hidden);
  return km.model({ inputs: features, outputs: [cls, value] });
}

const random = new Random(8);
const x = km.tensor(Array.from({ length: 12 }, () => [random.uniform(-1, 1), random.uniform(-1, 1), random.uniform(-1, 1)]));
const labels = km.tensor(Array.from({ length: 12 }, (_, i) => i % 3), [12], 'int32');
const values = km.tensor(Array.from({ length: 12 }, () => [random.uniform(-1, 1)]));

const compiles: { name: string; args: () => km.ModelCompileArgs; saved: Partial<km.io.TrainingConfig> }[] = [
  {
    name: 'a loss list, lossWeights and per-output metrics',
    args: () => ({ optimizer: km.optimizers.rmsprop({ learningRate: 0.01 }), loss: ['sparseCategoricalCrossentropy', 'meanSquaredError'], lossWeights: [1, 0.25], metrics: { class: ['accuracy'], value: ['meanAbsoluteError', 'meanSquaredError'] } }),
    saved: { loss: ['sparse_categorical_crossentropy', 'mean_squared_error'], loss_weights: [1, 0.25], metrics: { class: 'accuracy', value: ['meanAbsoluteError', 'meanSquaredError'] } },
  },
  {
    name: 'a loss object keyed by output with a configured km.losses loss',
    args: () => ({ optimizer: 'adagrad', loss: { value: km.losses.huber({ delta: 0.3 }), class: 'sparse_categorical_crossentropy' }, lossWeights: { value: 2 }, metrics: ['accuracy'] }),
    saved: { loss: { value: { class_name: 'Huber', config: { delta: 0.3 } }, class: 'sparse_categorical_crossentropy' }, loss_weights: { value: 2 }, metrics: ['accuracy'] },
  },
];

describe('a multi-output model saves its losses, loss weights and metrics', () => {
  it.each(compiles)('$name: evaluate after load = evaluate before save, and training resumes exactly', async ({ args, saved }) => {
    const model = twoHeaded();
    model.compile(args());
    await model.fit(x, [labels, values], { epochs: 2, batchSize: 6, shuffle: false, verbose: 0 });
    const before = await model.evaluate(x, [labels, values], { verbose: 0 });
    const artifacts = await savedArtifacts(model);
    expect(artifacts.trainingConfig).toMatchObject(saved);

    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(await loaded.evaluate(x, [labels, values], { verbose: 0 })).toEqual(before);
    // Per-output losses are weighted in the total: a wrong weight would change it.
    expect(before.length).toBeGreaterThanOrEqual(4);
    await model.fit(x, [labels, values], { epochs: 1, batchSize: 6, shuffle: false, verbose: 0 });
    await loaded.fit(x, [labels, values], { epochs: 1, batchSize: 6, shuffle: false, verbose: 0 });
    expect(loaded.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(model.getWeights().map((w) => Array.from(w.dataSync())));
  });

  it('tfjs-layers 4.22 loads a loss list compiled, and refuses loss_weights, as its loadTrainingConfig does', async () => {
    const model = twoHeaded();
    model.compile({ optimizer: km.optimizers.adam(), loss: ['sparseCategoricalCrossentropy', 'mse'], metrics: { class: ['accuracy'] } });
    const theirs = await tfl.loadLayersModel(tf.io.fromMemory((await savedArtifacts(model)) as tf.io.ModelArtifacts));
    expect(theirs.loss).toEqual(['sparseCategoricalCrossentropy', 'meanSquaredError']);
    model.compile({ optimizer: km.optimizers.adam(), loss: ['sparseCategoricalCrossentropy', 'mse'], lossWeights: [1, 0.5] });
    await expect(tfl.loadLayersModel(tf.io.fromMemory((await savedArtifacts(model)) as tf.io.ModelArtifacts))).rejects.toThrow('Loading loss_weights is not supported yet.');
  });
});

describe('configured losses from km.losses', () => {
  it('binaryCrossentropy with fromLogits and labelSmoothing round-trips (not as the plain name it would reload wrong as)', async () => {
    km.utils.setRandomSeed(2);
    const model = km.sequential([km.layers.dense({ units: 2, inputShape: [3] })]);
    model.compile({ optimizer: 'sgd', loss: km.losses.binaryCrossentropy({ fromLogits: true, labelSmoothing: 0.2 }) });
    const targets = km.tensor(Array.from({ length: 12 }, (_, i) => [i % 2, (i + 1) % 2]));
    const before = await model.evaluate(x, targets, { verbose: 0 });
    const artifacts = await savedArtifacts(model, false);
    expect(artifacts.trainingConfig?.loss).toEqual({ class_name: 'BinaryCrossentropy', config: { from_logits: true, label_smoothing: 0.2 } });
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(await loaded.evaluate(x, targets, { verbose: 0 })).toEqual(before);
    const plain = await km.loadLayersModel(km.io.fromMemory({ ...artifacts, trainingConfig: { ...artifacts.trainingConfig!, loss: 'binary_crossentropy' } }));
    expect(await plain.evaluate(x, targets, { verbose: 0 })).not.toEqual(before);
  });

  it('binaryCrossentropy of probabilities with labelSmoothing round-trips', async () => {
    km.utils.setRandomSeed(2);
    const model = km.sequential([km.layers.dense({ units: 2, activation: 'sigmoid', inputShape: [3] })]);
    model.compile({ optimizer: 'sgd', loss: km.losses.binaryCrossentropy({ labelSmoothing: 0.2 }) });
    const targets = km.tensor(Array.from({ length: 12 }, (_, i) => [i % 2, (i + 1) % 2]));
    const before = await model.evaluate(x, targets, { verbose: 0 });
    const artifacts = await savedArtifacts(model, false);
    expect(artifacts.trainingConfig?.loss).toEqual({ class_name: 'BinaryCrossentropy', config: { from_logits: false, label_smoothing: 0.2 } });
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(await loaded.evaluate(x, targets, { verbose: 0 })).toEqual(before);
    const plain = await km.loadLayersModel(km.io.fromMemory({ ...artifacts, trainingConfig: { ...artifacts.trainingConfig!, loss: 'binary_crossentropy' } }));
    expect(await plain.evaluate(x, targets, { verbose: 0 })).not.toEqual(before);
  });

  it('a Keras loss config kerasm cannot honour loads uncompiled, saying why', async () => {
    const model = km.sequential([km.layers.dense({ units: 2, inputShape: [3] })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const artifacts = await savedArtifacts(model, false);
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => void warnings.push(message);
    try {
      const loaded = await km.loadLayersModel(km.io.fromMemory({ ...artifacts, trainingConfig: { ...artifacts.trainingConfig!, loss: { class_name: 'Huber', config: { delta: 1, reduction: 'sum' } } } }));
      expect(loaded.optimizer).toBeUndefined();
    } finally {
      console.warn = warn;
    }
    expect(warnings.join('\n')).toMatch(/loads uncompiled because the loss Huber has reduction="sum", axis=undefined; kerasm has only reduction 'sum_over_batch_size'/);
  });

  it('a custom loss object has no saved form: the model saves uncompiled with a warning, or fails with optimizer state asked for', async () => {
    const model = km.sequential([km.layers.dense({ units: 1, inputShape: [3] })]);
    const custom: km.losses.Loss = { ...km.losses.huber(), name: 'huber', savedAs: undefined };
    model.compile({ optimizer: 'sgd', loss: custom });
    const message = "Cannot save the training config: the loss of the model is a custom loss object ('huber') that kerasm has no saved form for. Compile with a loss name or a loss from km.losses before saving.";
    await expect(savedArtifacts(model, true)).rejects.toThrow(message);
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (text: string) => void warnings.push(text);
    let artifacts: km.io.ModelArtifacts;
    try {
      artifacts = await savedArtifacts(model, false);
    } finally {
      console.warn = warn;
    }
    expect(warnings).toEqual([`Model '${model.name}' is saved without its training config, so it loads uncompiled: ${message}`]);
    expect(artifacts.trainingConfig).toBeUndefined();
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(loaded.optimizer).toBeUndefined();
    const x = km.tensor([[1, 2, 3]]);
    expect(Array.from(loaded.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));
  });

  it('a custom loss object with a name of its own gets the same message, not "Unknown loss"', async () => {
    const model = km.sequential([km.layers.dense({ units: 1, inputShape: [3] })]);
    model.compile({ optimizer: 'sgd', loss: { ...km.losses.huber(), name: 'pinball', savedAs: undefined } });
    await expect(savedArtifacts(model, true)).rejects.toThrow("Cannot save the training config: the loss of the model is a custom loss object ('pinball') that kerasm has no saved form for.");
  });
});

describe('losses as metrics, R² and F-scores in the training config', () => {
  it('save by name or as Keras classes with their options, and reload to the same metrics and values', async () => {
    const model = twoHeaded();
    const metrics = {
      class: ['sparse_categorical_crossentropy', 'f1_score', km.metrics.fBetaScore({ beta: 2, average: 'micro', name: 'f2' }), km.metrics.f1Score({ threshold: 0.4, average: 'weighted' })],
      value: ['msle', 'r2_score', km.metrics.r2Score({ classAggregation: 'variance_weighted_average', name: 'r2_vw' }), km.metrics.cosineSimilarity({ name: 'cos' })],
    };
    model.compile({ optimizer: 'adam', loss: ['sparseCategoricalCrossentropy', 'mse'], metrics });
    const artifacts = await savedArtifacts(model);
    expect(artifacts.trainingConfig!.metrics).toEqual({
      class: ['sparse_categorical_crossentropy', 'f1_score', { class_name: 'FBetaScore', config: { name: 'f2', average: 'micro', beta: 2 } }, { class_name: 'F1Score', config: { name: 'f1_score', average: 'weighted', threshold: 0.4 } }],
      value: ['msle', 'r2_score', { class_name: 'R2Score', config: { name: 'r2_vw', class_aggregation: 'variance_weighted_average', num_regressors: 0 } }, { class_name: 'CosineSimilarity', config: { name: 'cos' } }],
    });
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(loaded.metricsNames).toEqual(model.metricsNames);
    const values = km.tensor(Array.from({ length: 12 }, (_, i) => [0.5 + (i % 4)]));
    const ours = await model.evaluate(x, [labels, values], { batchSize: 5, verbose: 0 });
    const reloaded = await loaded.evaluate(x, [labels, values], { batchSize: 5, verbose: 0 });
    expect(reloaded).toEqual(ours);
  });

  it("a Keras-written config loads: threshold null is the argmax, dtype is ignored; an unknown class loads uncompiled, saying why", async () => {
    const model = twoHeaded();
    model.compile({ optimizer: 'adam', loss: ['sparseCategoricalCrossentropy', 'mse'], metrics: { class: ['accuracy'] } });
    const artifacts = await savedArtifacts(model);
    const kerasF1 = { class_name: 'F1Score', config: { name: 'f1', dtype: 'float32', average: 'macro', threshold: null } };
    const loaded = await km.loadLayersModel(km.io.fromMemory({ ...artifacts, trainingConfig: { ...artifacts.trainingConfig!, metrics: { class: [kerasF1] } } }));
    expect(loaded.metricsNames).toEqual(['loss', 'class_loss', 'value_loss', 'class_f1']);
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => void warnings.push(message);
    try {
      const unknown = await km.loadLayersModel(km.io.fromMemory({ ...artifacts, trainingConfig: { ...artifacts.trainingConfig!, metrics: [{ class_name: 'MeanRelativeError', config: {} }] } }));
      expect(unknown.optimizer).toBeUndefined();
    } finally {
      console.warn = warn;
    }
    expect(warnings.join('\n')).toMatch(/loads uncompiled because its metric \{"class_name":"MeanRelativeError","config":\{\}\} is none of F1Score, FBetaScore, R2Score/);
  });

  it("tfjs-layers 4.22 loads a file with the loss-metrics it knows by name, and evaluates them as kerasm does", async () => {
    km.utils.setRandomSeed(3);
    const model = km.sequential([km.layers.dense({ units: 3, activation: 'softmax', inputShape: [3] })]);
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['categoricalCrossentropy', 'mape', 'cosine'] });
    const theirs = await tfl.loadLayersModel(tf.io.fromMemory((await savedArtifacts(model)) as tf.io.ModelArtifacts));
    const y = km.utils.toCategorical(labels, 3);
    const soft = km.tensor(Float32Array.from(y.dataSync(), (t) => 0.2 + 0.6 * t), [12, 3]);
    const ours = await model.evaluate(x, soft, { batchSize: 12, verbose: 0 });
    const reference = (theirs.evaluate(tf.tensor(x.dataSync(), [12, 3]), tf.tensor(soft.dataSync(), [12, 3]), { batchSize: 12 }) as tf.Scalar[]).map((s) => s.dataSync()[0]);
    ours.forEach((v, i) => expect(v).toBeCloseTo(reference[i], 5));
  });
});

describe('IoU, threshold-curve and correlation metrics in the training config', () => {
  it("save as Keras' {class_name, config} and reload to the same metrics and values", async () => {
    const model = twoHeaded();
    const metrics = {
      class: [km.metrics.meanIoU({ numClasses: 3, sparseYPred: false }), km.metrics.iou({ numClasses: 3, targetClassIds: [0, 2], ignoreClass: 1, sparseYPred: false, name: 'iou_02' })],
      value: [km.metrics.binaryIoU({ targetClassIds: [1], threshold: 0.1 }), km.metrics.precisionAtRecall({ recall: 0.5, numThresholds: 50 }), km.metrics.specificityAtSensitivity({ sensitivity: 0.4, classId: 0 })],
    };
    model.compile({ optimizer: 'adam', loss: ['sparseCategoricalCrossentropy', 'mse'], metrics });
    const artifacts = await savedArtifacts(model);
    expect(artifacts.trainingConfig!.metrics).toEqual({
      class: [
        { class_name: 'MeanIoU', config: { name: 'mean_io_u', num_classes: 3, ignore_class: null, sparse_y_true: true, sparse_y_pred: false, axis: -1 } },
        { class_name: 'IoU', config: { name: 'iou_02', num_classes: 3, target_class_ids: [0, 2], ignore_class: 1, sparse_y_true: true, sparse_y_pred: false, axis: -1 } },
      ],
      value: [
        { class_name: 'BinaryIoU', config: { name: 'binary_io_u', target_class_ids: [1], threshold: 0.1 } },
        { class_name: 'PrecisionAtRecall', config: { name: 'precision_at_recall', num_thresholds: 50, class_id: null, recall: 0.5 } },
        { class_name: 'SpecificityAtSensitivity', config: { name: 'specificity_at_sensitivity', num_thresholds: 200, class_id: 0, sensitivity: 0.4 } },
      ],
    });
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(loaded.metricsNames).toEqual(model.metricsNames);
    const binary = km.tensor(Array.from({ length: 12 }, (_, i) => [i % 2]));
    const ours = await model.evaluate(x, [labels, binary], { batchSize: 5, verbose: 0 });
    expect(await loaded.evaluate(x, [labels, binary], { batchSize: 5, verbose: 0 })).toEqual(ours);
  });

  it('the one-hot IoUs and correlations round-trip too, and a Keras-written MeanIoU (dtype, ignore_class None) loads', async () => {
    km.utils.setRandomSeed(6);
    const model = km.sequential([km.layers.dense({ units: 3, activation: 'softmax', inputShape: [3] })]);
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: [km.metrics.oneHotIoU({ numClasses: 3, targetClassIds: [1] }), km.metrics.oneHotMeanIoU({ numClasses: 3 }), km.metrics.pearsonCorrelation({ name: 'pcc' }), km.metrics.concordanceCorrelation()] });
    const artifacts = await savedArtifacts(model);
    expect(artifacts.trainingConfig!.metrics).toEqual([
      { class_name: 'OneHotIoU', config: { name: 'one_hot_io_u', num_classes: 3, target_class_ids: [1], ignore_class: null, sparse_y_pred: false, axis: -1 } },
      { class_name: 'OneHotMeanIoU', config: { name: 'one_hot_mean_io_u', num_classes: 3, ignore_class: null, sparse_y_pred: false, axis: -1 } },
      { class_name: 'PearsonCorrelation', config: { name: 'pcc', axis: -1 } },
      { class_name: 'ConcordanceCorrelation', config: { name: 'concordance_correlation', axis: -1 } },
    ]);
    const y = km.utils.toCategorical(labels, 3);
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(await loaded.evaluate(x, y, { batchSize: 5, verbose: 0 })).toEqual(await model.evaluate(x, y, { batchSize: 5, verbose: 0 }));
    const kerasMeanIoU = { class_name: 'MeanIoU', config: { name: 'miou', dtype: 'float32', num_classes: 3, ignore_class: null, sparse_y_true: false, sparse_y_pred: false, axis: -1 } };
    const fromKeras = await km.loadLayersModel(km.io.fromMemory({ ...artifacts, trainingConfig: { ...artifacts.trainingConfig!, metrics: [kerasMeanIoU] } }));
    expect(fromKeras.metricsNames).toEqual(['loss', 'miou']);
    const oneHotMean = (await model.evaluate(x, y, { batchSize: 5, verbose: 0 }))[2];
    expect((await fromKeras.evaluate(x, y, { batchSize: 5, verbose: 0 }))[1]).toBeCloseTo(oneHotMean, 10);
  });
});

describe('AUC, precision, recall and top-k in the training config', () => {
  const oneHot = km.utils.toCategorical(labels, 3);
  const configured = () => [
    km.metrics.auc({ curve: 'PR', numThresholds: 50, name: 'pr_auc' }), km.metrics.precision({ thresholds: 0.3, classId: 1 }),
    km.metrics.recall({ thresholds: 0.7 }), km.metrics.topKCategoricalAccuracy({ k: 2 }),
  ];

  it("save as Keras' {class_name, config} with their options, not as names that would reload with the defaults", async () => {
    km.utils.setRandomSeed(9);
    const model = km.sequential([km.layers.dense({ units: 3, activation: 'softmax', inputShape: [3] })]);
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: configured() });
    const artifacts = await savedArtifacts(model);
    expect(artifacts.trainingConfig!.metrics).toEqual([
      { class_name: 'AUC', config: { name: 'pr_auc', num_thresholds: 50, curve: 'PR', summation_method: 'interpolation', multi_label: false, from_logits: false } },
      { class_name: 'Precision', config: { name: 'precision', thresholds: 0.3, top_k: null, class_id: 1 } },
      { class_name: 'Recall', config: { name: 'recall', thresholds: 0.7, top_k: null, class_id: null } },
      { class_name: 'TopKCategoricalAccuracy', config: { name: 'top_k_categorical_accuracy', k: 2 } },
    ]);
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(loaded.metricsNames).toEqual(['loss', 'pr_auc', 'precision', 'recall', 'top_k_categorical_accuracy']);
    const ours = await model.evaluate(x, oneHot, { batchSize: 5, verbose: 0 });
    expect(await loaded.evaluate(x, oneHot, { batchSize: 5, verbose: 0 })).toEqual(ours);
    // The defaults give other values, so the options did travel.
    const byName = km.sequential([km.layers.dense({ units: 3, activation: 'softmax', inputShape: [3] })]);
    byName.setWeights(model.getWeights());
    byName.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: [km.metrics.auc(), km.metrics.precision(), km.metrics.recall(), km.metrics.topKCategoricalAccuracy()] });
    expect(await byName.evaluate(x, oneHot, { batchSize: 5, verbose: 0 })).not.toEqual(ours);
    // At their defaults precision, recall and top-k save by name, the form tfjs-layers reads too.
    expect((await savedArtifacts(byName)).trainingConfig!.metrics).toEqual([expect.objectContaining({ class_name: 'AUC' }), 'precision', 'recall', 'top_k_categorical_accuracy']);
  });

  it("a Keras-written AUC and SparseTopKCategoricalAccuracy load; a summation_method or top_k kerasm lacks loads uncompiled, saying why", async () => {
    const model = km.sequential([km.layers.dense({ units: 3, activation: 'softmax', inputShape: [3] })]);
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    const artifacts = await savedArtifacts(model);
    const kerasAuc = { name: 'auc', dtype: 'float32', num_thresholds: 200, curve: 'ROC', summation_method: 'interpolation', multi_label: false, num_labels: null, label_weights: null, from_logits: false };
    const withMetrics = (metrics: unknown[]) => km.loadLayersModel(km.io.fromMemory({ ...artifacts, trainingConfig: { ...artifacts.trainingConfig!, metrics } as km.io.TrainingConfig }));
    const loaded = await withMetrics([{ class_name: 'SparseTopKCategoricalAccuracy', config: { name: 'top2', dtype: 'float32', k: 2, from_sorted_ids: false } }]);
    expect(loaded.metricsNames).toEqual(['loss', 'top2']);
    // It saves back under its own class, not as the one-hot TopKCategoricalAccuracy.
    expect((await savedArtifacts(loaded)).trainingConfig!.metrics).toEqual([{ class_name: 'SparseTopKCategoricalAccuracy', config: { name: 'top2', k: 2 } }]);
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => void warnings.push(message);
    try {
      expect((await withMetrics([{ class_name: 'AUC', config: kerasAuc }])).optimizer).toBeDefined();
      expect((await withMetrics([{ class_name: 'AUC', config: { ...kerasAuc, summation_method: 'minoring' } }])).optimizer).toBeUndefined();
      expect((await withMetrics([{ class_name: 'Precision', config: { name: 'p', thresholds: null, top_k: 3, class_id: null } }])).optimizer).toBeUndefined();
    } finally {
      console.warn = warn;
    }
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/its AUC metric sets summation_method="minoring", which kerasm's AUC does not have \(only "interpolation"\)/);
    expect(warnings[1]).toMatch(/its Precision metric sets top_k=3, which kerasm's Precision does not have \(only None\)/);
  });
});
