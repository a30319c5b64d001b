import { getModelArtifactsInfoForJSON } from '../artifacts_json.js';
import type { IOHandler, IOHandlerSync, ModelArtifacts, SaveResult, TrainingConfig, WeightData, WeightSpec } from '../types.js';

/**
 * A handler that loads from artifacts already in memory (tfjs' `io.fromMemory`). As in tfjs, the
 * older form `fromMemory(modelTopology, weightSpecs, weightData, trainingConfig)` works too.
 *
 * @example
 * ```ts
 * const model = await km.loadLayersModel(km.io.fromMemory(artifacts));
 * ```
 */
export function fromMemory(modelArtifacts: ModelArtifacts | object, weightSpecs?: WeightSpec[], weightData?: WeightData, trainingConfig?: TrainingConfig): IOHandler {
  const artifacts = artifactsOf('fromMemory', arguments.length, modelArtifacts, weightSpecs, weightData, trainingConfig);
  return { load: async () => artifacts };
}

/**
 * {@link fromMemory} whose `load` returns the artifacts at once (tfjs' `io.fromMemorySync`).
 *
 * @example
 * ```ts
 * const artifacts = km.io.fromMemorySync(saved).load!();
 * ```
 */
export function fromMemorySync(modelArtifacts: ModelArtifacts | object, weightSpecs?: WeightSpec[], weightData?: WeightData, trainingConfig?: TrainingConfig): IOHandlerSync {
  const artifacts = artifactsOf('fromMemorySync', arguments.length, modelArtifacts, weightSpecs, weightData, trainingConfig);
  return { load: () => artifacts };
}

/** The artifacts tfjs' passthrough loader makes: one argument with a topology or weight specs is the artifacts, else a bare topology. */
function artifactsOf(call: string, argumentCount: number, first: unknown, weightSpecs?: WeightSpec[], weightData?: WeightData, trainingConfig?: TrainingConfig): ModelArtifacts {
  if (typeof first !== 'object' || first === null) {
    throw new Error(`km.io.${call} takes the model's artifacts, { modelTopology, weightSpecs, weightData, ... }. Received: ${first === null ? 'null' : typeof first}.`);
  }
  const artifacts = first as ModelArtifacts;
  if (argumentCount === 1 && (artifacts.modelTopology != null || artifacts.weightSpecs != null)) return artifacts;
  return { modelTopology: first as Record<string, unknown>, weightSpecs, weightData, trainingConfig };
}

/**
 * A handler that passes the artifacts of a save to a function (tfjs' `io.withSaveHandler`).
 *
 * @example
 * ```ts
 * let saved: km.io.ModelArtifacts | undefined;
 * await model.save(km.io.withSaveHandler(async (artifacts) => { saved = artifacts; }));
 * ```
 */
export function withSaveHandler(save: (artifacts: ModelArtifacts) => Promise<SaveResult | void>): IOHandler {
  checkSaveFunction(save, 'withSaveHandler');
  return {
    save: async (artifacts) => (await save(artifacts)) ?? { modelArtifactsInfo: getModelArtifactsInfoForJSON(artifacts) },
  };
}

/**
 * {@link withSaveHandler} for a function that returns at once (tfjs' `io.withSaveHandlerSync`).
 *
 * @example
 * ```ts
 * const handler = km.io.withSaveHandlerSync((artifacts) => { store(artifacts); });
 * ```
 */
export function withSaveHandlerSync(save: (artifacts: ModelArtifacts) => SaveResult | void): IOHandlerSync {
  checkSaveFunction(save, 'withSaveHandlerSync');
  return {
    save: (artifacts) => save(artifacts) ?? { modelArtifactsInfo: getModelArtifactsInfoForJSON(artifacts) },
  };
}

function checkSaveFunction(save: unknown, call: string): void {
  if (typeof save !== 'function') throw new Error(`km.io.${call} takes a function that receives the artifacts, (artifacts) => { ... }. Received: ${save === null ? 'null' : typeof save}.`);
}
