import { artifactsFromModelJSON, artifactsInfo, checkGroupBytes, modelJSONFor, parseModelJSON } from '../artifacts_json.js';
import type { IOHandler, ModelArtifacts, SaveResult } from '../types.js';
import { concatWeightData } from '../weights.js';
import { checkOptions, optionNames } from '../../utils/options.js';

/** Options of {@link http}. */
export interface HttpOptions {
  /** Passed to every `fetch` (headers, credentials); saving uses method POST unless given. */
  requestInit?: RequestInit;
  /** A `fetch` to use instead of the global one. */
  fetchFunc?: typeof fetch;
}

/**
 * Loads a model over HTTP(S) from its `model.json` URL (a folder URL gets `/model.json`), fetching
 * the weight files relative to it; saves by POSTing `model.json` and `model.weights.bin` as
 * multipart form data, as tfjs' `io.http` does.
 *
 * @example
 * ```ts
 * const model = await km.loadLayersModel('https://example.com/models/mnist/model.json');
 * ```
 */
export function http(url: string, options: HttpOptions = {}): IOHandler {
  checkOptions(options, optionNames<HttpOptions>({ requestInit: true, fetchFunc: true }), 'km.io.http');
  const fetchFunc = options.fetchFunc ?? globalThis.fetch;
  return {
    load: () => load(url.endsWith('.json') ? url : `${url.replace(/\/$/, '')}/model.json`, fetchFunc, options.requestInit),
    save: (artifacts) => save(url, artifacts, fetchFunc, options.requestInit),
  };
}

async function fetchOk(fetchFunc: typeof fetch, url: string, init: RequestInit | undefined, what: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetchFunc(url, init);
  } catch (err) {
    throw new Error(`Cannot fetch ${what} from ${url}: ${(err as Error).message}. Check the URL and that the server is reachable.`);
  }
  if (!response.ok) throw new Error(`Fetching ${what} from ${url} failed with HTTP ${response.status} ${response.statusText}. Check the URL.`);
  return response;
}

async function load(modelUrl: string, fetchFunc: typeof fetch, init: RequestInit | undefined): Promise<ModelArtifacts> {
  const text = await (await fetchOk(fetchFunc, modelUrl, init, 'model.json')).text();
  const json = parseModelJSON(text, modelUrl);
  const base = new URL(modelUrl, typeof location === 'undefined' ? undefined : location.href);
  const buffers: ArrayBuffer[] = [];
  for (const group of json.weightsManifest) {
    const urls = group.paths.map((p) => new URL(p, base).href);
    const parts = await Promise.all(urls.map(async (u) => (await fetchOk(fetchFunc, u, init, `weights (${group.weights.map((w) => w.name).join(', ')})`)).arrayBuffer()));
    const bytes = concatWeightData(parts);
    checkGroupBytes(group, bytes.byteLength, urls.join(' + '));
    buffers.push(bytes);
  }
  return artifactsFromModelJSON(json, concatWeightData(buffers));
}

async function save(url: string, artifacts: ModelArtifacts, fetchFunc: typeof fetch, init: RequestInit | undefined): Promise<SaveResult> {
  const form = new FormData();
  const weightsName = 'model.weights.bin';
  form.append('model.json', new Blob([JSON.stringify(modelJSONFor(artifacts, `./${weightsName}`))], { type: 'application/json' }), 'model.json');
  form.append(weightsName, new Blob([concatWeightData(artifacts.weightData)], { type: 'application/octet-stream' }), weightsName);
  const response = await fetchOk(fetchFunc, url, { method: 'POST', ...init, body: form }, 'the save request');
  return { modelArtifactsInfo: artifactsInfo(artifacts), responses: [response] };
}
