import type { CallbackModel, FitParams } from './callback.js';
import type { CustomCallbackArgs, Logs } from './callbacks.js';
import { Monitor, registerMonitor, type MonitorMode } from './monitor.js';
import { checkOptions, optionNames } from '../utils/options.js';

/** Options of {@link modelCheckpoint}, with Keras' defaults. */
export interface ModelCheckpointArgs {
  /**
   * Where to save: a folder path or URL, with Keras' placeholders `{epoch}` (1-based), `{batch}`
   * (1-based, with an integer saveFreq) and log values such as `{val_loss}`, optionally formatted
   * (`{epoch:02d}`, `{val_loss:.4f}`).
   */
  filepath: string;
  /**
   * `'epoch'` (the default) saves at the end of each epoch; an integer n after every n batches,
   * judging saveBestOnly by the batch's training logs, as Keras' `save_freq`.
   */
  saveFreq?: 'epoch' | number;
  /** The log value that decides the best model (default `'val_loss'`). */
  monitor?: string;
  /** Save only when the monitored value improves (default false: save every epoch). */
  saveBestOnly?: boolean;
  /**
   * Whether larger or smaller is better; `'auto'` (the default) maximises accuracies, AUC,
   * precision and recall and minimises everything else, as EarlyStopping does.
   */
  mode?: MonitorMode;
  /**
   * With saveBestOnly, the value the first checkpoint must beat (Keras' `initial_value_threshold`);
   * by default the first epoch always saves.
   */
  initialValueThreshold?: number;
  /** Save the optimizer state too, so training resumes exactly (default true). */
  includeOptimizer?: boolean;
  /**
   * Save with `model.saveWeights` (Keras' `save_weights_only`): the weights, with neither training
   * config nor optimizer state (default false). Read them back with `model.loadWeights`.
   */
  saveWeightsOnly?: boolean;
  /** 1 prints a line for each epoch's decision, as Keras does (default 0: silent). */
  verbose?: 0 | 1;
}

/** Fills `{key}` and `{key:fmt}` placeholders (`02d`, `.4f`) from the epoch, the batch when saving by batches, and the logs. */
export function formatCheckpointPath(template: string, epoch: number, logs: Logs, batch?: number): string {
  return template.replace(/\{(\w+)(?::([^}]*))?\}/g, (match, key: string, format: string | undefined) => {
    const value = key === 'epoch' ? epoch + 1 : key === 'batch' && batch !== undefined ? batch + 1 : logs[key];
    if (value === undefined) {
      throw new Error(`modelCheckpoint filepath '${template}' uses {${key}}, which is not in the ${batch === undefined ? 'epoch' : 'batch'} logs (${Object.keys(logs).join(', ')}). Use {epoch}${batch === undefined ? '' : ', {batch}'} or one of those keys.`);
    }
    const fixed = format && /^\.(\d+)f$/.exec(format);
    if (fixed) return value.toFixed(Number(fixed[1]));
    const padded = format && /^0(\d+)d$/.exec(format);
    if (padded) return String(Math.round(value)).padStart(Number(padded[1]), '0');
    return String(value);
  });
}

/**
 * Saves the model during `fit` after every epoch, or only when the monitored value improves
 * (Keras' `ModelCheckpoint`). With the optimizer state saved (the default), a run resumes exactly
 * from a checkpoint: load it and call `fit` with the same `seed` and `initialEpoch`.
 *
 * @example
 * ```ts
 * await model.fit(x, y, {
 *   epochs: 10, validationSplit: 0.1, seed: 1,
 *   callbacks: [km.callbacks.modelCheckpoint({ filepath: 'file://ckpt/best', monitor: 'val_loss', saveBestOnly: true })],
 * });
 * ```
 */
export function modelCheckpoint(args: ModelCheckpointArgs): CustomCallbackArgs {
  checkOptions(
    args,
    optionNames<ModelCheckpointArgs>({ filepath: true, monitor: true, saveBestOnly: true, mode: true, initialValueThreshold: true, includeOptimizer: true, saveWeightsOnly: true, verbose: true, saveFreq: true }),
    'km.callbacks.modelCheckpoint',
  );
  if (typeof args?.filepath !== 'string' || args.filepath === '') {
    throw new Error(`modelCheckpoint needs a filepath to save to, e.g. { filepath: 'file://checkpoints/epoch-{epoch}' }. Received: filepath=${JSON.stringify(args?.filepath)}.`);
  }
  // Keras' checkpoint names (model.keras, best.weights.h5) would fail only when the first epoch ends.
  const kerasFile = /(\.weights)?\.(keras|h5|hdf5)$/i.exec(args.filepath);
  if (kerasFile) {
    throw new Error(
      `modelCheckpoint filepath '${args.filepath}' names a Keras ${kerasFile[2].toLowerCase() === 'keras' ? '.keras' : 'HDF5'} file, which kerasm does not write: it saves TensorFlow.js' LayersModel format, a folder holding model.json and the weights (with saveWeightsOnly too). ` +
        `Give a folder instead: { filepath: '${args.filepath.slice(0, kerasFile.index)}' }.`,
    );
  }
  const monitor = new Monitor('modelCheckpoint', args.monitor ?? 'val_loss', args.mode ?? 'auto', 0);
  const threshold = args.initialValueThreshold;
  if (threshold !== undefined) {
    if (typeof threshold !== 'number' || Number.isNaN(threshold)) throw new Error(`modelCheckpoint initialValueThreshold must be a number. Received: initialValueThreshold=${JSON.stringify(threshold)}.`);
    monitor.best = threshold;
  }
  if (args.saveWeightsOnly !== undefined && typeof args.saveWeightsOnly !== 'boolean') {
    throw new Error(`modelCheckpoint saveWeightsOnly must be true or false. Received: saveWeightsOnly=${JSON.stringify(args.saveWeightsOnly)}.`);
  }
  if (args.saveWeightsOnly && args.includeOptimizer) {
    throw new Error('modelCheckpoint cannot save the optimizer state with saveWeightsOnly: true, which saves the weights alone. Drop includeOptimizer, or save whole models (saveWeightsOnly: false) to resume training exactly.');
  }
  if (args.verbose !== undefined && args.verbose !== 0 && args.verbose !== 1) throw new Error(`modelCheckpoint verbose must be 0 or 1. Received: verbose=${JSON.stringify(args.verbose)}.`);
  const saveFreq = args.saveFreq ?? 'epoch';
  if (saveFreq !== 'epoch' && !(Number.isInteger(saveFreq) && saveFreq > 0)) {
    throw new Error(`modelCheckpoint saveFreq must be 'epoch' or a positive integer (a number of batches). Received: saveFreq=${JSON.stringify(saveFreq)}.`);
  }
  const say = (line: string) => {
    if (args.verbose === 1) console.log(line);
  };
  let model: CallbackModel | undefined;
  let params: FitParams | null = null;
  let epochNow = 0;
  let batchesSinceSave = 0;

  /** Saves, or with saveBestOnly saves if the monitored value improved; `batch` is set when saving by batches. */
  async function checkpoint(epoch: number, logs: Logs, batch?: number): Promise<void> {
    if (!model) throw new Error('modelCheckpoint has no model: pass it in fit({ callbacks }) so fit hands it the model.');
    const when = `Epoch ${epoch + 1}${batch === undefined ? '' : `, batch ${batch + 1}`}`;
    // An epoch that fit's validationFreq left unvalidated has no val_ value to judge, nor to name the file with.
    const value = args.saveBestOnly ? monitor.read(logs, epoch, params, batch !== undefined) : null;
    if (args.saveBestOnly && value === null) return;
    const path = formatCheckpointPath(args.filepath, epoch, logs, batch);
    if (value !== null) {
      const previous = monitor.best;
      if (!monitor.improved(value)) {
        say(`${when}: ${monitor.key} did not improve from ${previous.toFixed(5)}`);
        return;
      }
      say(`${when}: ${monitor.key} improved from ${previous.toFixed(5)} to ${value.toFixed(5)}, saving model to ${path}`);
    } else {
      say(`${when}: saving model to ${path}`);
    }
    if (args.saveWeightsOnly) await model.saveWeights(path);
    else await model.save(path, { includeOptimizer: (args.includeOptimizer ?? true) && model.optimizer !== undefined });
  }

  const callbacks: CustomCallbackArgs = {
    setModel(m) {
      model = m;
    },
    setParams(p) {
      params = p;
    },
    onTrainBegin() {
      if (args.saveBestOnly) monitor.checkLogged(params, saveFreq !== 'epoch');
    },
    async onEpochEnd(epoch, logs) {
      if (saveFreq === 'epoch') await checkpoint(epoch, logs);
    },
  };
  // Only when saving by batches: a batch hook makes fit produce logs after every batch.
  const made: CustomCallbackArgs =
    saveFreq === 'epoch'
      ? callbacks
      : {
          ...callbacks,
          onEpochBegin(epoch) {
            epochNow = epoch;
          },
          async onTrainBatchEnd(batch, logs) {
            if (++batchesSinceSave < saveFreq) return;
            batchesSinceSave = 0;
            await checkpoint(epochNow, logs, batch);
          },
        };
  if (args.saveBestOnly) registerMonitor(made, () => monitor, saveFreq !== 'epoch');
  return made;
}
