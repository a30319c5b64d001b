// The messages between the element (UI thread) and the training worker.
import type * as km from '@kerasm/sdk';

/** Models the demo can train: a multilayer perceptron or Keras' MNIST convnet. */
export type ModelKind = 'mlp' | 'cnn';

/** Model kinds the element accepts in its `model` attribute. */
export const MODEL_KINDS: readonly ModelKind[] = ['mlp', 'cnn'];

/** Backends the demo offers: kerasm's WASM core, or TensorFlow.js on the GPU (loaded on demand). */
export type BackendChoice = 'wasm' | 'tfjs-webgl' | 'tfjs-webgpu';

/** Backend choices the element accepts in its `backend` attribute. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ['wasm', 'tfjs-webgl', 'tfjs-webgpu'];

/** Whether each backend can run in the training worker here, and why not where not. */
export type BackendSupport = Record<BackendChoice, { available: boolean; reason?: string }>;

/** One training run's settings, as the element's attributes give them. */
export interface TrainConfig {
  model: ModelKind;
  backend: BackendChoice;
  epochs: number;
  batchSize: number;
  trainSamples: number;
  /** Seeds the initial weights, the shuffling and dropout, so a run repeats exactly; undefined for a fresh random run. */
  seed?: number;
  /** Absolute URL of the folder holding the four gzip'd MNIST IDX files. */
  dataUrl: string;
}

/** The loss and metrics of a batch or an epoch, as `fit` reports them. */
export type Logs = Record<string, number>;

/** The plain-data form of the SDK's History that crosses the worker boundary. */
export interface HistoryData {
  epoch: number[];
  history: Record<string, number[]>;
}

/** Test images shown in the grid, with the trained model's predictions. */
export interface TestSamples {
  /** `count` images of 28×28 bytes, row by row. */
  pixels: Uint8Array;
  labels: Int32Array;
  predictions: Int32Array;
}

/** How the trained (or loaded) model does on the test set, with the images shown in the grid. */
export interface TestReport {
  testLoss: number;
  testAccuracy: number;
  /** The kernels that ran, e.g. 'wasm-relaxed-simd' or 'tfjs-webgl'. */
  kernels: string;
  samples: TestSamples;
}

// The worker owns the model, so it saves and loads it. 'export' hands the artifacts to the UI
// thread, which offers them as downloads (workers have no document to download from).
export type ToWorker =
  | { type: 'probe' }
  | { type: 'train'; config: TrainConfig }
  | { type: 'stop' }
  | { type: 'predict'; id: number; pixels: Float32Array }
  | { type: 'save'; id: number; url: string }
  | { type: 'export'; id: number }
  | { type: 'load'; id: number; source: string | File[]; config: TrainConfig };

export type FromWorker =
  | { type: 'status'; text: string }
  | { type: 'batchend'; epoch: number; batch: number; steps: number; logs: Logs; samplesPerSecond: number }
  | { type: 'epochend'; epoch: number; logs: Logs }
  | ({ type: 'trainend'; history: HistoryData } & TestReport)
  /** A stop() that came before the first batch: nothing was trained and the previous model stays. */
  | { type: 'stopped' }
  | { type: 'prediction'; id: number; probabilities: Float32Array }
  | { type: 'support'; support: BackendSupport }
  | { type: 'saved'; id: number }
  | { type: 'exported'; id: number; artifacts: km.io.ModelArtifacts }
  | ({ type: 'loaded'; id: number } & TestReport)
  | { type: 'error'; id?: number; message: string };
