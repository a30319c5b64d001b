import { artifactsFromModelJSON, getModelArtifactsInfoForJSON, checkGroupBytes, modelJSONFor, parseModelJSON } from '../artifacts_json.js';
import type { IOHandler, ModelArtifacts, SaveResult } from '../types.js';
import { concatWeightData } from '../weights.js';
import { checkOptions, optionNames } from '../../utils/options.js';

/** Options of {@link http}, and the HTTP options of `km.loadLayersModel(url, options)`: tfjs' `LoadOptions` for URLs. */
export interface HttpOptions {
  /** Passed to every `fetch` (headers, credentials); saving uses method POST unless given. It may not have a body. */
  requestInit?: RequestInit;
  /** A `fetch` to use instead of the global one; weight files are fetched with `fetchFunc(url, requestInit, { isBinary: true })`, as in tfjs. */
  fetchFunc?: typeof fetch;
  /**
   * Called as the weight files arrive, with a fraction that grows to 1, as in tfjs: up to 0.5 as
   * their responses come, then up to 1 as their bodies are read. A model without weight files
   * reports 1 once.
   */
  onProgress?: (fraction: number) => void;
  /**
   * Where the weight files are, instead of next to `model.json`: each is fetched from
   * `weightPathPrefix + name` plus the model URL's query string. As in tfjs, the prefix is joined
   * as is, so end it with `/` (`'https://cdn.example.com/weights/'`).
   */
  weightPathPrefix?: string;
  /** Gives the URL to fetch for each weight file name in `model.json` (takes precedence over `weightPathPrefix`). */
  weightUrlConverter?: (weightFileName: string) => Promise<string>;
}

const HTTP_OPTIONS = optionNames<HttpOptions>({ requestInit: true, fetchFunc: true, onProgress: true, weightPathPrefix: true, weightUrlConverter: true });

/** How a failed request's message tells the fix: loading and saving pass credentials differently. */
type Purpose = 'load' | 'save';

/**
 * Loads a model over HTTP(S) from its `model.json` URL (a folder URL gets `/model.json`), fetching
 * the weight files relative to it with the model URL's query string (as tfjs does, so a
 * `?alt=media&token=...` URL works); saves by POSTing `model.json` and `model.weights.bin` as
 * multipart form data, as tfjs' `io.http` does.
 *
 * @example
 * ```ts
 * const model = await km.loadLayersModel(km.io.http('https://example.com/models/mnist/model.json', {
 *   requestInit: { headers: { Authorization: `Bearer ${token}` } },
 *   onProgress: (fraction) => console.log(`${Math.round(fraction * 100)}%`),
 * }));
 * ```
 */
export function http(url: string, options: HttpOptions = {}): IOHandler {
  checkHttpOptions(options, 'km.io.http');
  const fetchFunc = options.fetchFunc ?? globalThis.fetch;
  return {
    load: () => load(modelJsonUrl(url), fetchFunc, options),
    save: (artifacts) => save(url, artifacts, fetchFunc, options.requestInit),
  };
}

/**
 * tfjs' deprecated name of {@link http}, kept so ported code runs.
 *
 * @deprecated Use `km.io.http(url, options)`.
 * @example
 * ```ts
 * const model = await km.loadLayersModel(km.io.browserHTTPRequest('https://example.com/model.json'));
 * ```
 */
export function browserHTTPRequest(path: string, loadOptions?: HttpOptions): IOHandler {
  return http(path, loadOptions);
}

/**
 * Whether `url` is an http:// or https:// URL (tfjs' `io.isHTTPScheme`), which kerasm loads and
 * saves with {@link http}. Unlike tfjs, the scheme's case does not matter (`HTTPS://` counts), as
 * for kerasm's loaders.
 *
 * @example
 * ```ts
 * km.io.isHTTPScheme('https://example.com/model.json'); // true
 * km.io.isHTTPScheme('indexeddb://model'); // false
 * ```
 */
export function isHTTPScheme(url: string): boolean {
  if (typeof url !== 'string') throw new Error(`km.io.isHTTPScheme takes a URL string. Received: ${describe(url)}.`);
  return /^https?:\/\//i.test(url);
}

/** Throws unless `options` holds only HTTP options of the right types; `call` names the function in the message. */
export function checkHttpOptions(options: HttpOptions, call: string): void {
  checkOptions(options, HTTP_OPTIONS, call);
  for (const name of ['fetchFunc', 'onProgress', 'weightUrlConverter'] as const) {
    const value = options[name];
    if (value !== undefined && typeof value !== 'function') throw new Error(`${call}: ${name} must be a function. Received: ${name}=${describe(value)}.`);
  }
  if (options.weightPathPrefix !== undefined && typeof options.weightPathPrefix !== 'string') {
    throw new Error(`${call}: weightPathPrefix must be a string such as 'https://cdn.example.com/weights/'. Received: weightPathPrefix=${describe(options.weightPathPrefix)}.`);
  }
  const init = options.requestInit;
  if (init !== undefined && (typeof init !== 'object' || init === null)) throw new Error(`${call}: requestInit must be fetch's options object, such as { headers: { Authorization: 'Bearer ...' } }. Received: requestInit=${describe(init)}.`);
  if (init?.body != null) throw new Error(`${call}: requestInit may not have a body, as in tfjs: loading sends none, and saving sends the model as the body. Remove requestInit.body.`);
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value);
}

/** The model.json URL a URL names: a folder URL gets `/model.json`, before its query string. */
function modelJsonUrl(url: string): string {
  const [, path, rest] = /^([^?#]*)(.*)$/s.exec(url)!;
  return path.endsWith('.json') ? url : `${path.replace(/\/$/, '')}/model.json${rest}`;
}

/** `fetch`es `url`, throwing an error that names `what` and the fix when the request fails or is not ok; `binary` passes tfjs' `{ isBinary: true }`. */
export async function fetchOk(fetchFunc: typeof fetch, url: string, init: RequestInit | undefined, what: string, purpose: Purpose, binary = false): Promise<Response> {
  let response: Response;
  try {
    // The third argument is tfjs' RequestDetails, which a tfjs fetchFunc may read.
    response = await (binary ? (fetchFunc as (u: string, i?: RequestInit, d?: { isBinary: boolean }) => Promise<Response>)(url, init, { isBinary: true }) : fetchFunc(url, init));
  } catch (err) {
    throw new Error(`Cannot fetch ${what} from ${url}: ${(err as Error).message}. Check the URL and that the server is reachable.`);
  }
  if (!response.ok) throw new Error(`Fetching ${what} from ${url} failed with HTTP ${response.status} ${response.statusText}. ${advice(response.status, init, purpose)}`);
  return response;
}

/** What to do about a failed request: credentials for 401 and 403, else the URL. */
function advice(status: number, init: RequestInit | undefined, purpose: Purpose): string {
  if (status !== 401 && status !== 403) return 'Check the URL.';
  if (init?.headers !== undefined) {
    return `The server refused the credentials in requestInit.headers: check that they are valid and allow ${purpose === 'load' ? 'reading' : 'writing'} this URL.`;
  }
  const how = purpose === 'load'
    ? "km.loadLayersModel(url, { requestInit: { headers: { Authorization: 'Bearer <token>' } } }) (or km.io.http(url, { requestInit }))"
    : "model.save(km.io.http(url, { requestInit: { headers: { Authorization: 'Bearer <token>' } } }))";
  return `${status === 401 ? 'The server wants credentials' : 'The server refused access; if it needs credentials'}: pass them with ${how}.`;
}

async function load(modelUrl: string, fetchFunc: typeof fetch, options: HttpOptions): Promise<ModelArtifacts> {
  const init = options.requestInit;
  const text = await (await fetchOk(fetchFunc, modelUrl, init, 'model.json', 'load')).text();
  const json = parseModelJSON(text, modelUrl);
  const urls = await weightUrls(json.weightsManifest.map((g) => g.paths), modelUrl, options);
  const files = json.weightsManifest.flatMap((group, g) => group.paths.map((_, i) => ({ url: urls[g][i], what: `weights (${group.weights.map((w) => w.name).join(', ')})` })));
  // All files at once, as tfjs fetches them; progress counts responses, then bodies, so it only grows.
  const progress = counter(files.length, options.onProgress);
  const responses = await Promise.all(files.map(async ({ url, what }) => {
    try {
      return progress(0, await fetchOk(fetchFunc, url, init, what, 'load', true));
    } catch (err) {
      throw withPrefixHint(err as Error, options.weightPathPrefix);
    }
  }));
  const bodies = await Promise.all(responses.map(async (r) => progress(0.5, await r.arrayBuffer())));
  if (files.length === 0) options.onProgress?.(1);
  let next = 0;
  const buffers = json.weightsManifest.map((group, g) => {
    const bytes = concatWeightData(bodies.slice(next, (next += group.paths.length)));
    checkGroupBytes(group, bytes.byteLength, urls[g].join(' + '));
    return bytes;
  });
  return artifactsFromModelJSON(json, concatWeightData(buffers));
}

/** The URL of each weight file, per manifest group, as tfjs' `getWeightUrls` makes them. */
async function weightUrls(groups: readonly string[][], modelUrl: string, options: HttpOptions): Promise<string[][]> {
  const { weightUrlConverter, weightPathPrefix } = options;
  if (weightUrlConverter) return Promise.all(groups.map((paths) => Promise.all(paths.map((p) => weightUrlConverter(p)))));
  const model = new URL(modelUrl, typeof location === 'undefined' ? undefined : location.href);
  if (weightPathPrefix !== undefined) return groups.map((paths) => paths.map((p) => `${weightPathPrefix}${p}${model.search}`));
  return groups.map((paths) => paths.map((p) => new URL(`${p}${model.search}`, model).href));
}

/** Reports each of `count` steps in a half of the progress, passing the value through. */
function counter(count: number, onProgress: ((fraction: number) => void) | undefined): <T>(half: 0 | 0.5, value: T) => T {
  const done = { 0: 0, 0.5: 0 };
  return (half, value) => {
    onProgress?.(half + (0.5 * ++done[half]) / count);
    return value;
  };
}

/** A 404 under a `weightPathPrefix` without a trailing `/` most likely joined the prefix to the file name. */
function withPrefixHint(err: Error, prefix: string | undefined): Error {
  if (prefix === undefined || prefix.endsWith('/') || !/HTTP 404/.test(err.message)) return err;
  return new Error(`${err.message} weightPathPrefix '${prefix}' is joined to each file name as is, as in tfjs; did you mean '${prefix}/'?`);
}

async function save(url: string, artifacts: ModelArtifacts, fetchFunc: typeof fetch, init: RequestInit | undefined): Promise<SaveResult> {
  const form = new FormData();
  const weightsName = 'model.weights.bin';
  form.append('model.json', new Blob([JSON.stringify(modelJSONFor(artifacts, `./${weightsName}`))], { type: 'application/json' }), 'model.json');
  form.append(weightsName, new Blob([concatWeightData(artifacts.weightData)], { type: 'application/octet-stream' }), weightsName);
  const response = await fetchOk(fetchFunc, url, { method: 'POST', ...init, body: form }, 'the save request', 'save');
  return { modelArtifactsInfo: getModelArtifactsInfoForJSON(artifacts), responses: [response] };
}
