/**
 * The TensorFlow.js LayersModel format as plain types, field for field as tfjs-layers 4.22 reads
 * and writes it, so kerasm handlers and tfjs `IOHandler`s are interchangeable.
 */

/** Element types a weight can be stored as (before dequantization). */
export type WeightDType = 'float32' | 'int32';

/** How a quantized weight is stored: `value = stored · scale + min` for uint8/uint16, or half floats. */
export interface WeightQuantization {
  dtype: 'uint8' | 'uint16' | 'float16';
  scale?: number;
  min?: number;
  original_dtype?: string;
}

/** One weight in the manifest; the binary data holds the weights back to back in this order. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: WeightDType | string;
  /** `'optimizer'` marks optimizer state (moments, iteration count). */
  group?: string;
  quantization?: WeightQuantization;
}

/** One entry of `model.json`'s `weightsManifest`: binary files (concatenated) and the weights they hold. */
export interface WeightsManifestEntry {
  paths: string[];
  weights: WeightSpec[];
}

/**
 * All of `model.json`'s `weightsManifest` (tfjs' `WeightsManifestConfig`). tfjs calls one weight's
 * entry a `WeightsManifestEntry` and a group a `WeightsManifestGroupConfig`; kerasm's names are
 * {@link WeightSpec} and {@link WeightsManifestEntry}.
 */
export type WeightsManifestConfig = WeightsManifestEntry[];

/** The weights' bytes: one buffer, or several read back to back (tfjs' `WeightData`). */
export type WeightData = ArrayBuffer | ArrayBuffer[];

/** A loss in a training config: a snake_case name, or Keras' `{class_name, config}` for a configured one. */
export type SavedLossEntry = string | { class_name: string; config: Record<string, unknown> };

/** A metric in a training config: its name, or Keras' `{class_name, config}` for one configured by `km.metrics`. */
export type SavedMetricEntry = string | { class_name: string; config: Record<string, unknown> };

/**
 * `trainingConfig` as tfjs writes it (`optimizer_config.config` keeps tfjs' camelCase keys). With
 * several outputs, `loss` and `metrics` are lists in output order or objects keyed by output name.
 */
export interface TrainingConfig {
  /** null for an output compiled without a loss (Keras writes its None as null). */
  loss: SavedLossEntry | (SavedLossEntry | null)[] | Record<string, SavedLossEntry | null>;
  metrics?: SavedMetricEntry[] | Record<string, unknown>;
  /** Keras' weights of the output losses (tfjs-layers 4.22 refuses to load a file that has them). */
  loss_weights?: number[] | Record<string, number>;
  /** Keras' metrics weighted by sample weights (tfjs-layers 4.22 refuses to load a file that has them). */
  weighted_metrics?: SavedMetricEntry[] | Record<string, unknown> | null;
  optimizer_config: { class_name: string; config: Record<string, unknown> };
  [key: string]: unknown;
}

/** Everything a saved model consists of, independent of where it is stored. */
export interface ModelArtifacts {
  /** Keras topology: `{class_name: 'Sequential', config: {...}}` (or Keras' `{model_config: ...}` wrapper). */
  modelTopology?: Record<string, unknown> | ArrayBuffer;
  trainingConfig?: TrainingConfig;
  weightSpecs?: WeightSpec[];
  /** The weights' bytes in `weightSpecs` order; tfjs 4.22 may split them over several buffers. */
  weightData?: WeightData;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  userDefinedMetadata?: Record<string, unknown>;
  /** A graph model's inputs and outputs by key (`{ inputs: { key: { name: 'x:0', ... } }, outputs }`), which `km.loadGraphModel` reads. */
  signature?: Record<string, unknown>;
}

/** What a save reports (tfjs' `SaveResult`). */
export interface SaveResult {
  modelArtifactsInfo: ModelArtifactsInfo;
  responses?: unknown[];
}

/** Sizes of what was saved. */
export interface ModelArtifactsInfo {
  dateSaved: Date;
  modelTopologyType: 'JSON';
  modelTopologyBytes?: number;
  weightSpecsBytes?: number;
  weightDataBytes?: number;
}

/** A place models are saved to or loaded from (tfjs' `IOHandler`): either method may be missing. */
export interface IOHandler {
  save?(artifacts: ModelArtifacts): Promise<SaveResult>;
  load?(): Promise<ModelArtifacts>;
}

/** A handler whose methods return at once (tfjs' `IOHandlerSync`, which tfjs' synchronous graph-model loader takes); kerasm's loaders take an {@link IOHandler}. */
export interface IOHandlerSync {
  save?(artifacts: ModelArtifacts): SaveResult;
  load?(): ModelArtifacts;
}

/** `model.json` as stored on disk or served over HTTP. */
export interface ModelJSON {
  modelTopology: Record<string, unknown>;
  weightsManifest: WeightsManifestEntry[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: TrainingConfig;
  userDefinedMetadata?: Record<string, unknown>;
  /** A graph model's signature (see {@link ModelArtifacts.signature}). */
  signature?: Record<string, unknown>;
}
