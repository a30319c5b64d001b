import { BackupAndRestore, type BackupAndRestoreArgs } from './backup_and_restore.js';
import { CSVLogger, type CSVLoggerArgs } from './csv_logger.js';
import { EarlyStopping, type EarlyStoppingArgs } from './early_stopping.js';
import { LearningRateScheduler } from './learning_rate_scheduler.js';
import { ProgbarLogger } from './progbar_logger.js';
import { ReduceLROnPlateau, type ReduceLROnPlateauArgs } from './reduce_lr_on_plateau.js';
import { SwapEMAWeights, type SwapEMAWeightsArgs } from './swap_ema_weights.js';
import { TensorBoard, type TensorBoardArgs } from './tensorboard.js';
import { TerminateOnNaN } from './terminate_on_nan.js';
import { checkOptions, optionNames } from '../utils/options.js';

/** Stops when `monitor` stops improving. @example `km.callbacks.earlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true })` */
export function earlyStopping(args?: EarlyStoppingArgs): EarlyStopping {
  checkOptions(args, optionNames<EarlyStoppingArgs>({ monitor: true, minDelta: true, patience: true, mode: true, restoreBestWeights: true, baseline: true, startFromEpoch: true, verbose: true }), 'km.callbacks.earlyStopping');
  return new EarlyStopping(args);
}

/** Cuts the learning rate on a plateau. @example `km.callbacks.reduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 2 })` */
export function reduceLROnPlateau(args?: ReduceLROnPlateauArgs): ReduceLROnPlateau {
  checkOptions(args, optionNames<ReduceLROnPlateauArgs>({ monitor: true, factor: true, patience: true, mode: true, minDelta: true, cooldown: true, minLr: true, verbose: true }), 'km.callbacks.reduceLROnPlateau');
  return new ReduceLROnPlateau(args);
}

/** Sets the rate per epoch. @example `km.callbacks.learningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * 0.9))` */
export function learningRateScheduler(schedule: (epoch: number, learningRate: number) => number): LearningRateScheduler {
  return new LearningRateScheduler(schedule);
}

/** Halts on a NaN loss, keeping finite weights. @example `km.callbacks.terminateOnNaN()` */
export function terminateOnNaN(): TerminateOnNaN {
  return new TerminateOnNaN();
}

/** Epoch logs to a CSV file (Node). @example `km.callbacks.csvLogger('training.csv', { append: true })` */
export function csvLogger(filename: string, args?: CSVLoggerArgs): CSVLogger {
  checkOptions(args, optionNames<CSVLoggerArgs>({ separator: true, append: true }), 'km.callbacks.csvLogger');
  return new CSVLogger(filename, args);
}

/** The `verbose: 1` progress bar. @example `km.callbacks.progbarLogger()` */
export function progbarLogger(): ProgbarLogger {
  return new ProgbarLogger();
}

/**
 * Backs up the training state so an interrupted `fit` resumes where it stopped (Node).
 * @example `km.callbacks.backupAndRestore({ backupDir: 'backup/run-1' })`
 */
export function backupAndRestore(args: BackupAndRestoreArgs): BackupAndRestore {
  checkOptions(args, optionNames<BackupAndRestoreArgs>({ backupDir: true, saveFreq: true, deleteCheckpoint: true, doubleCheckpoint: true }), 'km.callbacks.backupAndRestore');
  return new BackupAndRestore(args);
}

/**
 * Validates on the weights' moving average of a `useEma` optimizer.
 * @example `km.callbacks.swapEmaWeights({ swapOnEpoch: true })`
 */
export function swapEmaWeights(args?: SwapEMAWeightsArgs): SwapEMAWeights {
  checkOptions(args, optionNames<SwapEMAWeightsArgs>({ swapOnEpoch: true }), 'km.callbacks.swapEmaWeights');
  return new SwapEMAWeights(args);
}

/**
 * Writes the losses and metrics to TensorBoard event files in `logDir/train` and
 * `logDir/validation` (Node), as Keras' `TensorBoard(log_dir)` and tfjs-node's
 * `tf.node.tensorBoard(logdir)`: tags `epoch_loss`, `epoch_accuracy`, ... at step = the epoch
 * index; with `updateFreq: 'batch'` (or every n batches) also `batch_loss`, ...; with
 * `histogramFreq: n`, every n epochs a histogram of each weight (`dense/kernel/histogram`). See {@link TensorBoard}.
 * @example
 * ```ts
 * await model.fit(x, y, { epochs: 10, validationSplit: 0.2, callbacks: [km.callbacks.tensorBoard('logs/run-1', { updateFreq: 'batch', histogramFreq: 1 })] });
 * // then: tensorboard --logdir logs
 * ```
 */
export function tensorBoard(logDir?: string, args?: TensorBoardArgs): TensorBoard {
  checkOptions(args, optionNames<TensorBoardArgs>({ updateFreq: true, histogramFreq: true }), 'km.callbacks.tensorBoard');
  return new TensorBoard(logDir, args);
}

export { Callback, type CallbackModel, type FitParams } from './callback.js';
export { BackupAndRestore, SwapEMAWeights };
export type { BackupAndRestoreArgs, SwapEMAWeightsArgs };
export { TensorBoard, type TensorBoardArgs };
export { lambdaCallback, type LambdaCallbackArgs } from './lambda_callback.js';
export { CustomCallback } from './custom_callback.js';
export { CSVLogger, EarlyStopping, LearningRateScheduler, ProgbarLogger, ReduceLROnPlateau, TerminateOnNaN };
export type { CSVLoggerArgs, EarlyStoppingArgs, ReduceLROnPlateauArgs };
export type { MonitorMode } from './monitor.js';
export { checkMonitored, MonitorError, type FitLogNames } from './check_monitored.js';
export { modelCheckpoint, type ModelCheckpointArgs } from './model_checkpoint.js';
export { History } from './history.js';
export type { CustomCallbackArgs, Logs, PredictBatchLogs, TrainLogs } from './callbacks.js';
