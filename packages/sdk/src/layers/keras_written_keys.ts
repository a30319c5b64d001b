// Keys that Keras 2, Keras 3 or tfjs write into a layer's config and kerasm has no use for: each
// with the values kerasm's behaviour matches, and what any other value asks for that kerasm lacks.
// The keys kerasm reads are not here: config_keys.ts finds those by whether they change the layer.

/** A key kerasm does not read, as its writers give it. */
interface WrittenKey {
  /** Whether the value asks for nothing kerasm does not already do. */
  readonly matches: (value: unknown) => boolean;
  /** For another value: what it asks for that kerasm does not implement, then the fix. */
  readonly otherwise?: string;
}

const any = (): boolean => true;
const isNull = (value: unknown): boolean => value === null;
const isFalse = (value: unknown): boolean => value === false || value === null;

/** The keys every Keras serialization envelope `{ class_name, config }` carries beside its config (Keras 3's `serialize_keras_object`). */
export const ENVELOPE_KEYS: readonly string[] = ['module', 'registeredName', 'buildConfig', 'compileConfig', 'sharedObjectId'];

const LORA = {
  loraRank: {
    matches: isNull,
    otherwise:
      "LoRA (Keras 3's low-rank adaptation), which kerasm does not implement on this layer (only on Dense, EinsumDense, Embedding, Conv1D, Conv2D and Conv3D): it trains the layer's full weight matrix. Merge the adaptation into the weights in Keras and save the layer without it, or set lora_rank to null to train the full matrix",
  },
  // Scales the adaptation, so means nothing without lora_rank (refused above when set; the layers LoRA adapts read both).
  loraAlpha: { matches: any },
  doraRank: {
    matches: isNull,
    otherwise: "DoRA (Keras 3's weight-decomposed low-rank adaptation), which kerasm does not implement: it trains the full kernel. Merge the adaptation into the kernel in Keras and save the layer without it, or set dora_rank to null to train the full kernel",
  },
  doraAlpha: { matches: any },
} satisfies Record<string, WrittenKey>;

const QUANTIZATION = {
  quantizationConfig: {
    matches: isNull,
    otherwise: "Keras 3's quantized weights, which kerasm does not implement: it computes in float32. Set quantization_config to null and save the layer's float32 weights",
  },
} satisfies Record<string, WrittenKey>;

const RECURRENT = {
  zeroOutputForMask: {
    matches: isFalse,
    otherwise:
      "zeros as the output at masked steps (Keras' Bidirectional asks it of its layers), which kerasm does not implement: its recurrent layers repeat the previous step's output there, as tfjs' do, so the outputs differ only at the steps the mask marks for the layers after. Set zero_output_for_mask to false",
  },
  timeMajor: {
    matches: isFalse,
    otherwise: "time-major input ([steps, batch, features], Keras 2's time_major), which kerasm does not implement. Set time_major to false and give the layer batch-major input ([batch, steps, features])",
  },
  // cuDNN computes the same recurrence, only faster; kerasm has its own kernels.
  useCudnn: { matches: any },
  numConstants: {
    matches: (value) => value === null || value === 0,
    otherwise: "constants passed to the cell at every step (Keras 2's num_constants), which kerasm does not implement. Remove the constants from the layer's inputs and set num_constants to null",
  },
} satisfies Record<string, WrittenKey>;

const CAUSAL = {
  causal: {
    matches: isFalse,
    otherwise: "Keras 2's causal mask, which kerasm names useCausalMask. Replace causal: true with use_causal_mask: true",
  },
} satisfies Record<string, WrittenKey>;

const SPARSE = {
  sparse: { matches: isFalse, otherwise: 'sparse outputs, which kerasm does not implement: its tensors are dense. Set sparse to false for the same values, dense' },
} satisfies Record<string, WrittenKey>;

// Keras 3's image layers transform bounding boxes given beside the images; kerasm's take images, which they transform alike.
const IMAGE = { boundingBoxFormat: { matches: any } } satisfies Record<string, WrittenKey>;

/** By class name; '*' holds the keys of every class. */
const WRITTEN_KEYS: Readonly<Record<string, Readonly<Record<string, WrittenKey>>>> = {
  '*': {
    // Keras writes an activity regularizer wherever one was given, and null on the classes that take one.
    activityRegularizer: { matches: isNull, otherwise: 'an activity regularizer, which kerasm does not take on this layer. Set activity_regularizer to null' },
    dataFormat: {
      matches: (value) => value === null || value === 'channels_last' || value === 'channelsLast',
      otherwise: "channels-first input, which kerasm does not implement for this layer. Set data_format to 'channels_last' and give the layer channels-last input (km.layers.permute moves the channel axis)",
    },
  },
  Dense: { ...LORA, ...QUANTIZATION },
  EinsumDense: {
    ...LORA,
    ...QUANTIZATION,
    gptqUnpackedColumnSize: { matches: isNull, otherwise: "Keras 3's GPTQ-quantized kernel, which kerasm does not implement: it computes in float32. Save the layer's float32 weights without quantization" },
  },
  Conv1D: LORA,
  Conv2D: LORA,
  Conv3D: LORA,
  Embedding: { ...LORA, ...QUANTIZATION, ...SPARSE },
  CategoryEncoding: SPARSE,
  BatchNormalization: {
    // Synchronizes the batch statistics across devices; kerasm trains on one, where they are the batch's own.
    synchronized: { matches: any },
    renorm: { matches: isFalse, otherwise: "batch renormalization (Keras 2's renorm), which kerasm does not implement. Set renorm to false to normalize with the batch's own statistics in training" },
    // Settings of renormalization, which means nothing without renorm (refused above when set).
    renormClipping: { matches: any },
    renormMomentum: { matches: any },
    virtualBatchSize: { matches: isNull, otherwise: "ghost batch normalization (Keras 2's virtual_batch_size), which kerasm does not implement. Set virtual_batch_size to null to normalize over the whole batch" },
  },
  LayerNormalization: {
    rmsScaling: {
      matches: isFalse,
      otherwise: "Keras 3's RMS scaling (dividing by the standard deviation without centring or beta), which kerasm's LayerNormalization does not implement. Set rms_scaling to false to centre and add beta, as LayerNormalization does by default",
    },
  },
  // Flash attention computes the same attention, only faster; Keras 2 records the shapes the layer was built for, which kerasm takes from its inputs.
  MultiHeadAttention: { flashAttention: { matches: any }, queryShape: { matches: any }, keyShape: { matches: any }, valueShape: { matches: any } },
  GroupedQueryAttention: { flashAttention: { matches: any } },
  Attention: CAUSAL,
  AdditiveAttention: CAUSAL,
  SimpleRNN: RECURRENT,
  LSTM: RECURRENT,
  GRU: RECURRENT,
  ConvLSTM2D: RECURRENT,
  ConvLSTM1D: RECURRENT,
  ConvLSTM3D: RECURRENT,
  RNN: RECURRENT,
  Bidirectional: { numConstants: RECURRENT.numConstants },
  RandomFlip: IMAGE,
  RandomRotation: IMAGE,
  RandomTranslation: IMAGE,
  RandomZoom: IMAGE,
  RandomShear: IMAGE,
  RandomPerspective: IMAGE,
  RandomCrop: IMAGE,
  RandomResizedCrop: IMAGE,
  RandomErasing: IMAGE,
  CenterCrop: IMAGE,
  RandomGrayscale: IMAGE,
  RandomInvert: IMAGE,
  Solarization: IMAGE,
  RandomPosterization: IMAGE,
  AutoContrast: IMAGE,
  RandomColorDegeneration: IMAGE,
  RandomSaturation: IMAGE,
  RandomHue: IMAGE,
  RandomSharpness: IMAGE,
  RandomGaussianBlur: IMAGE,
  RandomElasticTransform: IMAGE,
  Equalization: IMAGE,
  RandomColorJitter: IMAGE,
  RandAugment: IMAGE,
  AugMix: IMAGE,
  Resizing: {
    ...IMAGE,
    padToAspectRatio: { matches: isFalse, otherwise: "Keras 3's padding to the aspect ratio, which kerasm does not implement. Set pad_to_aspect_ratio to false, or crop instead with crop_to_aspect_ratio: true" },
    // How the padding above is filled, which means nothing without it.
    fillMode: { matches: any },
    fillValue: { matches: any },
    antialias: { matches: isFalse, otherwise: "Keras 3's antialiased downsizing, which kerasm does not implement. Set antialias to false" },
  },
};

/**
 * What to make of `key` (camelCase) in a `className` layer's config when kerasm has no use for it:
 * undefined when no writer puts it there (a typo, say), `{ refusal: undefined }` when its value asks
 * for nothing kerasm lacks, else `{ refusal }` naming what it asks for and the fix.
 */
export function writtenKey(className: string, key: string, value: unknown): { refusal?: string } | undefined {
  const written = WRITTEN_KEYS[className]?.[key] ?? WRITTEN_KEYS['*'][key];
  if (!written) return undefined;
  return written.matches(value) ? {} : { refusal: written.otherwise };
}
