import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';
import { maxAbsDiff } from './testing/round_trip.js';

// km.io's model.json helpers (getModelArtifactsForJSON, getWeightSpecs, getModelArtifactsInfoForJSON)
// and weight loaders (weightsLoaderFactory, loadWeights) on the model.json tfjs-layers writes,
// against tfjs-core 4.22's own.

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A compiled tfjs-layers model with int32 and float32 weights, and a non-ASCII name in its topology. */
function tfjsModel(): tfl.LayersModel {
  const model = tfl.sequential({
    name: 'modèle_ü',
    layers: [tfl.layers.dense({ name: 'hidden', units: 3, inputShape: [4], activation: 'relu' }), tfl.layers.dense({ name: 'out', units: 2 })],
  });
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  return model;
}

/** The model.json text and weight file tfjs-layers writes, as its http handler POSTs them. */
async function tfjsModelFiles(model: tfl.LayersModel): Promise<{ json: km.io.ModelJSON; weights: ArrayBuffer }> {
  let form: FormData | undefined;
  const fetchFunc = (async (_url: string, init?: RequestInit) => {
    form = init!.body as FormData;
    return new Response('{}', { status: 200 });
  }) as typeof fetch;
  await model.save(tf.io.http('https://example.com/upload', { fetchFunc }));
  const json = JSON.parse(await (form!.get('model.json') as Blob).text()) as km.io.ModelJSON;
  return { json, weights: await (form!.get('model.weights.bin') as Blob).arrayBuffer() };
}

describe("km.io's model.json helpers on a model.json tfjs-layers wrote", () => {
  it('getModelArtifactsForJSON and getWeightSpecs give the artifacts tfjs gives, and they load into the same model', async () => {
    const theirModel = tfjsModel();
    const { json, weights } = await tfjsModelFiles(theirModel);
    const loader = async (manifest: km.io.WeightsManifestConfig): Promise<[km.io.WeightSpec[], ArrayBuffer]> => [km.io.getWeightSpecs(manifest), weights];
    const ours = await km.io.getModelArtifactsForJSON(json, loader);
    const theirs = await tf.io.getModelArtifactsForJSON(json as tf.io.ModelJSON, async (m) => [tf.io.getWeightSpecs(m), weights]);
    expect(ours).toEqual(theirs);
    expect(km.io.getWeightSpecs(json.weightsManifest)).toEqual(tf.io.getWeightSpecs(json.weightsManifest as tf.io.WeightsManifestConfig));
    expect(km.io.getModelArtifactsForJSONSync(json, ours.weightSpecs, weights)).toEqual(tf.io.getModelArtifactsForJSONSync(json as tf.io.ModelJSON, theirs.weightSpecs, weights));
    const ourModel = await km.loadLayersModel(km.io.fromMemory(ours));
    const x = [[0.5, -1, 2, 0.25]];
    expect(maxAbsDiff(ourModel.predict(km.tensor(x)).dataSync(), (theirModel.predict(tf.tensor(x)) as tf.Tensor).dataSync())).toBeLessThan(1e-6);
  });

  it('getModelArtifactsInfoForJSON counts the bytes tfjs counts (UTF-8 for JSON), and 0 for what is missing', async () => {
    const { json, weights } = await tfjsModelFiles(tfjsModel());
    const artifacts = await tf.io.getModelArtifactsForJSON(json as tf.io.ModelJSON, async (m) => [tf.io.getWeightSpecs(m), [weights.slice(0, 10), weights.slice(10)]]);
    const sizes = ({ dateSaved: _d, ...rest }: km.io.ModelArtifactsInfo | tf.io.ModelArtifactsInfo) => rest;
    expect(sizes(km.io.getModelArtifactsInfoForJSON(artifacts as km.io.ModelArtifacts))).toEqual(sizes(tf.io.getModelArtifactsInfoForJSON(artifacts)));
    expect(sizes(km.io.getModelArtifactsInfoForJSON({}))).toEqual(sizes(tf.io.getModelArtifactsInfoForJSON({})));
    expect(km.io.getModelArtifactsInfoForJSON({}).dateSaved).toBeInstanceOf(Date);
    expect(() => km.io.getModelArtifactsInfoForJSON({ modelTopology: new ArrayBuffer(4) })).toThrow(/JSON topology.*Received: modelTopology=an ArrayBuffer/);
  });

  it('names what is missing or wrong', async () => {
    const { json } = await tfjsModelFiles(tfjsModel());
    expect(() => km.io.getModelArtifactsForJSONSync(json)).toThrow(/has a weightsManifest, so weightSpecs is required. Received: weightSpecs=undefined/);
    expect(() => km.io.getModelArtifactsForJSONSync(json, [])).toThrow(/so weightData is required/);
    expect(() => km.io.getModelArtifactsForJSONSync('{}' as unknown as km.io.ModelJSON)).toThrow(/takes a parsed model.json.*JSON.parse.*Received: string/);
    await expect(km.io.getModelArtifactsForJSON(json, undefined as never)).rejects.toThrow(/function that reads the weights.*Received: loadWeights=undefined/);
    expect(() => km.io.getWeightSpecs({} as km.io.WeightsManifestConfig)).toThrow(/weightsManifest, an array of \{ paths, weights \}. Received: \{\}/);
  });
});

describe('km.io.weightsLoaderFactory and loadWeights', () => {
  /** tfjs' file, its weights split over three files in one group. */
  async function shardedFiles() {
    const theirModel = tfjsModel();
    const { json, weights } = await tfjsModelFiles(theirModel);
    const cuts = [0, 13, 40, weights.byteLength];
    const paths = ['w-1of3.bin', 'w-2of3.bin', 'w-3of3.bin'];
    const files = new Map(paths.map((p, i) => [`models/m/${p}`, weights.slice(cuts[i], cuts[i + 1])]));
    const manifest: km.io.WeightsManifestConfig = [{ paths, weights: json.weightsManifest[0].weights }];
    return { manifest, files, theirModel };
  }

  it('reads all weights, or those named, as tfjs does', async () => {
    const { manifest, files } = await shardedFiles();
    const asked: string[][] = [];
    const fetchFiles = async (urls: string[]) => {
      asked.push(urls);
      return urls.map((u) => files.get(u)!);
    };
    const ourLoad = km.io.weightsLoaderFactory(fetchFiles);
    const theirLoad = tf.io.weightsLoaderFactory(fetchFiles);
    for (const names of [undefined, ['out/bias', 'hidden/kernel']]) {
      const ours = await ourLoad(manifest, 'models/m', names);
      const theirs = await theirLoad(manifest as tf.io.WeightsManifestConfig, 'models/m', names);
      expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
      for (const name of Object.keys(theirs)) expect(Array.from(ours[name].dataSync())).toEqual(Array.from(theirs[name].dataSync() as Float32Array));
    }
    expect(asked[0]).toEqual(['models/m/w-1of3.bin', 'models/m/w-2of3.bin', 'models/m/w-3of3.bin']);
    expect(asked[1]).toEqual(asked[0]); // kerasm's prefix joining is tfjs'
  });

  it('names the missing weights, the short file and a fetch function that returns too few buffers', async () => {
    const { manifest, files } = await shardedFiles();
    const load = km.io.weightsLoaderFactory(async (urls) => urls.map((u) => files.get(u)!));
    await expect(load(manifest, 'models/m', ['nope'])).rejects.toThrow(/no weights named 'nope'; it has 'hidden\/kernel'.*Received: weightNames=\["nope"\]/);
    const short = km.io.weightsLoaderFactory(async (urls) => urls.map((u) => files.get(u)!.slice(0, 4)));
    await expect(short(manifest, 'models/m')).rejects.toThrow(/models\/m\/w-1of3.bin \+ .* is truncated: weight 'hidden\/kernel'/);
    await expect(km.io.weightsLoaderFactory(async () => [])(manifest, 'models/m')).rejects.toThrow(/one ArrayBuffer per URL \(3\). Received: 0 buffers/);
    expect(() => km.io.weightsLoaderFactory('x' as never)).toThrow(/Received: string/);
  });

  it('loadWeights fetches each file with requestInit and returns the tensors', async () => {
    const { manifest, files, theirModel } = await shardedFiles();
    const requests: [string, RequestInit | undefined][] = [];
    vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
      requests.push([url, init]);
      const body = files.get(url.replace('https://example.com/', ''));
      return body ? new Response(body) : new Response('missing', { status: 404, statusText: 'Not Found' });
    });
    const init = { headers: { Authorization: 'Bearer t' } };
    const tensors = await km.io.loadWeights(manifest, 'https://example.com/models/m/', undefined, init);
    expect(requests.map(([u]) => u)).toEqual(['https://example.com/models/m/w-1of3.bin', 'https://example.com/models/m/w-2of3.bin', 'https://example.com/models/m/w-3of3.bin']);
    expect(requests.every(([, i]) => i === init)).toBe(true);
    const kernel = theirModel.layers[0].getWeights()[0];
    expect(Array.from(tensors['hidden/kernel'].dataSync())).toEqual(Array.from(kernel.dataSync()));
    await expect(km.io.loadWeights(manifest, 'https://example.com/elsewhere')).rejects.toThrow(/failed with HTTP 404 Not Found/);
  });
});
