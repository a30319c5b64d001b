// Reads and validates the element's attributes into a TrainConfig.
import { BACKEND_CHOICES, MODEL_KINDS, type BackendChoice, type ModelKind, type TrainConfig } from './protocol.js';

/** The attributes `<kerasm-mnist-demo>` reads, with their defaults. */
export const DEFAULTS = { model: 'mlp', backend: 'wasm', epochs: '1', 'batch-size': '32', 'train-samples': '10000', seed: '' } as const;

type Read = (name: keyof typeof DEFAULTS) => string;

function positiveInt(read: Read, name: keyof typeof DEFAULTS, max: number): number {
  const text = read(name).trim();
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`kerasm-mnist-demo: ${name} must be a whole number from 1 to ${max}. Received: ${name}="${text}". Set the attribute (or field) to e.g. ${DEFAULTS[name]}.`);
  }
  return value;
}

/** The `seed` attribute: empty for a fresh random run, or a whole number that makes runs repeat exactly. */
function optionalSeed(read: Read): number | undefined {
  const text = read('seed').trim();
  if (text === '') return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 0xffffffff) {
    throw new Error(`kerasm-mnist-demo: seed must be empty (a different run each time) or a whole number from 0 to 4294967295. Received: seed="${text}". Remove the attribute or set it to e.g. 1.`);
  }
  return value;
}

/** Builds the run's settings; throws an error naming the bad attribute, its value and the valid range. */
export function readTrainConfig(read: Read, dataUrl: string): TrainConfig {
  const model = read('model').trim();
  if (!(MODEL_KINDS as readonly string[]).includes(model)) {
    throw new Error(`kerasm-mnist-demo: model must be one of ${MODEL_KINDS.map((m) => `"${m}"`).join(', ')}. Received: model="${model}".`);
  }
  const backend = read('backend').trim();
  if (!(BACKEND_CHOICES as readonly string[]).includes(backend)) {
    throw new Error(`kerasm-mnist-demo: backend must be one of ${BACKEND_CHOICES.map((b) => `"${b}"`).join(', ')}. Received: backend="${backend}".`);
  }
  return {
    model: model as ModelKind,
    backend: backend as BackendChoice,
    epochs: positiveInt(read, 'epochs', 100),
    batchSize: positiveInt(read, 'batch-size', 4096),
    trainSamples: positiveInt(read, 'train-samples', 60000),
    seed: optionalSeed(read),
    dataUrl,
  };
}
