// Options TensorFlow.js declares that kerasm refuses because it does the same thing another way:
// the refusal names that way, by the call and the option refused.

const RECURRENT_INPUT =
  "kerasm takes a recurrent layer's input size as inputShape: [inputLength, inputDim] (steps, then features), e.g. { units: 8, inputShape: [10, 4] }; tfjs declares inputDim and inputLength, but its sequential models do not build from them.";
const DEPTHWISE = (option: string) =>
  `a depthwise convolution's kernel is its depthwise kernel: pass depthwise${option} (tfjs declares kernel${option} here, and ignores it).`;
const SEPARABLE = (option: string) =>
  `a separable convolution has two kernels: pass depthwise${option} and pointwise${option} (tfjs refuses kernel${option} here too).`;

const FREE_BATCH =
  "kerasm leaves a model input's batch size free, so batches of any size feed the model; a stateful recurrent layer, the one that needs a fixed size, takes batchSize itself, e.g. km.layers.lstm({ units: 8, stateful: true, batchSize: 4 }).";

const recurrentInput = { inputDim: RECURRENT_INPUT, inputLength: RECURRENT_INPUT };
const depthwise = { kernelInitializer: DEPTHWISE('Initializer'), kernelRegularizer: DEPTHWISE('Regularizer'), kernelConstraint: DEPTHWISE('Constraint') };
const separable = { kernelInitializer: SEPARABLE('Initializer'), kernelRegularizer: SEPARABLE('Regularizer'), kernelConstraint: SEPARABLE('Constraint') };

/** The hint for `option` refused by `call`, if kerasm does what tfjs means by it another way. */
export function tfjsOptionHint(call: string, option: string): string | undefined {
  return HINTS[call]?.[option];
}

const HINTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  fit: {
    validationSteps:
      "fit(x, y) validates on all of validationData or validationSplit (tfjs ignores validationSteps for tensors). For a set number of validation batches, fit a km.data dataset with { validationData: dataset, validationBatches }.",
  },
  // Keras' fit options that a dataset carries itself (Keras refuses them with a dataset too).
  'fit(dataset)': {
    validationSplit:
      'a dataset is not split by a fraction: pass the held-out data as validationData (another dataset, or [x, y] tensors), or hold out batches of an unshuffled dataset yourself: fit(ds.skip(n), { validationData: ds.take(n) }).',
    batchSize: "a dataset's batches are the size its batch(n) made them: set it there, dataset.batch(64).",
    shuffle: 'a dataset shuffles itself: dataset.shuffle(bufferSize, seed) before batch(n), which shuffles again every epoch.',
    sampleWeight: "a dataset carries its weights in its elements: batches of { xs, ys, sampleWeight }, as Keras' (x, y, sample_weight).",
  },
  evaluate: {
    steps: "evaluate(x, y) reads every sample, batchSize at a time (tfjs throws here unless batchSize is null). For a set number of batches, evaluate a km.data dataset: evaluate(dataset, { batches }).",
  },
  save: {
    trainableOnly: 'kerasm saves every weight, trainable or not, as loading the model needs them all (tfjs\' default, trainableOnly: false). Leave the option out.',
  },
  'km.input': { batchSize: FREE_BATCH },
  'km.layers.inputLayer': {
    batchSize: FREE_BATCH,
    sparse: "kerasm's tensors are dense, as tfjs' are (tfjs takes only sparse: false): leave the option out.",
  },
  'km.layers.lstm': recurrentInput,
  'km.layers.gru': recurrentInput,
  'km.layers.simpleRNN': recurrentInput,
  'km.layers.rnn': recurrentInput,
  'km.layers.depthwiseConv2d': depthwise,
  'km.layers.depthwiseConv1d': depthwise,
  'km.layers.separableConv2d': separable,
  'km.layers.separableConv1d': separable,
};
