import { CompositeArrayBuffer } from './composite_array_buffer.js';
import type { ModelArtifacts, ModelArtifactsInfo, ModelJSON, WeightData, WeightSpec, WeightsManifestConfig, WeightsManifestEntry } from './types.js';
import { checkWeightSpec } from './weights.js';

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
  return getModelArtifactsForJSONSync(json, getWeightSpecs(json.weightsManifest), weightData);
}

/**
 * The weight specs of all manifest groups, in order (tfjs' `io.getWeightSpecs`).
 *
 * @example
 * ```ts
 * const specs = km.io.getWeightSpecs(modelJSON.weightsManifest);
 * ```
 */
export function getWeightSpecs(weightsManifest: WeightsManifestConfig): WeightSpec[] {
  if (!Array.isArray(weightsManifest)) throw new Error(`km.io.getWeightSpecs takes model.json's weightsManifest, an array of { paths, weights }. Received: ${JSON.stringify(weightsManifest)?.slice(0, 80)}.`);
  return weightsManifest.flatMap((group) => group.weights);
}

/**
 * The artifacts a `model.json` and its weights make (tfjs' `io.getModelArtifactsForJSONSync`):
 * `weightSpecs` and `weightData` are required when it has a `weightsManifest`.
 *
 * @example
 * ```ts
 * const artifacts = km.io.getModelArtifactsForJSONSync(modelJSON, km.io.getWeightSpecs(modelJSON.weightsManifest), weightData);
 * ```
 */
export function getModelArtifactsForJSONSync(modelJSON: ModelJSON, weightSpecs?: WeightSpec[], weightData?: WeightData): ModelArtifacts {
  checkModelJSONObject(modelJSON, 'getModelArtifactsForJSONSync');
  const artifacts: ModelArtifacts = {
    modelTopology: modelJSON.modelTopology,
    format: modelJSON.format,
    generatedBy: modelJSON.generatedBy,
    convertedBy: modelJSON.convertedBy,
  };
  if (modelJSON.trainingConfig != null) artifacts.trainingConfig = modelJSON.trainingConfig;
  if (modelJSON.weightsManifest != null) {
    for (const [name, value] of [['weightSpecs', weightSpecs], ['weightData', weightData]] as const) {
      if (value == null) throw new Error(`km.io.getModelArtifactsForJSONSync: the model.json has a weightsManifest, so ${name} is required. Received: ${name}=${value}.`);
    }
    artifacts.weightSpecs = weightSpecs;
    artifacts.weightData = weightData;
  }
  if (modelJSON.userDefinedMetadata != null) artifacts.userDefinedMetadata = modelJSON.userDefinedMetadata;
  if (modelJSON.signature != null) artifacts.signature = modelJSON.signature;
  return artifacts;
}

/**
 * The artifacts a `model.json` makes, its weights read by `loadWeights` (tfjs'
 * `io.getModelArtifactsForJSON`), for a handler of one's own.
 *
 * @example
 * ```ts
 * const handler: km.io.IOHandler = {
 *   load: () => km.io.getModelArtifactsForJSON(modelJSON, async (manifest) => [km.io.getWeightSpecs(manifest), await readBytes(manifest)]),
 * };
 * ```
 */
export async function getModelArtifactsForJSON(modelJSON: ModelJSON, loadWeights: (weightsManifest: WeightsManifestConfig) => Promise<[WeightSpec[], WeightData]>): Promise<ModelArtifacts> {
  checkModelJSONObject(modelJSON, 'getModelArtifactsForJSON');
  if (typeof loadWeights !== 'function') throw new Error(`km.io.getModelArtifactsForJSON takes a function that reads the weights, (manifest) => Promise<[weightSpecs, weightData]>. Received: loadWeights=${typeof loadWeights}.`);
  const [weightSpecs, weightData] = modelJSON.weightsManifest != null ? await loadWeights(modelJSON.weightsManifest) : [];
  return getModelArtifactsForJSONSync(modelJSON, weightSpecs, weightData);
}

function checkModelJSONObject(modelJSON: unknown, call: string): void {
  if (typeof modelJSON !== 'object' || modelJSON === null || Array.isArray(modelJSON)) {
    throw new Error(`km.io.${call} takes a parsed model.json, { modelTopology, weightsManifest, ... }; parse the file's text with JSON.parse first. Received: ${modelJSON === null ? 'null' : Array.isArray(modelJSON) ? 'an array' : typeof modelJSON}.`);
  }
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

/**
 * What a save reports (tfjs' `io.getModelArtifactsInfoForJSON`): the UTF-8 bytes of the topology's
 * and the weight specs' JSON, and the bytes of the weights; 0 for what the artifacts lack.
 *
 * @example
 * ```ts
 * const handler = km.io.withSaveHandler(async (artifacts) => ({ modelArtifactsInfo: km.io.getModelArtifactsInfoForJSON(artifacts) }));
 * ```
 */
export function getModelArtifactsInfoForJSON(modelArtifacts: ModelArtifacts): ModelArtifactsInfo {
  if (typeof modelArtifacts !== 'object' || modelArtifacts === null) throw new Error(`km.io.getModelArtifactsInfoForJSON takes model artifacts. Received: ${modelArtifacts === null ? 'null' : typeof modelArtifacts}.`);
  if (modelArtifacts.modelTopology instanceof ArrayBuffer) {
    throw new Error('km.io.getModelArtifactsInfoForJSON takes artifacts with a JSON topology, as a LayersModel has. Received: modelTopology=an ArrayBuffer (a graph model\'s GraphDef).');
  }
  const utf8Bytes = (value: unknown) => (value == null ? 0 : new TextEncoder().encode(JSON.stringify(value)).byteLength);
  return {
    dateSaved: new Date(),
    modelTopologyType: 'JSON',
    modelTopologyBytes: utf8Bytes(modelArtifacts.modelTopology),
    weightSpecsBytes: utf8Bytes(modelArtifacts.weightSpecs),
    weightDataBytes: modelArtifacts.weightData == null ? 0 : new CompositeArrayBuffer(modelArtifacts.weightData).byteLength,
  };
}
