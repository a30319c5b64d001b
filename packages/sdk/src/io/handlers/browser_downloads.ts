import { getModelArtifactsInfoForJSON, modelJSONFor } from '../artifacts_json.js';
import type { IOHandler, ModelArtifacts, SaveResult } from '../types.js';
import { concatWeightData } from '../weights.js';

/**
 * Saves by having the browser download `name.json` and `name.weights.bin`, as TensorFlow.js'
 * `downloads://name` does. Load the files back with `browserFiles` (files the user picks), an `http` URL or `fromMemory`.
 *
 * @example
 * ```ts
 * await model.save('downloads://mnist');
 * ```
 */
export function browserDownloads(name = 'model'): IOHandler {
  return {
    async save(artifacts: ModelArtifacts): Promise<SaveResult> {
      if (typeof document === 'undefined') {
        throw new Error('downloads:// needs a browser page to download from; in Node save to a folder (file://...) instead.');
      }
      const weightsName = `${name}.weights.bin`;
      const json = new Blob([JSON.stringify(modelJSONFor(artifacts, `./${weightsName}`))], { type: 'application/json' });
      const weights = new Blob([concatWeightData(artifacts.weightData)], { type: 'application/octet-stream' });
      for (const [blob, file] of [[json, `${name}.json`], [weights, weightsName]] as const) {
        const url = URL.createObjectURL(blob);
        const anchor = document.createElement('a');
        anchor.download = file;
        anchor.href = url;
        anchor.click();
        // Revoke later: the browser reads the blob after click() returns.
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      }
      return { modelArtifactsInfo: getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}
