import { backend } from '../backend/registry.js';
import type { LayersModel } from '../engine/model.js';
import { weightOrder } from '../engine/params.js';
import { fileSystem } from './handlers/file.js';
import { requireNode } from './node_only.js';
import { restoreOptimizerWeights } from './optimizer_weights.js';
import { modelArtifacts } from './save_model.js';
import { pairByPosition } from './match_weights.js';
import { savedWeights, type NamedWeight } from './weights.js';

/** How far a backed-up run had got (Keras' `training_metadata.json`, plus what fixes the random draws that follow). */
export interface TrainingProgress {
  /** The epoch to run next. */
  epoch: number;
  /** The last batch trained in that epoch, for a backup made mid-epoch; 0 at an epoch's end. */
  batch: number;
  /** The run's shuffling seed, when it shuffled. */
  seed?: number;
  /**
   * The random generators' states: the global one (`km.utils.setRandomSeed`'s) and the own
   * generators of the layers given a `seed`, in layer order. Absent in backups from before
   * kerasm kept it: such a resumed run draws from the generators as they are in the new process.
   */
  random?: { global: number; layers: number[] };
  /**
   * `fit(dataset)`'s position at the start of `epoch`: the passes each reshuffling `shuffle` had
   * begun when its stream was opened, and the batches read from that stream (only with
   * `batchesPerEpoch`, which reads one stream across epochs). Absent in older backups: the
   * resumed run's shuffles then count passes from 0 in the new process.
   */
  shuffleIterations?: number[];
  streamBatches?: number;
  /**
   * `fit(x, y)`'s `stepsPerEpoch`, when the run had one: where an epoch starts reading follows from
   * it, so a run resumed with another is refused. Absent when each epoch was one pass.
   */
  stepsPerEpoch?: number;
  /** The passes each reshuffling `shuffle` of `fit(dataset)`'s validation dataset had begun by then. Absent in older backups and without one. */
  validationShuffleIterations?: number[];
  /**
   * The optimizer's learning rate (Keras 3 keeps it as an optimizer variable), which
   * ReduceLROnPlateau or LearningRateScheduler may have changed. Absent with a schedule, which
   * follows the restored iterations, and in older backups, which resume at the compiled rate.
   */
  learningRate?: number;
}

/** What errors call a backup outside Node, and what to use instead. */
export const BACKUP_SUBJECT = 'km.callbacks.backupAndRestore (it backs up to a folder)';
export const BACKUP_INSTEAD = 'In a browser, save checkpoints with km.callbacks.modelCheckpoint to indexeddb:// instead.';

/** Where the progress lives in the backup's `model.json`. */
const PROGRESS_KEY = 'kerasm_training_progress';

/**
 * Saves the model's weights, its optimizer state and `progress` as one LayersModel folder. The
 * file handler commits a save with one rename of `model.json`, and the progress is inside it, so
 * weights and progress always belong together: a crash leaves the previous backup whole.
 */
export async function saveTrainingBackup(model: LayersModel, folder: string, progress: TrainingProgress): Promise<void> {
  const artifacts = await modelArtifacts(model, { includeOptimizer: true });
  artifacts.userDefinedMetadata = { ...artifacts.userDefinedMetadata, [PROGRESS_KEY]: progress };
  await fileSystem(folder).save!(artifacts);
}

/** Whether `folder` holds a committed backup (its `model.json`). */
export async function hasTrainingBackup(folder: string): Promise<boolean> {
  requireNode(BACKUP_SUBJECT, BACKUP_INSTEAD);
  const fs = await import('node:fs/promises');
  const { join } = await import('node:path');
  return fs.access(join(folder, 'model.json')).then(() => true, () => false);
}

/**
 * Puts a backup's weights and optimizer state into `model` and returns its progress. Weights are
 * matched by position and shape, not name: a model built again in the same process gets new
 * layer names (`dense_3` for `dense_1`), as in Keras' `load_weights`. `accept` sees the progress
 * first and may throw to refuse the backup before the model is touched.
 */
export async function loadTrainingBackup(model: LayersModel, folder: string, accept?: (progress: TrainingProgress) => void): Promise<TrainingProgress> {
  const where = `The training backup in ${folder}`;
  const artifacts = await fileSystem(folder).load!();
  const progress = progressOf(artifacts.userDefinedMetadata?.[PROGRESS_KEY], where);
  accept?.(progress);
  const saved = savedWeights(artifacts, where);
  const names = restoreModelWeights(model, saved.layers, where);
  if (!model.optimizer) throw new Error(`${where} holds optimizer state, but model '${model.name}' is not compiled. Compile it before fit.`);
  const renamed = saved.optimizer.map((w) => renameOptimizerWeight(w, names));
  restoreOptimizerWeights(model.optimizer, model.computedLayers, backend(), new Map(renamed.map((w) => [w.name, w])), where);
  return progress;
}

/** Sets the weights by position; returns the saved name of each weight mapped to the model's. */
function restoreModelWeights(model: LayersModel, saved: readonly NamedWeight[], where: string): Map<string, string> {
  const specs = weightOrder(model.allLayers).map((e) => e.spec);
  const shapes = (list: readonly { shape: readonly number[] }[]) => list.map((w) => `[${w.shape.join(', ')}]`).join(' ');
  const paired = pairByPosition(model.allLayers, saved);
  if ('problem' in paired) {
    throw new Error(`${where} holds float32 weights of shapes ${shapes(saved)}, but model '${model.name}' has ${shapes(specs)}. It backs up another model: pass another backupDir, or delete this one to train from the start.`);
  }
  model.setWeights(paired.tensors);
  return new Map(saved.map((w, i) => [w.name, specs[i].name]));
}

/** Optimizer state is named `<weight>/<state>`: renames the weight part as the model weights were. */
function renameOptimizerWeight(weight: NamedWeight, names: Map<string, string>): NamedWeight {
  const cut = weight.name.lastIndexOf('/');
  const renamed = cut > 0 ? names.get(weight.name.slice(0, cut)) : undefined;
  return renamed === undefined ? weight : { ...weight, name: `${renamed}${weight.name.slice(cut)}` };
}

/** The fields a backup's progress may hold, each with what a valid value is. */
const PROGRESS_FIELDS: { [K in keyof TrainingProgress]-?: (value: unknown) => boolean } = {
  epoch: isCount, batch: isCount, seed: isCount,
  random: (r) => typeof r === 'object' && r !== null && isCount((r as { global: unknown }).global) && areCounts((r as { layers: unknown }).layers),
  shuffleIterations: areCounts, streamBatches: isCount, validationShuffleIterations: areCounts, stepsPerEpoch: (n) => isCount(n) && (n as number) > 0,
  learningRate: (lr) => typeof lr === 'number' && Number.isFinite(lr) && lr >= 0,
};

function isCount(n: unknown): boolean {
  return Number.isInteger(n) && (n as number) >= 0;
}

function areCounts(list: unknown): boolean {
  return Array.isArray(list) && list.every(isCount);
}

function progressOf(value: unknown, where: string): TrainingProgress {
  const saved = (value ?? {}) as Record<string, unknown>;
  const given = Object.entries(PROGRESS_FIELDS).filter(([field]) => saved[field] !== undefined);
  if (saved.epoch === undefined || saved.batch === undefined || !given.every(([field, valid]) => valid(saved[field]))) {
    throw new Error(`${where} has no valid training progress in its model.json (userDefinedMetadata.${PROGRESS_KEY} is ${JSON.stringify(value)}). It was not written by km.callbacks.backupAndRestore: pass another backupDir, or delete this one to train from the start.`);
  }
  return Object.fromEntries(given.map(([field]) => [field, saved[field]])) as unknown as TrainingProgress;
}
