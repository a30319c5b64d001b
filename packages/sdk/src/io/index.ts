/**
 * Saving and loading models in the TensorFlow.js LayersModel format, and the places models are
 * stored (`km.io`). Handlers are interchangeable with tfjs' `IOHandler`s.
 *
 * @example
 * ```ts
 * await model.save('file://out/mnist', { includeOptimizer: true });
 * const model = await km.loadLayersModel('file://out/mnist/model.json');
 * ```
 */
export { fileSystem } from './handlers/file.js';
export { http, browserHTTPRequest, isHTTPScheme, type HttpOptions } from './handlers/http.js';
export { browserIndexedDB } from './handlers/indexeddb.js';
export { browserLocalStorage } from './handlers/local_storage.js';
export { browserDownloads } from './handlers/browser_downloads.js';
export { browserFiles, type NamedFile } from './handlers/browser_files.js';
export { fromMemory, fromMemorySync, withSaveHandler, withSaveHandlerSync } from './handlers/memory.js';
export { registerLoadRouter, registerSaveRouter, type IORouter } from './router_registry.js';
export { getLoadHandlers, getSaveHandlers } from './router.js';
export { encodeWeights, decodeWeights, decodeWeightsStream, type NamedTensorMap } from './tensor_weights.js';
export { loadWeights, weightsLoaderFactory, type WeightsLoader } from './weights_loader.js';
export { CompositeArrayBuffer, concatenateArrayBuffers } from './composite_array_buffer.js';
export { getModelArtifactsForJSON, getModelArtifactsForJSONSync, getModelArtifactsInfoForJSON, getWeightSpecs } from './artifacts_json.js';
export { modelArtifacts, type SaveConfig, type SaveWeightsConfig } from './save_model.js';
export type { QuantizeConfig, QuantizeDType } from './quantize_weights.js';
export { listModels, removeModel, copyModel, moveModel } from './model_management.js';
export type { LoadWeightsOptions } from './load_weights.js';
export type { LoadOptions } from './load_model.js';
export { InputShapesError, type InputShapesProblem, type SavedInputShape } from './input_shapes_error.js';
export type { IOHandler, IOHandlerSync, ModelArtifacts, ModelArtifactsInfo, ModelJSON, SaveResult, TrainingConfig, WeightData, WeightSpec, WeightsManifestConfig, WeightsManifestEntry } from './types.js';
