import { CompositeArrayBuffer } from './composite_array_buffer.js';
import { fetchOk } from './handlers/http.js';
import { toTensorMap, type NamedTensorMap } from './tensor_weights.js';
import type { WeightsManifestConfig } from './types.js';
import { decodeWeights } from './weights.js';

/** What {@link weightsLoaderFactory} makes: reads the weights a manifest describes, all or those named. */
export type WeightsLoader = (manifest: WeightsManifestConfig, filePathPrefix?: string, weightNames?: string[]) => Promise<NamedTensorMap>;

/**
 * A function that reads the weights a manifest describes with `fetchWeightsFunction` and returns
 * them as tensors (tfjs' `io.weightsLoaderFactory`). It asks for each file of the groups that hold
 * a wanted weight at `filePathPrefix + '/' + path` (no second `/` when the prefix ends with one),
 * as tfjs does; a group's files must hold exactly the bytes its weights need.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * const loadFromDisk = km.io.weightsLoaderFactory((paths) => Promise.all(paths.map(async (p) => {
 *   const bytes = await readFile(p);
 *   return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
 * })));
 * const tensors = await loadFromDisk(modelJSON.weightsManifest, 'out/model');
 * ```
 */
export function weightsLoaderFactory(fetchWeightsFunction: (fetchUrls: string[]) => Promise<ArrayBuffer[]>): WeightsLoader {
  if (typeof fetchWeightsFunction !== 'function') {
    throw new Error(`km.io.weightsLoaderFactory takes a function that fetches weight files, (urls) => Promise<ArrayBuffer[]>. Received: ${fetchWeightsFunction === null ? 'null' : typeof fetchWeightsFunction}.`);
  }
  return async (manifest, filePathPrefix = '', weightNames) => {
    checkManifest(manifest);
    const wanted = weightNames == null ? null : new Set(weightNames);
    if (wanted) checkNamesFound(manifest, weightNames!);
    const groups = manifest.filter((g) => !wanted || g.weights.some((w) => wanted.has(w.name)));
    const urls = groups.map((g) => g.paths.map((path) => `${filePathPrefix}${filePathPrefix.endsWith('/') ? '' : '/'}${path}`));
    const buffers = await fetchWeightsFunction(urls.flat());
    if (!Array.isArray(buffers) || buffers.length !== urls.flat().length) {
      throw new Error(`km.io.weightsLoaderFactory: the fetch function must return one ArrayBuffer per URL (${urls.flat().length}). Received: ${Array.isArray(buffers) ? `${buffers.length} buffers` : typeof buffers}.`);
    }
    const out: NamedTensorMap = {};
    let next = 0;
    groups.forEach((group, g) => {
      const bytes = new CompositeArrayBuffer(buffers.slice(next, (next += group.paths.length)));
      const weights = decodeWeights(group.weights, bytes, urls[g].join(' + ')).filter((w) => !wanted || wanted.has(w.name));
      Object.assign(out, toTensorMap(weights));
    });
    return out;
  };
}

function checkManifest(manifest: unknown): asserts manifest is WeightsManifestConfig {
  const isGroup = (g: unknown) => Array.isArray((g as { paths?: unknown })?.paths) && Array.isArray((g as { weights?: unknown }).weights);
  if (!Array.isArray(manifest) || !manifest.every(isGroup)) {
    throw new Error(`km.io weight loading takes model.json's weightsManifest, an array of { paths: string[], weights: [...] }. Received: ${JSON.stringify(manifest)?.slice(0, 80)}.`);
  }
}

function checkNamesFound(manifest: WeightsManifestConfig, weightNames: readonly string[]): void {
  const names = new Set(manifest.flatMap((g) => g.weights.map((w) => w.name)));
  const missing = weightNames.filter((n) => !names.has(n));
  if (missing.length > 0) {
    throw new Error(`The weights manifest has no weights named ${missing.map((n) => `'${n}'`).join(', ')}; it has ${[...names].map((n) => `'${n}'`).join(', ')}. Received: weightNames=${JSON.stringify(weightNames)}.`);
  }
}

/**
 * Fetches the weights a manifest describes over HTTP and returns them as tensors (tfjs'
 * `io.loadWeights`), with `requestInit` for every request; see {@link weightsLoaderFactory} for
 * how file URLs are made from `filePathPrefix`.
 *
 * @example
 * ```ts
 * const modelJSON = await (await fetch('https://example.com/model/model.json')).json();
 * const tensors = await km.io.loadWeights(modelJSON.weightsManifest, 'https://example.com/model');
 * ```
 */
export async function loadWeights(manifest: WeightsManifestConfig, filePathPrefix = '', weightNames?: string[], requestInit?: RequestInit): Promise<NamedTensorMap> {
  const fetchAll = (urls: string[]) => Promise.all(urls.map(async (url) => (await fetchOk(globalThis.fetch, url, requestInit, 'weights', 'load', true)).arrayBuffer()));
  return weightsLoaderFactory(fetchAll)(manifest, filePathPrefix, weightNames);
}
