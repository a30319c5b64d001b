import { skipsValidation, type CallbackModel, type FitParams } from './callback.js';
import type { CustomCallbackArgs, Logs } from './callbacks.js';
import { checkOptions, optionNames } from '../utils/options.js';

/** Options of {@link modelCheckpoint}, with Keras' defaults. */
export interface ModelCheckpointArgs {
  /**
   * Where to save: a folder path or URL, with Keras' placeholders `{epoch}` (1-based) and log
   * values such as `{val_loss}`, optionally formatted (`{epoch:02d}`, `{val_loss:.4f}`).
   */
  filepath: string;
  /** The log value that decides the best model (default `'val_loss'`). */
  monitor?: string;
  /** Save only when the monitored value improves (default false: save every epoch). */
  saveBestOnly?: boolean;
  /** Whether larger or smaller is better; `'auto'` picks max for accuracies, min otherwise. */
  mode?: 'auto' | 'min' | 'max';
  /** Save the optimizer state too, so training resumes exactly (default true). */
  includeOptimizer?: boolean;
}

/** Fills `{key}` and `{key:fmt}` placeholders (`02d`, `.4f`) from the epoch and its logs. */
export function formatCheckpointPath(template: string, epoch: number, logs: Logs): string {
  return template.replace(/\{(\w+)(?::([^}]*))?\}/g, (match, key: string, format: string | undefined) => {
    const value = key === 'epoch' ? epoch + 1 : logs[key];
    if (value === undefined) {
      throw new Error(`modelCheckpoint filepath '${template}' uses {${key}}, which is not in the epoch logs (${Object.keys(logs).join(', ')}). Use {epoch} or one of those keys.`);
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
  checkOptions(args, optionNames<ModelCheckpointArgs>({ filepath: true, monitor: true, saveBestOnly: true, mode: true, includeOptimizer: true }), 'km.callbacks.modelCheckpoint');
  if (typeof args?.filepath !== 'string' || args.filepath === '') {
    throw new Error(`modelCheckpoint needs a filepath to save to, e.g. { filepath: 'file://checkpoints/epoch-{epoch}' }. Received: filepath=${JSON.stringify(args?.filepath)}.`);
  }
  const monitor = args.monitor ?? 'val_loss';
  const mode = args.mode ?? 'auto';
  if (!['auto', 'min', 'max'].includes(mode)) throw new Error(`modelCheckpoint mode must be 'auto', 'min' or 'max'. Received: mode=${JSON.stringify(mode)}.`);
  const maximize = mode === 'max' || (mode === 'auto' && /acc/.test(monitor));
  let best = maximize ? -Infinity : Infinity;
  let model: CallbackModel | undefined;
  let params: FitParams | null = null;
  return {
    setModel(m) {
      model = m;
    },
    setParams(p) {
      params = p;
    },
    async onEpochEnd(epoch, logs) {
      if (!model) throw new Error('modelCheckpoint has no model: pass it in fit({ callbacks }) so fit hands it the model.');
      if (args.saveBestOnly) {
        const value = logs[monitor];
        // An epoch fit's validationFreq left unvalidated has no val_ value to beat the best with.
        if (value === undefined && monitor.startsWith('val_') && skipsValidation(params, epoch)) return;
        if (value === undefined) {
          throw new Error(`modelCheckpoint monitors '${monitor}', which is not in the epoch logs (${Object.keys(logs).join(', ')}). Pass validationSplit or validationData for val_ values, or monitor one of those keys.`);
        }
        if (!(maximize ? value > best : value < best)) return;
        best = value;
      }
      await model.save(formatCheckpointPath(args.filepath, epoch, logs), { includeOptimizer: (args.includeOptimizer ?? true) && model.optimizer !== undefined });
    },
  };
}
