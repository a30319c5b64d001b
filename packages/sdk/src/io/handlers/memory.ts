import { artifactsInfo } from '../artifacts_json.js';
import type { IOHandler, ModelArtifacts, SaveResult } from '../types.js';

/**
 * A handler that loads from artifacts already in memory (tfjs' `io.fromMemory`).
 *
 * @example
 * ```ts
 * const model = await km.loadLayersModel(km.io.fromMemory(artifacts));
 * ```
 */
export function fromMemory(artifacts: ModelArtifacts): IOHandler {
  return { load: async () => artifacts };
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
  return {
    save: async (artifacts) => (await save(artifacts)) ?? { modelArtifactsInfo: artifactsInfo(artifacts) },
  };
}
