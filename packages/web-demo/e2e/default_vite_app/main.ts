// The smallest app that embeds the SDK: its threaded core pulls in the kernel worker, which Vite
// bundles in its default worker format (IIFE). It makes only Dense layers, so its bundle leaves the
// other layers out of its first load; loading a saved model fetches the ones the model needs.
import * as km from '@kerasm/sdk';

async function run(): Promise<{ threads: number; prediction: number[] }> {
  await km.setThreads(2);
  await km.ready();
  const model = km.sequential([km.layers.dense({ units: 3, inputShape: [2] })]);
  const prediction = Array.from(model.predict(km.tensor([[1, 2]])).dataSync());
  return { threads: km.getBackendInfo().threads, prediction };
}

/** Loads a saved model over HTTP and predicts `x`, a batch of samples as nested arrays. */
async function loadAndPredict(url: string, x: number[][][]): Promise<number[]> {
  const model = await km.loadLayersModel(url);
  return Array.from(model.predict(km.tensor(x)).dataSync());
}

/** What km.layers.layerFromConfig does with a class this bundle has not loaded, before and after loading it. */
async function layerFromConfigAroundLoad(className: string): Promise<{ before: string; after: string }> {
  let before = 'no error';
  try {
    km.layers.layerFromConfig(className, { units: 2 });
  } catch (err) {
    before = (err as Error).message;
  }
  await km.layers.loadLayerClasses([className]);
  return { before, after: km.layers.layerFromConfig(className, { units: 2 }).className };
}

Object.assign(window, { result: run(), loadAndPredict, layerFromConfigAroundLoad });
