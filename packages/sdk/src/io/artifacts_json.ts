import type { ModelArtifacts, ModelArtifactsInfo, ModelJSON, WeightSpec, WeightsManifestEntry } from './types.js';
import { checkWeightSpec, concatWeightData } from './weights.js';

const STORED_BYTES: Record<string, number> = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2 };

/** Parses and checks a `model.json`; `where` (a path or URL) is named in every error. */
export function parseModelJSON(text: string, where: string): ModelJSON {
  const keras = kerasFileKind(text);
  if (keras) {
    throw new Error(
      `${where} is ${keras}, not a TensorFlow.js model.json. kerasm reads the LayersModel format: convert the file with TensorFlow.js' converter ` +
        `(pip install tensorflowjs; tensorflowjs_converter --input_format keras ${where} out_folder), then load out_folder/model.json.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // JSON.parse quotes the start of the text, which for a binary file (a weights .bin) is unreadable bytes.
    if (/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text.slice(0, 256))) {
      throw new Error(`${where} holds binary data, not a model.json (is it a weights file?). Load the folder holding model.json, or the model.json file itself.`);
    }
    throw new Error(`${where} is not valid JSON (${(err as Error).message}). It may be truncated or not a model.json; save the model again.`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Error(`${where} must hold a JSON object with modelTopology and weightsManifest. Received: ${String(text).slice(0, 60)}.`);
  }
  const model = json as Partial<ModelJSON>;
  if (typeof model.modelTopology !== 'object' || model.modelTopology === null) {
    throw new Error(`${where} has no modelTopology object; a LayersModel's model.json needs one (graph models are not supported).`);
  }
  const manifest = model.weightsManifest ?? [];
  if (!Array.isArray(manifest) || !manifest.every((g) => Array.isArray(g?.paths) && g.paths.every((p: unknown) => typeof p === 'string') && Array.isArray(g.weights))) {
    throw new Error(`${where}: weightsManifest must be an array of { paths: string[], weights: [...] }. Received: ${JSON.stringify(model.weightsManifest)?.slice(0, 80)}.`);
  }
  for (const group of manifest) for (const spec of group.weights) checkWeightSpec(spec, where);
  return { ...model, weightsManifest: manifest } as ModelJSON;
}

/** What a file read as text is when it starts with the signature of one of Keras' own formats, else null. */
function kerasFileKind(text: string): string | null {
  // HDF5's signature starts with byte 0x89, which decodes as U+FFFD (or stays U+0089 in Latin-1).
  if (/^[\uFFFD\u0089]HDF\r\n/.test(text)) return 'a Keras HDF5 file (.h5)';
  if (text.startsWith('PK\u0003\u0004')) return "a zip archive, such as Keras 3's .keras file";
  return null;
}

/** Bytes the weights of one manifest group occupy. */
function groupBytes(weights: readonly WeightSpec[]): number {
  return weights.reduce((sum, w) => sum + (Array.isArray(w.shape) ? w.shape.reduce((a, b) => a * b, 1) : 0) * (STORED_BYTES[w.quantization?.dtype ?? w.dtype] ?? 4), 0);
}

/** Throws, naming the files, when a group's binary files do not hold exactly the bytes its weights need. */
export function checkGroupBytes(group: WeightsManifestEntry, received: number, files: string): void {
  const expected = groupBytes(group.weights);
  if (received === expected) return;
  let offset = 0;
  const cut = group.weights.find((w) => (offset += groupBytes([w])) > received);
  const detail = cut ? `; weight '${cut.name}' is cut off` : '';
  throw new Error(`${files} holds ${received} bytes, but its manifest entry needs ${expected}${detail}. The file is ${received < expected ? 'truncated' : 'too long'}: save the model again or restore the complete file.`);
}

/** Artifacts from a parsed `model.json` and the concatenated bytes of all its weight files. */
export function artifactsFromModelJSON(json: ModelJSON, weightData: ArrayBuffer): ModelArtifacts {
  const artifacts: ModelArtifacts = {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
  };
  if (json.trainingConfig) artifacts.trainingConfig = json.trainingConfig;
  if (json.userDefinedMetadata) artifacts.userDefinedMetadata = json.userDefinedMetadata;
  return artifacts;
}

/** The `model.json` for artifacts whose weights are stored in one file at `weightsPath`. */
export function modelJSONFor(artifacts: ModelArtifacts, weightsPath: string): ModelJSON {
  const json: ModelJSON = {
    modelTopology: artifacts.modelTopology as Record<string, unknown>,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [weightsPath], weights: artifacts.weightSpecs ?? [] }],
  };
  if (artifacts.trainingConfig) json.trainingConfig = artifacts.trainingConfig;
  if (artifacts.userDefinedMetadata) json.userDefinedMetadata = artifacts.userDefinedMetadata;
  return json;
}

/** What a save reports: sizes of the topology, manifest and weights. */
export function artifactsInfo(artifacts: ModelArtifacts): ModelArtifactsInfo {
  return {
    dateSaved: new Date(),
    modelTopologyType: 'JSON',
    modelTopologyBytes: JSON.stringify(artifacts.modelTopology ?? {}).length,
    weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
    weightDataBytes: concatWeightData(artifacts.weightData).byteLength,
  };
}
