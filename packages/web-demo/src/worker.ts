// Trains and predicts off the UI thread, through the SDK's public API only.
import * as km from '@kerasm/sdk';
import type { FromWorker, TestSamples, ToWorker, TrainConfig } from './protocol.js';
import { buildModel } from './models.js';

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

const post = (message: FromWorker, transfer: Transferable[] = []): void => self.postMessage(message, { transfer });

// A MessageChannel round trip gives the event loop a turn without setTimeout's 4 ms clamp.
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });

async function loadData(config: TrainConfig): Promise<km.datasets.MnistData> {
  if (loaded && loaded.url === config.dataUrl && loaded.trainSamples >= config.trainSamples) return loaded.data;
  post({ type: 'status', text: 'Loading MNIST…' });
  const data = await km.datasets.mnist.load({ url: config.dataUrl, gzip: true, trainSamples: config.trainSamples });
  loaded = { url: config.dataUrl, trainSamples: config.trainSamples, data };
  return data;
}

async function train(config: TrainConfig): Promise<void> {
  const { train: trainSplit, test } = await loadData(config);
  const n = Math.min(config.trainSamples, trainSplit.x.shape[0]);
  const x = n === trainSplit.x.shape[0] ? trainSplit.x : trainSplit.x.slice(0, n);
  const y = n === trainSplit.y.shape[0] ? trainSplit.y : trainSplit.y.slice(0, n);
  const next = buildModel(config.model);
  training = next;
  post({ type: 'status', text: 'Training…' });

  const steps = Math.ceil(n / config.batchSize);
  let epochStart = 0;
  let lastYield = 0;
  let epochIndex = 0;
  const history = await next.fit(x, y, {
    epochs: config.epochs,
    batchSize: config.batchSize,
    verbose: 0,
    callbacks: {
      onEpochBegin: (epoch) => {
        epochIndex = epoch;
        epochStart = lastYield = performance.now();
      },
      onBatchEnd: async (batch, logs) => {
        const now = performance.now();
        const seen = batch * config.batchSize + logs.size;
        const samplesPerSecond = seen / Math.max(1e-3, (now - epochStart) / 1000);
        post({ type: 'batchend', epoch: epochIndex, batch, steps, logs, samplesPerSecond });
        if (now - lastYield > YIELD_EVERY_MS) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
      },
      onEpochEnd: (epoch, logs) => post({ type: 'epochend', epoch, logs }),
    },
  });
  training = null;
  model = next;
  post({ type: 'status', text: 'Evaluating on the 10,000 test images…' });
  const [testLoss, testAccuracy] = await next.evaluate(test.x, test.y, { verbose: 0, batchSize: 256 });
  const samples = gridSamples(next, test);
  post(
    {
      type: 'trainend',
      history: { epoch: history.epoch, history: history.history },
      testLoss,
      testAccuracy,
      kernels: km.getBackendInfo().kernels,
      samples,
    },
    [samples.pixels.buffer, samples.labels.buffer, samples.predictions.buffer],
  );
}

function gridSamples(trained: km.LayersModel, test: km.datasets.MnistSplit): TestSamples {
  const x = test.x.slice(0, GRID_SAMPLES);
  const probabilities = trained.predict(x).dataSync();
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

function predict(id: number, pixels: Float32Array): void {
  if (!model) {
    post({ type: 'error', id, message: 'predict() needs a trained model: call train() first (or press Train) and wait for it to finish.' });
    return;
  }
  const probabilities = model.predict(km.tensor(pixels, [1, 28, 28])).dataSync() as Float32Array;
  post({ type: 'prediction', id, probabilities }, [probabilities.buffer]);
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  try {
    if (message.type === 'train') {
      train(message.config).catch((err: unknown) => {
        training = null;
        post({ type: 'error', message: (err as Error).message ?? String(err) });
      });
    } else if (message.type === 'stop') {
      if (training) training.stopTraining = true;
    } else if (message.type === 'predict') {
      predict(message.id, message.pixels);
    }
  } catch (err) {
    post({ type: 'error', id: 'id' in message ? message.id : undefined, message: (err as Error).message ?? String(err) });
  }
};
