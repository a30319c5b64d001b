import type { GraphModel } from './graph_model/graph_model.js';
import { checkHttpOptions, type HttpOptions } from './handlers/http.js';
import { describeSource, fetchesOverHttp, handlerFor } from './router.js';
import type { IOHandler } from './types.js';
import { checkOptions, optionNames } from '../utils/options.js';

/** Options of {@link loadGraphModel}: tfjs' `LoadOptions` for fetching over HTTP. */
export interface GraphModelLoadOptions extends HttpOptions {
  /** The URL is a TF Hub module's (tfhub.dev, Kaggle Models): `model.json?tfjs-format=file` is fetched under it, as in tfjs. */
  fromTFHub?: boolean;
}

const GRAPH_LOAD_OPTIONS = optionNames<GraphModelLoadOptions>({ requestInit: true, fetchFunc: true, onProgress: true, weightPathPrefix: true, weightUrlConverter: true, fromTFHub: true });

/**
 * Loads a TensorFlow graph converted by `tensorflowjs_converter` (a TF SavedModel, TF Hub module or
 * frozen graph: model.json with `format: 'graph-model'`) for inference, as tfjs'
 * `tf.loadGraphModel`. It reads from the sources {@link loadLayersModel} reads (a `file://` path, an
 * http(s) URL, a `km.io` handler such as `km.io.fromMemory`). A graph with ops kerasm does not run
 * (control flow, hash tables, string ops) or bool/string tensors is refused here, naming them.
 *
 * @param source The `model.json` URL or path (a folder works too in Node), or a `km.io` handler.
 * @param options HTTP options (`requestInit`, `onProgress`, `fetchFunc`, `weightPathPrefix`, `weightUrlConverter`) for an http(s) URL, and `fromTFHub` for a TF Hub module's URL.
 * @example
 * ```ts
 * const model = await km.loadGraphModel('file://mobilenet/model.json');
 * const probs = model.predict(images) as km.Tensor;
 * ```
 */
export async function loadGraphModel(source: string | IOHandler, options: GraphModelLoadOptions = {}): Promise<GraphModel> {
  checkOptions(options ?? {}, GRAPH_LOAD_OPTIONS, 'loadGraphModel');
  const { fromTFHub, ...given } = options ?? {};
  if (fromTFHub) {
    if (typeof source !== 'string' || !fetchesOverHttp(source)) throw new Error(`loadGraphModel: fromTFHub takes a TF Hub module's http(s) URL, such as 'https://tfhub.dev/google/tfjs-model/imagenet/mobilenet_v2_100_224/classification/3/default/1'. Received: ${describeSource(source)}.`);
    source = `${source.endsWith('/') ? source : `${source}/`}model.json?tfjs-format=file`;
  }
  const httpNames = Object.keys(given).filter((n) => given[n as keyof HttpOptions] !== undefined);
  if (httpNames.length > 0) {
    if (typeof source !== 'string' || !fetchesOverHttp(source)) {
      throw new Error(`loadGraphModel: ${httpNames.join(', ')} apply only to an http(s) URL loadGraphModel fetches itself. Remove them, or give them to the handler when you make it, km.io.http(url, { ${httpNames[0]} }).`);
    }
    checkHttpOptions(given, 'loadGraphModel');
  }
  const handler = await handlerFor(source, 'load', given);
  const artifacts = await handler.load!();
  // The executor and its op table stay out of a page's first load until a graph model is loaded.
  const { GraphModel } = await import('./graph_model/graph_model.js');
  return new GraphModel(artifacts, describeSource(source));
}
