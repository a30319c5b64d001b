// Trains and predicts off the UI thread, through the SDK's public API only.
import * as km from '@kerasm/sdk';
import type { FromWorker, TestReport, TestSamples, ToWorker, TrainConfig } from './protocol.js';
import { dataUrlError } from './data_url_error.js';
import { buildModel } from './models.js';
import { probeBackends, useBackend } from './worker_backends.js';

const GRID_SAMPLES = 24;
/** Longest stretch of training between two chances for stop/predict messages to run. */
const YIELD_EVERY_MS = 20;

interface Loaded {
  url: string;
  trainSamples: number;
  data: km.datasets.MnistData;
}

let loaded: Loaded | null = null;
let model: km.LayersModel | null = null;
let training: km.LayersModel | null = null;
// Set by a 'stop' that may arrive before fit() starts (while MNIST loads or the backend sets up),
// when there is no model yet to flag; fit() also clears stopTraining as it starts.
let stopRequested = false;

const post = (message: FromWorker, transfer: Transferable[] = []): void => self.postMessage(message, { transfer });

async function loadData(config: TrainConfig): Promise<km.datasets.MnistData> {
  if (loaded && loaded.url === config.dataUrl && loaded.trainSamples >= config.trainSamples) return loaded.data;
  post({ type: 'status', text: 'Loading MNIST…' });
  let data: km.datasets.MnistData;
  try {
    data = await km.datasets.mnist.load({ url: config.dataUrl, gzip: true, trainSamples: config.trainSamples });
  } catch (err) {
    throw dataUrlError(err as Error, config.dataUrl);
  }
  loaded = { url: config.dataUrl, trainSamples: config.trainSamples, data };
  return data;
}

async function train(config: TrainConfig): Promise<void> {
  stopRequested = false;
  const { train: trainSplit, test } = await loadData(config);
  if (stopRequested) return post({ type: 'stopped' });
  if (config.backend !== 'wasm') post({ type: 'status', text: `Loading TensorFlow.js for ${config.backend}…` });
  await useBackend(config.backend);
  if (stopRequested) return post({ type: 'stopped' });
  const n = Math.min(config.trainSamples, trainSplit.x.shape[0]);
  const x = n === trainSplit.x.shape[0] ? trainSplit.x : trainSplit.x.slice(0, n);
  const y = n === trainSplit.y.shape[0] ? trainSplit.y : trainSplit.y.slice(0, n);
  if (config.seed !== undefined) km.utils.setRandomSeed(config.seed);
  const next = buildModel(config.model);
  training = next;
  post({ type: 'status', text: 'Training…' });

  const steps = Math.ceil(n / config.batchSize);
  let epochStart = 0;
  let epochIndex = 0;
  const history = await next.fit(x, y, {
    epochs: config.epochs,
    batchSize: config.batchSize,
    seed: config.seed,
    verbose: 0,
    yieldEvery: YIELD_EVERY_MS,
    callbacks: {
      onTrainBegin: () => {
        if (stopRequested) next.stopTraining = true;
      },
      onEpochBegin: (epoch) => {
        epochIndex = epoch;
        epochStart = performance.now();
      },
      onBatchEnd: (batch, logs) => {
        const now = performance.now();
        const seen = batch * config.batchSize + logs.size;
        const samplesPerSecond = seen / Math.max(1e-3, (now - epochStart) / 1000);
        post({ type: 'batchend', epoch: epochIndex, batch, steps, logs, samplesPerSecond });
      },
      onEpochEnd: (epoch, logs) => post({ type: 'epochend', epoch, logs }),
    },
  });
  training = null;
  if (history.epoch.length === 0) {
    next.dispose();
    return post({ type: 'stopped' });
  }
  replaceModel(next);
  const report = await testReport(next, test);
  post({ type: 'trainend', history: { epoch: history.epoch, history: history.history }, ...report }, transferablesOf(report));
}

/** Evaluates a model on the 10,000 test images and predicts the grid's images. */
async function testReport(trained: km.LayersModel, test: km.datasets.MnistSplit): Promise<TestReport> {
  post({ type: 'status', text: 'Evaluating on the 10,000 test images…' });
  const [testLoss, testAccuracy] = await trained.evaluate(test.x, test.y, { verbose: 0, batchSize: 256 });
  return { testLoss, testAccuracy, kernels: km.getBackendInfo().kernels, samples: await gridSamples(trained, test) };
}

const transferablesOf = ({ samples }: TestReport): Transferable[] => [samples.pixels.buffer, samples.labels.buffer, samples.predictions.buffer];

/** Makes `next` the model the page works with, freeing the previous one's memory. */
function replaceModel(next: km.LayersModel): void {
  if (model !== next) model?.dispose();
  model = next;
}

function needModel(what: string): km.LayersModel {
  if (!model) throw new Error(`${what} needs a trained model: call train() first (or press Train) and wait for it to finish, or load a saved model.`);
  return model;
}

/** Saves to a URL the SDK can save to from a worker: indexeddb:// (workers have no localStorage or downloads). */
async function save(id: number, url: string): Promise<void> {
  await needModel('save()').save(url);
  post({ type: 'saved', id });
}

/** The model's artifacts, for the UI thread to offer as downloads. */
async function exportArtifacts(id: number): Promise<void> {
  let artifacts: km.io.ModelArtifacts | undefined;
  await needModel('save()').save(km.io.withSaveHandler(async (a) => void (artifacts = a)));
  post({ type: 'exported', id, artifacts: artifacts! });
}

/** Loads a saved model (a URL, or the files the user picked) and reports how it does on the test set. */
async function load(id: number, source: string | File[], config: TrainConfig): Promise<void> {
  const { test } = await loadData(config);
  await useBackend(config.backend);
  post({ type: 'status', text: 'Loading the model…' });
  const loadedModel = await km.loadLayersModel(typeof source === 'string' ? source : km.io.browserFiles(source));
  replaceModel(loadedModel);
  const report = await testReport(loadedModel, test);
  post({ type: 'loaded', id, ...report }, transferablesOf(report));
}

/** The grid's images with their predicted labels, read back without blocking (WebGPU has no synchronous read in a worker). */
async function gridSamples(trained: km.LayersModel, test: km.datasets.MnistSplit): Promise<TestSamples> {
  const x = test.x.slice(0, GRID_SAMPLES);
  const probabilities = await trained.predict(x).data();
  const predictions = new Int32Array(GRID_SAMPLES);
  for (let i = 0; i < GRID_SAMPLES; i++) predictions[i] = argmax(probabilities.subarray(i * 10, i * 10 + 10));
  const pixels = Uint8Array.from(x.dataSync(), (v) => Math.round(v * 255));
  return { pixels, labels: test.y.dataSync().slice(0, GRID_SAMPLES), predictions };
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

async function predict(id: number, pixels: Float32Array): Promise<void> {
  const probabilities = (await needModel('predict()').predict(km.tensor(pixels, [1, 28, 28])).data()) as Float32Array;
  post({ type: 'prediction', id, probabilities }, [probabilities.buffer]);
}

const failed = (id: number | undefined) => (err: unknown) => {
  post({ type: 'error', id, message: (err as Error).message ?? String(err) });
};

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  try {
    if (message.type === 'probe') {
      probeBackends().then((support) => post({ type: 'support', support }), failed(undefined));
    } else if (message.type === 'train') {
      train(message.config).catch((err: unknown) => {
        training = null;
        failed(undefined)(err);
      });
    } else if (message.type === 'stop') {
      stopRequested = true;
      if (training) training.stopTraining = true;
    } else if (message.type === 'predict') {
      predict(message.id, message.pixels).catch(failed(message.id));
    } else if (message.type === 'save') {
      save(message.id, message.url).catch(failed(message.id));
    } else if (message.type === 'export') {
      exportArtifacts(message.id).catch(failed(message.id));
    } else if (message.type === 'load') {
      load(message.id, message.source, message.config).catch(failed(message.id));
    }
  } catch (err) {
    failed('id' in message ? message.id : undefined)(err);
  }
};
