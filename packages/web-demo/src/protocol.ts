// The messages between the element (UI thread) and the training worker.

/** Models the demo can train. A CNN joins once the SDK has Conv2D. */
export type ModelKind = 'mlp';

/** Model kinds the element accepts in its `model` attribute. */
export const MODEL_KINDS: readonly ModelKind[] = ['mlp'];

/** One training run's settings, as the element's attributes give them. */
export interface TrainConfig {
  model: ModelKind;
  epochs: number;
  batchSize: number;
  trainSamples: number;
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

// Extension point (issue #3, save/load): 'save' and 'load' messages (IndexedDB, files) join here
// once the SDK can save models; the worker owns the model, so it does the saving.
export type ToWorker =
  | { type: 'train'; config: TrainConfig }
  | { type: 'stop' }
  | { type: 'predict'; id: number; pixels: Float32Array };

export type FromWorker =
  | { type: 'status'; text: string }
  | { type: 'batchend'; epoch: number; batch: number; steps: number; logs: Logs; samplesPerSecond: number }
  | { type: 'epochend'; epoch: number; logs: Logs }
  | { type: 'trainend'; history: HistoryData; testLoss: number; testAccuracy: number; kernels: string; samples: TestSamples }
  | { type: 'prediction'; id: number; probabilities: Float32Array }
  | { type: 'error'; id?: number; message: string };
