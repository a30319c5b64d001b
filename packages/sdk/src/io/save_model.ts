import { backend, ready } from '../backend/registry.js';
import type { LayersModel } from '../engine/model.js';
import { weightOrder } from '../engine/params.js';
import { modelTopologyOf } from './model_topology.js';
import { frozenWeightsWithState, optimizerWeights } from './optimizer_weights.js';
import { checkDistinctWeightNames } from './repeated_weight_names.js';
import { handlerFor } from './router.js';
import { trainingConfigOf } from './training_config.js';
import type { IOHandler, ModelArtifacts, SaveResult, TrainingConfig } from './types.js';
import { encodeWeights, type NamedWeight } from './weights.js';
import { mergeLoraWeights } from './lora_weights.js';
import { quantizationPlan, type QuantizeConfig } from './quantize_weights.js';
import { checkOptions, optionNames } from '../utils/options.js';

/** What `generatedBy` says in saved models. */
export const GENERATED_BY = 'kerasm v0.0.0';

/** Options of `model.save`. */
export interface SaveConfig {
  /**
   * Also save the optimizer's state (moments, iteration count) so training can resume exactly
   * (default false, as in tfjs). The model must be compiled. Without it the model still loads
   * compiled, from its training config, but with a fresh optimizer: training it restarts Adam,
   * RMSprop or SGD with momentum from zero state rather than resuming (unlike Keras' `.keras`
   * file, which always holds the state), and its first `fit` warns once saying so. Every kerasm optimizer saves; the
   * state is in tfjs' layout, which tfjs-layers 4.22 resumes for Adam, SGD/Momentum, RMSProp,
   * Adagrad and Adadelta. tfjs cannot load Adamax state, and refuses files whose optimizer it lacks
   * (Nadam, AdamW, Lion, Ftrl, Lamb, Adafactor: "Unknown layer: Nadam"), even without the state.
   *
   * @example
   * ```ts
   * model.compile({ optimizer: km.optimizers.rmsprop({ momentum: 0.9 }), loss: 'mse' });
   * await model.save('file://out/ckpt', { includeOptimizer: true });
   * ```
   */
  includeOptimizer?: boolean;
  /**
   * Stores the float32 weights quantized, as tensorflowjs_converter's `--quantize_uint8`,
   * `--quantize_uint16` and `--quantize_float16` do, for a smaller download: 'uint8' is a quarter of
   * the float32 size, 'uint16' and 'float16' half. `km.loadLayersModel` and `tf.loadLayersModel`
   * dequantize them on loading. uint8/uint16 map each weight's range [min, max] onto 2^bits − 1
   * steps (`scale = (max − min) / (2^bits − 1)`, nudged so that 0 stays exact), so each weight comes
   * back within scale/2; float16 keeps 11 significant bits (relative error at most 2^-11) and
   * overflows to ±Infinity from 65520 (the largest half is 65504). `{ dtype, weights: ['*kernel'] }`
   * quantizes only the weights whose names match a pattern (`*` any characters, `/` included, `?`
   * one, as the converter's `--quantize_uint8='*kernel'` does); a pattern that matches no weight is
   * an error.
   *
   * int32 weights stay int32, as in the converter, and optimizer state (`includeOptimizer`) is
   * always saved as float32, so a resumed run starts from the quantized weights but the exact
   * moments. A uint8/uint16 weight holding NaN or Infinity is refused.
   *
   * @example
   * ```ts
   * await model.save('file://web/model', { quantize: 'uint8' });
   * await model.save('file://web/model', { quantize: { dtype: 'float16', weights: ['conv2d*'] } });
   * ```
   */
  quantize?: QuantizeConfig;
}

/** Options of `model.saveWeights`: {@link SaveConfig.quantize}, as `save` takes it. */
export type SaveWeightsConfig = Pick<SaveConfig, 'quantize'>;

/** The artifacts (topology, training config, weight manifest and bytes) that save a model. */
export async function modelArtifacts(model: LayersModel, config: SaveConfig = {}): Promise<ModelArtifacts> {
  const artifacts = await topologyAndWeights(model, config);
  const trainingConfig = savableTrainingConfig(model, config);
  if (trainingConfig) artifacts.trainingConfig = trainingConfig;
  const metadata = model.getUserDefinedMetadata();
  if (metadata) artifacts.userDefinedMetadata = metadata;
  return artifacts;
}

/** The topology, which names the weights, and the weights (with the optimizer's, if asked). */
async function topologyAndWeights(model: LayersModel, config: SaveConfig): Promise<ModelArtifacts> {
  await ready();
  checkDistinctWeightNames(model);
  const values = model.getWeights();
  const names = weightOrder(model.allLayers).map(({ spec }) => spec.name);
  const named = await Promise.all(values.map(async (t, i) => ({ name: names[i], shape: [...t.shape], values: await t.data() })));
  const weights: NamedWeight[] = mergeLoraWeights(model.allLayers, named);
  const quantize = quantizationPlan(config.quantize, weights.map((w) => w.name));
  if (config.includeOptimizer) {
    if (!model.optimizer) {
      throw new Error(`Model '${model.name}' is not compiled, so it has no optimizer state to save. Compile it first, or save with { includeOptimizer: false }.`);
    }
    weights.push(...(await optimizerWeights(model.optimizer, model.computedLayers, backend())));
  }
  const { specs, data } = encodeWeights(weights, quantize);
  return { modelTopology: modelTopologyOf(model), format: 'layers-model', generatedBy: GENERATED_BY, convertedBy: null, weightSpecs: specs, weightData: data };
}

/**
 * The training config, or none with a warning when it has no saved form (a custom loss object):
 * the weights and topology still save, and the model loads uncompiled. Optimizer state is useless
 * without it, so with `includeOptimizer` the error stands.
 */
function savableTrainingConfig(model: LayersModel, config: SaveConfig): TrainingConfig | undefined {
  try {
    return trainingConfigOf(model);
  } catch (error) {
    if (config.includeOptimizer) throw error;
    console.warn(`Model '${model.name}' is saved without its training config, so it loads uncompiled: ${(error as Error).message}`);
    return undefined;
  }
}

/** `model.save`: builds the artifacts and hands them to the handler the destination names. */
export async function saveModel(model: LayersModel, destination: string | IOHandler, config: SaveConfig = {}): Promise<SaveResult> {
  checkOptions(config, optionNames<SaveConfig>({ includeOptimizer: true, quantize: true }), 'save');
  const handler = await handlerFor(destination, 'save');
  const artifacts = await modelArtifacts(model, config);
  if (config.includeOptimizer) warnSetAsideState(model);
  return handler.save!(artifacts);
}

/** The models warned about by {@link warnSetAsideState}, so that a checkpoint every epoch warns once. */
const warnedSetAside = new WeakSet<LayersModel>();

/**
 * Warns, once per model, when the file holds optimizer state set aside for frozen weights: kerasm
 * reloads it by name, but tfjs 4.22 pairs optimizer state with the variables it trains by position,
 * so a tfjs model that unfreezes them after loading reads other weights' state. No order serves
 * tfjs both while they are frozen and after, so the file keeps kerasm's and says so.
 */
function warnSetAsideState(model: LayersModel): void {
  if (warnedSetAside.has(model)) return;
  const frozen = frozenWeightsWithState(model.optimizer!, model.computedLayers);
  if (frozen.length === 0) return;
  warnedSetAside.add(model);
  console.warn(
    `Model '${model.name}' is saved with the optimizer state kept for its frozen weights (${frozen.map((n) => `'${n}'`).join(', ')}), after the trainable weights' state. ` +
      'kerasm reloads it by name, but tfjs 4.22 reads optimizer state by position: a tfjs model loading this file that unfreezes those layers and compiles again gives them other weights\' moments (or fails on a shape mismatch). ' +
      'For a file tfjs will train, save after unfreezing the layers (their state then comes in tfjs\' order), or save without includeOptimizer.',
  );
}

/**
 * `model.saveWeights`: the weights, with the topology that the LayersModel format names them by,
 * but no training config or optimizer state.
 */
export async function saveModelWeights(model: LayersModel, destination: string | IOHandler, config: SaveWeightsConfig = {}): Promise<SaveResult> {
  checkOptions(config, optionNames<SaveWeightsConfig>({ quantize: true }), 'saveWeights');
  const handler = await handlerFor(destination, 'save');
  return handler.save!(await topologyAndWeights(model, { quantize: config.quantize }));
}
