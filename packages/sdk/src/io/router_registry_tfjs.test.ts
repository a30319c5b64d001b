import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { maxAbsDiff } from './testing/round_trip.js';

// km.io.registerLoadRouter / registerSaveRouter with a URL scheme of one's own, checked against
// tfjs' routers on the same store, and the rest of tfjs' tf.io functions in km.io.

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

/** Models saved to `memstore://name`, shared by kerasm's and tfjs' routers. */
const store = new Map<string, km.io.ModelArtifacts>();
const PREFIX = 'memstore://';
const routedOptions: unknown[] = [];

km.io.registerSaveRouter((url) => (url.startsWith(PREFIX) ? km.io.withSaveHandler(async (a) => void store.set(url, a)) : null));
km.io.registerLoadRouter((url, loadOptions) => {
  if (!url.startsWith(PREFIX)) return null;
  routedOptions.push(loadOptions);
  return { load: async () => store.get(url)! };
});
tf.io.registerSaveRouter((url) => (typeof url === 'string' && url.startsWith(PREFIX) ? tf.io.withSaveHandler(async (a) => {
  store.set(url, a as km.io.ModelArtifacts);
  return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
}) : null) as tf.io.IOHandler);
tf.io.registerLoadRouter((url) => (typeof url === 'string' && url.startsWith(PREFIX) ? tf.io.fromMemory(store.get(url) as tf.io.ModelArtifacts) : null) as tf.io.IOHandler);

const x = [[0.3, -0.7, 1.1], [2, 0, -1]];

function kerasmModel(): km.LayersModel {
  return km.sequential([km.layers.dense({ units: 4, inputShape: [3], activation: 'tanh' }), km.layers.dense({ units: 2 })]);
}

describe('a registered router', () => {
  it('saves and loads a kerasm model under its own scheme, and tfjs reads what kerasm saved there', async () => {
    const ours = kerasmModel();
    await ours.save('memstore://from-kerasm');
    expect(store.has('memstore://from-kerasm')).toBe(true);
    const back = await km.loadLayersModel('memstore://from-kerasm');
    expect(Array.from(back.predict(km.tensor(x)).dataSync())).toEqual(Array.from(ours.predict(km.tensor(x)).dataSync()));
    const inTfjs = await tfl.loadLayersModel('memstore://from-kerasm');
    expect(maxAbsDiff((inTfjs.predict(tf.tensor(x)) as tf.Tensor).dataSync(), ours.predict(km.tensor(x)).dataSync())).toBeLessThan(1e-6);
  });

  it('loads what tfjs saved through its router, and model.saveWeights / loadWeights go through it too', async () => {
    const theirs = tfl.sequential({ layers: [tfl.layers.dense({ units: 4, inputShape: [3], activation: 'tanh' }), tfl.layers.dense({ units: 2 })] });
    await theirs.save('memstore://from-tfjs');
    const ours = await km.loadLayersModel('memstore://from-tfjs');
    expect(maxAbsDiff(ours.predict(km.tensor(x)).dataSync(), (theirs.predict(tf.tensor(x)) as tf.Tensor).dataSync())).toBeLessThan(1e-6);
    const fresh = kerasmModel();
    await ours.saveWeights('memstore://weights-only');
    await fresh.loadWeights('memstore://weights-only');
    expect(Array.from(fresh.predict(km.tensor(x)).dataSync())).toEqual(Array.from(ours.predict(km.tensor(x)).dataSync()));
  });

  it("receives loadLayersModel's options, HTTP ones included, as tfjs' routers do", async () => {
    await kerasmModel().save('memstore://options');
    const options = { strict: false, requestInit: { headers: { Authorization: 'Bearer t' } } };
    routedOptions.length = 0;
    await km.loadLayersModel('memstore://options', options);
    expect(routedOptions.at(-1)).toEqual(options);
  });

  it('is refused, with the fix, when two routers claim a URL or it returns a handler that cannot load', async () => {
    km.io.registerLoadRouter((url) => (url.startsWith('twice://') ? km.io.fromMemory({}) : null));
    km.io.registerLoadRouter((url) => (url.startsWith('twice://') ? km.io.fromMemory({}) : null));
    await expect(km.loadLayersModel('twice://m')).rejects.toThrow(/Found 2 handlers to load 'twice:\/\/m'.*Make each router return null for URLs that are not its own/);
    km.io.registerLoadRouter((url) => (url.startsWith('saveonly://') ? km.io.withSaveHandler(async () => {}) : null));
    await expect(km.loadLayersModel('saveonly://m')).rejects.toThrow(/The handler for 'saveonly:\/\/m' cannot load models/);
    await expect(km.loadLayersModel('unknown://m')).rejects.toThrow(/Unknown URL scheme 'unknown:\/\/'.*km\.io\.registerLoadRouter\(\(url\) => \(url\.startsWith\('unknown:\/\/'\)/);
    await expect(kerasmModel().save('unknown://m')).rejects.toThrow(/km\.io\.registerSaveRouter/);
    store.set('memstore://graph', { format: 'graph-model', modelTopology: {} });
    await expect(km.loadLayersModel('memstore://graph')).rejects.toThrow(/^memstore:\/\/graph is a 'graph-model'/); // the URL as given, no /model.json
    expect(() => km.io.registerLoadRouter('memstore://' as never)).toThrow(/takes a function \(url, loadOptions\) => handler or null. Received: string/);
  });

  it("getLoadHandlers and getSaveHandlers list the registered routers' handlers, else kerasm's own for the scheme", async () => {
    const [routed] = km.io.getLoadHandlers('memstore://from-kerasm');
    expect(await routed.load!()).toBe(store.get('memstore://from-kerasm'));
    expect(km.io.getSaveHandlers('memstore://x')).toHaveLength(1);
    for (const url of ['indexeddb://m', 'localstorage://m', 'file:///tmp/m', 'https://example.com/model.json']) {
      expect(km.io.getLoadHandlers(url).map((h) => typeof h.load), url).toEqual(['function']);
      expect(km.io.getSaveHandlers(url).map((h) => typeof h.save), url).toEqual(['function']);
    }
    // As in tfjs: downloads:// only saves, and a path without a scheme has no router.
    expect(km.io.getLoadHandlers('downloads://m')).toEqual([]);
    expect(km.io.getSaveHandlers('downloads://m')).toHaveLength(1);
    expect(km.io.getLoadHandlers('some/path/model.json')).toEqual(tf.io.getLoadHandlers('some/path/model.json'));
    expect(() => km.io.getLoadHandlers(undefined as never)).toThrow(/takes a URL string.*Received: undefined/);
  });
});

describe("the rest of tfjs' tf.io in km.io", () => {
  it('km.io has every function and class of tf.io', () => {
    const missing = Object.keys(tf.io).filter((name) => !(name in km.io));
    expect(missing).toEqual([]);
    for (const name of ['encodeWeights', 'decodeWeights', 'decodeWeightsStream', 'concatenateArrayBuffers', 'CompositeArrayBuffer', 'getModelArtifactsForJSON', 'getModelArtifactsForJSONSync', 'getModelArtifactsInfoForJSON', 'getWeightSpecs', 'loadWeights', 'weightsLoaderFactory', 'fromMemorySync', 'withSaveHandlerSync', 'registerLoadRouter', 'registerSaveRouter', 'getLoadHandlers', 'getSaveHandlers', 'isHTTPScheme', 'browserHTTPRequest']) {
      expect(typeof (km.io as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('isHTTPScheme answers as tfjs does, and also for an upper-case scheme', () => {
    for (const url of ['http://a/model.json', 'https://a', 'file://a', 'indexeddb://m', 'a/http://b', 'httpx://a', '']) {
      expect(km.io.isHTTPScheme(url), url).toBe(tf.io.isHTTPScheme(url));
    }
    expect(km.io.isHTTPScheme('HTTPS://a')).toBe(true);
    expect(() => km.io.isHTTPScheme(null as never)).toThrow(/takes a URL string. Received: null/);
  });

  it('browserHTTPRequest is km.io.http under tfjs\' old name', async () => {
    const urls: string[] = [];
    const fetchFunc = (async (url: string) => {
      urls.push(url);
      return new Response('{}', { status: 404, statusText: 'Not Found' });
    }) as typeof fetch;
    const handler = km.io.browserHTTPRequest('https://example.com/m', { fetchFunc });
    await expect(handler.load!()).rejects.toThrow(/HTTP 404/);
    expect(urls).toEqual(['https://example.com/m/model.json']);
  });

  it('fromMemorySync and withSaveHandlerSync behave as tfjs\' do, the old positional fromMemory included', () => {
    const artifacts = { modelTopology: { class_name: 'Sequential' }, weightSpecs: [], weightData: new ArrayBuffer(0) };
    expect(km.io.fromMemorySync(artifacts).load!()).toBe(artifacts);
    const topology = { class_name: 'Sequential', config: {} };
    const specs = [{ name: 'w', shape: [1], dtype: 'float32' as const }];
    const data = new ArrayBuffer(4);
    expect(km.io.fromMemorySync(topology, specs, data).load!()).toEqual(tf.io.fromMemorySync(topology, specs, data).load!());
    expect(km.io.fromMemorySync({ format: 'layers-model' }).load!()).toEqual(tf.io.fromMemorySync({ format: 'layers-model' }).load!());
    const saved: km.io.ModelArtifacts[] = [];
    const result = km.io.withSaveHandlerSync((a) => void saved.push(a)).save!(artifacts);
    expect(saved).toEqual([artifacts]);
    expect(result.modelArtifactsInfo.weightDataBytes).toBe(0);
    expect(km.io.withSaveHandlerSync(() => ({ modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } })).save!(artifacts).modelArtifactsInfo.dateSaved).toEqual(new Date(0));
    expect(() => km.io.fromMemorySync(null as never)).toThrow(/takes the model's artifacts.*Received: null/);
    expect(() => km.io.withSaveHandlerSync('x' as never)).toThrow(/takes a function that receives the artifacts.*Received: string/);
  });

  it('a sync handler loads with km.loadLayersModel', async () => {
    let saved: km.io.ModelArtifacts | undefined;
    const model = kerasmModel();
    await model.save(km.io.withSaveHandler(async (a) => void (saved = a)));
    const loaded = await km.loadLayersModel(km.io.fromMemorySync(saved!) as unknown as km.io.IOHandler);
    expect(Array.from(loaded.predict(km.tensor(x)).dataSync())).toEqual(Array.from(model.predict(km.tensor(x)).dataSync()));
  });
});
