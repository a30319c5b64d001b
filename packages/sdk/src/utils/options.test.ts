import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// Unknown option names fail before anything runs, naming the option probably meant; silently
// ignoring them trained `fit(x, y, { batch_size: 64 })` at the default batch size.
const x = km.tensor([[1, 2], [3, 4], [5, 6]]);
const y = km.tensor([[1], [0], [1]]);

function model(): km.LayersModel {
  const m = km.sequential([km.layers.dense({ units: 1, inputShape: [2] })]);
  m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return m;
}

beforeAll(() => km.ready());

describe('option names', () => {
  it("fit names Keras' snake_case and misspelt options, lists its options, and trains nothing", async () => {
    const m = model();
    const before = Array.from(m.getWeights()[0].dataSync());
    await expect(m.fit(x, y, { batch_size: 2, verbose: 0 } as km.ModelFitArgs)).rejects.toThrow(
      /^fit has no option 'batch_size'; did you mean 'batchSize'\? Its options are: epochs, batchSize, stepsPerEpoch, verbose, shuffle, validationSplit, validationData, validationFreq, validationBatchSize, sampleWeight, classWeight, seed, initialEpoch, callbacks, yieldEvery\.$/,
    );
    await expect(m.fit(x, y, { epoch: 3, verbose: 0 } as km.ModelFitArgs)).rejects.toThrow(/^fit has no option 'epoch'; did you mean 'epochs'\?/);
    await expect(m.fit(x, y, { validation_split: 0.5 } as km.ModelFitArgs)).rejects.toThrow(/did you mean 'validationSplit'\?/);
    await expect(m.fit(x, y, { validation_freq: 2 } as km.ModelFitArgs)).rejects.toThrow(/did you mean 'validationFreq'\?/);
    expect(Array.from(m.getWeights()[0].dataSync())).toEqual(before);
  });

  it('evaluate, predict, compile, save, trainOnBatch and fit(dataset) check theirs', async () => {
    const m = model();
    await expect(m.evaluate(x, y, { batchsize: 2 } as km.ModelEvaluateArgs)).rejects.toThrow(/^evaluate has no option 'batchsize'; did you mean 'batchSize'\?/);
    expect(() => m.predict(x, { batch: 2 } as km.ModelPredictArgs)).toThrow(/^predict has no option 'batch'\. Its options are: batchSize, verbose, callbacks\.$/);
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse', metric: ['mae'] } as km.ModelCompileArgs)).toThrow(/^compile has no option 'metric'; did you mean 'metrics'\?/);
    await expect(m.save(km.io.withSaveHandler(async () => undefined), { include_optimizer: true } as km.io.SaveConfig)).rejects.toThrow(/^save has no option 'include_optimizer'; did you mean 'includeOptimizer'\?/);
    await expect(m.trainOnBatch(x, y, { sample_weight: [1, 1, 1] } as km.TrainOnBatchArgs)).rejects.toThrow(/^trainOnBatch has no option 'sample_weight'; did you mean 'sampleWeight'\?/);
    const dataset = km.data.zip({ xs: km.data.array([[1, 2]]), ys: km.data.array([[1]]) }).batch(1);
    await expect(m.fit(dataset, { epochs: 1, steps_per_epoch: 1 } as km.ModelFitDatasetArgs)).rejects.toThrow(/^fit\(dataset\) has no option 'steps_per_epoch'; did you mean 'batchesPerEpoch'\? Its options are: epochs, batchesPerEpoch,/);
  });

  it('the km.layers factories check theirs: a misspelt activation is an error, not a linear layer', () => {
    expect(() => km.layers.dense({ units: 3, activaton: 'relu' } as km.layers.DenseArgs)).toThrow(/^km\.layers\.dense has no option 'activaton'; did you mean 'activation'\?/);
    expect(() => km.layers.conv2d({ filters: 8, kernel_size: 3 } as unknown as km.layers.Conv2DArgs)).toThrow(/^km\.layers\.conv2d has no option 'kernel_size'; did you mean 'kernelSize'\?/);
    expect(() => km.layers.concatenate({ axes: -1 } as km.layers.MergeArgs)).toThrow(/^km\.layers\.concatenate has no option 'axes'; did you mean 'axis'\?/);
    expect(km.layers.dense({ units: 3, activation: 'relu', kernelInitializer: 'heNormal', name: 'ok' }).name).toBe('ok');
  });

  it('so do optimizers, schedules, callbacks, losses, metrics, regularizers, constraints and km.data.csv', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => km.optimizers.adam({ learning_rate: 0.01 } as km.optimizers.AdamArgs), /^km\.optimizers\.adam has no option 'learning_rate'; did you mean 'learningRate'\?/],
      [() => km.optimizers.sgd({ lr: 0.1 } as km.optimizers.SGDArgs), /^km\.optimizers\.sgd has no option 'lr'\. Its options are: learningRate,/],
      [() => km.optimizers.schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decay_rate: 0.9 } as unknown as km.optimizers.schedules.DecayArgs), /did you mean 'decayRate'\?/],
      [() => km.callbacks.earlyStopping({ patient: 3 } as km.callbacks.EarlyStoppingArgs), /^km\.callbacks\.earlyStopping has no option 'patient'; did you mean 'patience'\?/],
      [() => km.losses.categoricalCrossentropy({ from_logits: true } as km.losses.CategoricalCrossentropyArgs), /did you mean 'fromLogits'\?/],
      [() => km.metrics.auc({ curves: 'PR' } as km.metrics.AucArgs), /^km\.metrics\.auc has no option 'curves'; did you mean 'curve'\?/],
      [() => km.regularizers.l2({ l: 0.1 } as { l2?: number }), /^km\.regularizers\.l2 has no option 'l'; did you mean 'l2'\?/],
      [() => km.constraints.maxNorm({ max_value: 2 } as { maxValue?: number }), /did you mean 'maxValue'\?/],
      [() => km.data.csv('examples/blobs.csv', { label_column: 'label' } as km.data.CsvOptions), /^km\.data\.csv has no option 'label_column'; did you mean 'labelColumn'\?/],
      [() => km.callbacks.modelCheckpoint({ file_path: 'file://ckpt' } as unknown as km.callbacks.ModelCheckpointArgs), /did you mean 'filepath'\?/],
      [() => km.input({ shape: [3], nam: 'x' } as km.InputArgs), /^km\.input has no option 'nam'; did you mean 'name'\?/],
      [() => km.sequential({ layer: [] } as km.SequentialArgs), /^km\.sequential has no option 'layer'; did you mean 'layers'\?/],
      [() => km.io.http('https://example.com/m/model.json', { request_init: {} } as km.io.HttpOptions), /did you mean 'requestInit'\?/],
    ];
    for (const [make, error] of cases) expect(make).toThrow(error);
  });

  it('km.datasets.mnist.load and km.model check theirs', async () => {
    await expect(km.datasets.mnist.load({ scaled: false } as km.datasets.MnistLoadOptions)).rejects.toThrow(/^km\.datasets\.mnist\.load has no option 'scaled'; did you mean 'scale'\?/);
    const input = km.input({ shape: [2] });
    expect(() => km.model({ inputs: input, output: km.layers.dense({ units: 1 }).apply(input) } as unknown as km.FunctionalModelArgs)).toThrow(/^km\.model has no option 'output'; did you mean 'outputs'\?/);
  });

  it("fit names a plain-object callback's hook that is none, and leaves its other keys alone", async () => {
    const m = model();
    await expect(m.fit(x, y, { verbose: 0, callbacks: { on_epoch_end: () => undefined } as km.CustomCallbackArgs })).rejects.toThrow(/^callbacks\[0\] has no option 'on_epoch_end'; did you mean 'onEpochEnd'\?/);
    await expect(m.fit(x, y, { verbose: 0, callbacks: [{ onEpochEnd: () => undefined }, { onEpochEnds: () => undefined } as km.CustomCallbackArgs] })).rejects.toThrow(/^callbacks\[1\] has no option 'onEpochEnds'; did you mean 'onEpochEnd'\?/);
    const counter = { epochs: 0, onEpochEnd() { this.epochs++; } };
    await m.fit(x, y, { epochs: 2, verbose: 0, callbacks: counter });
    expect(counter.epochs).toBe(2);
  });

  it('rejects options that are not an object', async () => {
    await expect(model().fit(x, y, 5 as unknown as km.ModelFitArgs)).rejects.toThrow(/^fit takes an options object such as \{ epochs: \.\.\. \}\. Received: number\.$/);
  });
});
