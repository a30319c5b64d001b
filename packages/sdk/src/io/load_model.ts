import { backend, ready } from '../backend/registry.js';
import { Functional } from '../engine/functional.js';
import type { LayersModel } from '../engine/model.js';
import { Sequential } from '../engine/sequential.js';
import { FUNCTIONAL_CLASS_NAMES, functionalFromTopology } from './functional_topology.js';
import { layersFromTopology, modelConfigOf } from './layers_model_format.js';
import { SavedLayers } from './saved_layers.js';
import { checkLayersModelFormat } from './load_weights.js';
import { restoreOptimizerWeights } from './optimizer_weights.js';
import { describeSource, fetchesOverHttp, handlerFor, routesToRegisteredLoader } from './router.js';
import { checkHttpOptions, type HttpOptions } from './handlers/http.js';
import { checkBooleanOption, checkOptions, optionNames } from '../utils/options.js';
import { compileArgsOf, withOutputKeys } from './training_config.js';
import type { IOHandler, ModelArtifacts } from './types.js';
import { weightsByName, weightsByNameLoosely } from './match_weights.js';
import { savedWeights } from './weights.js';
import { markFreshOptimizer } from './fresh_optimizer.js';
import { withInputShapes, type InputShapes } from './input_shapes_option.js';
import { loadLayerClasses } from '../layers/registry.js';
import { topologyClassNames } from './topology_class_names.js';

/**
 * Options of {@link loadLayersModel}: tfjs' `LoadOptions`, with their tfjs meaning. The HTTP
 * options apply when the source is an http(s) URL (or a plain path in a browser), which
 * `loadLayersModel` fetches itself; a handler takes them when it is made (`km.io.http(url, { ... })`).
 */
export interface LoadOptions extends HttpOptions {
  /**
   * Whether the saved weights must match the model's exactly (default true): every weight of the
   * model in the file, and every weight in the file used. With false, as in tfjs, a weight the file
   * lacks keeps its initial value and one no layer uses is ignored; a weight of another shape is
   * still an error.
   */
  strict?: boolean;
  /**
   * Sizes for model inputs saved with unknown dimensions (Keras' None: a text model over sequences
   * of any length), keyed by input name: each named input's sample shape, its known dimensions as
   * saved. Without it such an input takes any size on those dimensions, as in tfjs and Keras; with
   * it the model is fixed to these sizes, and keeps them when saved again.
   *
   * @example
   * ```ts
   * // Saved by tfjs or Keras with tokens of shape (None, None): fixed to sequences of 100 tokens.
   * const model = await km.loadLayersModel('file://text_model/model.json', { inputShapes: { tokens: [100] } });
   * ```
   */
  inputShapes?: InputShapes;
}

const LOAD_OPTIONS = optionNames<LoadOptions>({ requestInit: true, fetchFunc: true, onProgress: true, weightPathPrefix: true, weightUrlConverter: true, strict: true, inputShapes: true });

/** tfjs `LoadOptions` that only tfjs' graph models use: false (their default) is accepted, true refused with why. */
const GRAPH_MODEL_OPTIONS: Readonly<Record<string, string>> = {
  fromTFHub: 'fromTFHub finds a TF Hub graph model; load that with km.loadGraphModel, or pass the LayersModel\'s model.json URL here',
  streamWeights: 'streamWeights streams a graph model\'s weights into a tfjs backend; kerasm reads a LayersModel\'s weights into memory, so remove it',
};

/**
 * Loads a model saved in the TensorFlow.js LayersModel format, by kerasm, by tfjs or by Keras'
 * converter. A saved training config compiles the model, and saved optimizer state lets `fit`
 * resume where it stopped.
 *
 * @param source The `model.json` URL or path (a folder works too in Node), or a `km.io` handler.
 * @param options tfjs' `LoadOptions`: `strict` (and kerasm's `inputShapes`) for any source; `requestInit` (headers,
 *   credentials), `onProgress`, `fetchFunc`, `weightPathPrefix` and `weightUrlConverter` for an
 *   http(s) URL. An option that does not apply to `source` is an error, not ignored.
 * @example
 * ```ts
 * const model = await km.loadLayersModel('file://out/mnist/model.json');
 * model.predict(x);
 * const remote = await km.loadLayersModel('https://example.com/models/mnist/model.json', {
 *   requestInit: { headers: { Authorization: `Bearer ${token}` } },
 *   onProgress: (fraction) => console.log(`${Math.round(fraction * 100)}% of the weights`),
 * });
 * ```
 */
export async function loadLayersModel(source: string | IOHandler, options: LoadOptions = {}): Promise<LayersModel> {
  const { strict = true, inputShapes, ...httpOptions } = checkLoadOptions(source, options);
  const handler = await handlerFor(source, 'load', httpOptions, options ?? undefined);
  return modelFromArtifacts(await handler.load!(), describeSource(source), strict, inputShapes);
}

/** The options without tfjs' graph-model defaults, once each is known and applies to `source`. */
function checkLoadOptions(source: string | IOHandler, options: LoadOptions | null): LoadOptions {
  const call = 'loadLayersModel';
  if (options === null) return {}; // tfjs takes null as no options
  if (typeof options !== 'object' || Array.isArray(options)) checkOptions(options, LOAD_OPTIONS, call); // throws, naming what was received
  const given: Record<string, unknown> = { ...options };
  if (given.customObjects !== undefined) {
    throw new Error(
      `${call} takes no customObjects (Keras' custom_objects): kerasm finds a saved layer's class in its registry, so register each custom layer class before loading, km.layers.registerLayer('MyLayer', (config) => new MyLayer(config)). ` +
        `A custom activation or other function is written as a custom layer too, since kerasm computes with its own kernels (docs/CUSTOM_LAYERS.md).`,
    );
  }
  for (const [name, why] of Object.entries(GRAPH_MODEL_OPTIONS)) {
    if (given[name]) throw new Error(`${call} loads LayersModels and does not take ${name}: true. ${why}.`);
    delete given[name];
  }
  checkOptions(given, LOAD_OPTIONS, call);
  if (given.strict !== undefined) checkBooleanOption(given.strict, 'strict', call);
  const { strict: _strict, inputShapes: _inputShapes, ...http } = given as LoadOptions;
  const httpNames = Object.keys(http).filter((name) => http[name as keyof HttpOptions] !== undefined);
  if (httpNames.length > 0) {
    const [names, them] = [httpNames.join(', '), httpNames.length > 1 ? 'them' : 'it'];
    if (typeof source !== 'string') {
      throw new Error(
        `${call}: ${names} ${httpNames.length > 1 ? 'apply' : 'applies'} only to a URL ${call} fetches itself; a km.io handler loads by itself, and tfjs would ignore ${them} here. ` +
          `Give ${them} to the handler when you make it, km.io.http(url, { ${httpNames[0]} }), or pass the URL: ${call}(url, { ${httpNames[0]} }).`,
      );
    }
    if (!fetchesOverHttp(source) && !routesToRegisteredLoader(source, given as LoadOptions)) {
      throw new Error(`${call}: ${names} ${httpNames.length > 1 ? 'are HTTP options' : 'is an HTTP option'}, but '${source}' is not fetched over HTTP (it is not an http:// or https:// URL). Remove ${them}, or pass the model's http(s) URL.`);
    }
    checkHttpOptions(http, call);
  }
  return given as LoadOptions;
}

/** Builds, compiles and fills a model from loaded artifacts; `where` names the source in errors; `strict` and `inputShapes` as {@link LoadOptions}. */
export async function modelFromArtifacts(artifacts: ModelArtifacts, where: string, strict = true, inputShapes?: InputShapes): Promise<LayersModel> {
  checkLayersModelFormat(artifacts, where);
  if (artifacts.modelTopology === undefined || artifacts.modelTopology instanceof ArrayBuffer) {
    throw new Error(`${where} has no JSON modelTopology. A LayersModel's model.json needs one; was this file saved by model.save()?`);
  }
  await loadLayerClasses(topologyClassNames(artifacts.modelTopology));
  const model = modelFromTopology(withInputShapes(artifacts.modelTopology, inputShapes, where), where);
  if (!model.inputShape) throw new Error(`${where}: the first layer '${model.allLayers[0]?.name}' has no batch_input_shape, so the model cannot be built. Add batch_input_shape to its config.`);
  const layers = model.allLayers;
  await ready();
  if (artifacts.trainingConfig) {
    const args = compileArgsOf(withOutputKeys(artifacts.trainingConfig, model));
    if (typeof args === 'string') console.warn(`kerasm: ${where} loads uncompiled because ${args}; call model.compile() before training.`);
    else model.compile(args);
  }
  const saved = savedWeights(artifacts, where);
  if (strict) model.setWeights(weightsByName(layers, saved.layers, where));
  else {
    const initial = model.getWeights();
    model.setWeights(weightsByNameLoosely(layers, saved.layers, where).map((t, i) => t ?? initial[i]));
  }
  if (artifacts.userDefinedMetadata) model.setUserDefinedMetadata(artifacts.userDefinedMetadata);
  const optimizerWeights = saved.optimizer;
  if (optimizerWeights.length > 0 && model.optimizer) {
    restoreOptimizerWeights(model.optimizer, model.computedLayers, backend(), new Map(optimizerWeights.map((w) => [w.name, w])), where);
  } else markFreshOptimizer(model, where);
  return model;
}

/**
 * A Sequential or functional model made from its saved topology, with fresh weights; a Sequential
 * one without an input shape is left unbuilt. Models saved inside it are made with the same
 * `layers`, so a layer they share with it is one layer. The load that makes `layers` warns once of
 * the config keys its layers had no use for.
 */
export function modelFromTopology(topology: unknown, where: string, layers?: SavedLayers): LayersModel {
  if (layers === undefined) {
    const load = new SavedLayers();
    const model = modelFromTopology(topology, where, load);
    load.warnUnusedKeys(where);
    return model;
  }
  const load = { nested: (entry: unknown, at: string) => modelFromTopology(entry, at, layers), layers };
  if (FUNCTIONAL_CLASS_NAMES.includes(String(modelConfigOf(topology, where).class_name))) {
    const { name, inputs, outputs } = functionalFromTopology(modelConfigOf(topology, where), where, load);
    try {
      return new Functional({ inputs, outputs, name });
    } catch (err) {
      throw new Error(`${where}: ${(err as Error).message}`);
    }
  }
  const stacked = layersFromTopology(topology, where, load);
  return new Sequential({ layers: stacked.layers, name: stacked.name });
}
