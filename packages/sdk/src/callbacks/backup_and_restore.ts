import type { LayersModel } from '../engine/model.js';
import { BACKUP_INSTEAD, BACKUP_SUBJECT, hasTrainingBackup, loadTrainingBackup, saveTrainingBackup, type TrainingProgress } from '../io/training_backup.js';
import { requireNode } from '../io/node_only.js';
import { FILE_SCHEME } from '../io/handlers/file.js';
import { checkBooleanOption } from '../utils/options.js';
import { globalGenerator } from '../utils/random.js';
import { layerGenerators } from '../layers/layer_random.js';
import { Callback } from './callback.js';

/** Options of {@link BackupAndRestore}, with Keras 3's defaults. */
export interface BackupAndRestoreArgs {
  /**
   * The folder for the backup (Node file system; a `file://` prefix is allowed), new or empty: one
   * holding other files is refused, since the backup is deleted when training ends. One per run.
   */
  backupDir: string;
  /** `'epoch'` (default): back up at the end of every epoch; a number n: after every n batches too. */
  saveFreq?: 'epoch' | number;
  /** Delete the backup folder when `fit` ends without an error (default true); one at or past `fit`'s `epochs`, which trained nothing, is kept. */
  deleteCheckpoint?: boolean;
  /** Keep the backup before the latest as well, and restore from it if the latest cannot be read (default false). */
  doubleCheckpoint?: boolean;
}

/**
 * Keras 3's `BackupAndRestore`: backs up the weights, the optimizer state (its learning rate
 * included), the epoch reached, the shuffling seed and the random generators' state into
 * `backupDir` at the end of each epoch (or every `saveFreq` batches). When `fit` starts and a
 * backup is there, it is restored and training resumes at the next epoch (History and the
 * callbacks then count epochs from there, as with `initialEpoch`), so an interrupted `fit` run
 * again with the same callback ends bit for bit with the weights of an uninterrupted run: the
 * saved seed replaces `fit`'s, so the shuffling order resumes; the global generator
 * (`km.utils.setRandomSeed`'s) and the own generators of layers given a `seed` are put back, those
 * inside wrappers (TimeDistributed, Bidirectional, RNN) and nested models included, so Dropout and
 * other random layers draw on as they would have; and with `fit(dataset)`, each reshuffling
 * `dataset.shuffle` of the training and the validation data is moved back to the pass the resumed
 * epoch read, so it sees the same order. With `batchesPerEpoch` (one stream read across epochs),
 * the batches the stream had given before the resumed epoch are read again, without training,
 * to get there. With `fit(x, y, { stepsPerEpoch })` the resumed epoch starts at the batch the
 * uninterrupted run's did; a backup made with another `stepsPerEpoch` (or without) is refused.
 *
 * The other callbacks' state is not kept, as in Keras: EarlyStopping and ReduceLROnPlateau count
 * their patience and best value afresh from the resumed epoch (EarlyStopping may stop later than
 * the uninterrupted run would have). A learning rate ReduceLROnPlateau or LearningRateScheduler
 * set is kept as the optimizer's; list those callbacks before this one, so that an epoch's backup
 * holds the rate they set at its end.
 *
 * Not bit for bit: a backup made mid-epoch resumes at the start of that epoch, as in Keras (its
 * first batches are trained twice), and a backup written by an older kerasm, which kept no
 * generators, passes or learning rate (or not those of layers inside wrappers), resumes with them
 * as they are in the new process.
 *
 * A backup at or past `fit`'s `epochs` trains nothing and leaves the model with the backup's
 * weights, as in Keras, but where Keras then deletes the backup silently, this warns, naming the
 * epoch the backup reached, and keeps it. Backups are written atomically: a crash mid-write leaves
 * the previous one whole. Node only.
 *
 * @example
 * ```ts
 * // Run the same script again after a crash: fit restores the backup and carries on.
 * await model.fit(x, y, { epochs: 50, callbacks: [km.callbacks.backupAndRestore({ backupDir: 'backup/run-1' })] });
 * ```
 */
export class BackupAndRestore extends Callback {
  readonly backupDir: string;
  readonly saveFreq: 'epoch' | number;
  readonly deleteCheckpoint: boolean;
  readonly doubleCheckpoint: boolean;
  #epoch = 0;
  #lastBatch = 0;
  #batchesSinceSave = 0;
  #keepBackup = false;
  #restoredEpoch: number | null = null;

  constructor(args: BackupAndRestoreArgs) {
    super();
    const dir = args?.backupDir;
    if (typeof dir !== 'string' || dir === '' || dir === FILE_SCHEME) {
      throw new Error(`km.callbacks.backupAndRestore needs a backupDir, the folder to keep the backup in, e.g. { backupDir: 'backup/run-1' }. Received: backupDir=${JSON.stringify(dir)}.`);
    }
    requireNode(BACKUP_SUBJECT, BACKUP_INSTEAD);
    const saveFreq = args.saveFreq ?? 'epoch';
    if (saveFreq !== 'epoch' && !(Number.isInteger(saveFreq) && saveFreq >= 1)) {
      throw new Error(`km.callbacks.backupAndRestore: saveFreq must be 'epoch' or a whole number of batches ≥ 1. Received: saveFreq=${JSON.stringify(saveFreq)}.`);
    }
    this.backupDir = dir.startsWith(FILE_SCHEME) ? dir.slice(FILE_SCHEME.length) : dir;
    this.saveFreq = saveFreq;
    this.deleteCheckpoint = checkBooleanOption(args.deleteCheckpoint ?? true, 'deleteCheckpoint', 'km.callbacks.backupAndRestore');
    this.doubleCheckpoint = checkBooleanOption(args.doubleCheckpoint ?? false, 'doubleCheckpoint', 'km.callbacks.backupAndRestore');
    // Only batch-wise backups need onTrainBatchEnd; without it fit skips the per-batch logs.
    if (saveFreq !== 'epoch') this.onTrainBatchEnd = (batch: number) => this.#afterBatch(batch, saveFreq);
  }

  /**
   * The epoch the backup restored when the latest `fit` started had reached, where that `fit` went
   * on from (one at or past its `epochs` trained nothing); null when it found no backup and
   * trained from the start.
   */
  get restoredEpoch(): number | null {
    return this.#restoredEpoch;
  }

  get #latest(): string {
    return `${this.backupDir}/latest`;
  }

  get #previous(): string {
    return `${this.backupDir}/previous`;
  }

  override async onTrainBegin(): Promise<void> {
    await this.#checkFolderIsOwn();
    const progress = await this.#restore();
    const params = this.params!;
    this.#keepBackup = false;
    this.#restoredEpoch = progress?.epoch ?? null;
    if (progress) {
      params.initialEpoch = progress.epoch;
      if (progress.seed !== undefined && params.seed !== undefined) params.seed = progress.seed;
      this.#restoreRun(progress);
      if (progress.epoch >= params.epochs) {
        // Keras trains nothing here and deletes the backup at the end; kerasm warns and keeps it.
        this.#keepBackup = true;
        console.warn(
          `km.callbacks.backupAndRestore: the backup in ${this.backupDir} has reached epoch ${progress.epoch}, and fit runs to epoch ${params.epochs}, so nothing is trained: ` +
            `the model holds the backup's weights (after ${progress.epoch} ${progress.epoch === 1 ? 'epoch' : 'epochs'}), and the backup is kept. Raise epochs above ${progress.epoch} to train on from it, or delete ${this.backupDir} to train from the start.`,
        );
      }
    }
    this.#epoch = params.initialEpoch;
    this.#lastBatch = 0;
    this.#batchesSinceSave = 0;
  }

  override onEpochBegin(epoch: number): void {
    this.#epoch = epoch;
  }

  override async onEpochEnd(epoch: number): Promise<void> {
    this.#epoch = epoch + 1;
    this.#lastBatch = 0;
    if (this.saveFreq === 'epoch') await this.#save();
  }

  override async onTrainEnd(): Promise<void> {
    if (!this.deleteCheckpoint || this.#keepBackup) return;
    const fs = await import('node:fs/promises');
    for (const entry of await this.#entries()) if (isBackupEntry(entry)) await fs.rm(`${this.backupDir}/${entry}`, { recursive: true, force: true });
    // The folder goes too when nothing else is in it; one that cannot go (the working directory) stays.
    await fs.rmdir(this.backupDir).catch(() => undefined);
  }

  async #entries(): Promise<string[]> {
    const fs = await import('node:fs/promises');
    try {
      return await fs.readdir(this.backupDir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return [];
      if (code === 'ENOTDIR') throw new Error(`km.callbacks.backupAndRestore: backupDir '${this.backupDir}' is a file, not a folder. Pass a folder for the backup, e.g. '${this.backupDir}.backup'.`);
      throw error;
    }
  }

  /**
   * Refuses a folder holding anything the callback did not write: the backup is deleted when
   * training ends, and a user's files beside it must not be (Keras' BackupAndRestore removes the
   * whole folder).
   */
  async #checkFolderIsOwn(): Promise<void> {
    const foreign = (await this.#entries()).filter((entry) => !isBackupEntry(entry));
    if (foreign.length === 0) return;
    const listed = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? `, and ${foreign.length - 5} more` : '');
    throw new Error(`km.callbacks.backupAndRestore: backupDir '${this.backupDir}' holds files it did not write (${listed}). The backup takes a folder of its own, which it deletes when training ends: pass a new or empty folder, e.g. '${this.backupDir.replace(/\/+$/, '')}/backup'.`);
  }

  /** Keras' batch counting: batches seen since the last backup, across epoch boundaries. */
  async #afterBatch(batch: number, every: number): Promise<void> {
    this.#batchesSinceSave += batch <= this.#lastBatch ? batch + 1 : batch - this.#lastBatch;
    this.#lastBatch = batch;
    if (this.#batchesSinceSave < every) return;
    this.#batchesSinceSave = 0;
    await this.#save();
  }

  async #restore(): Promise<TrainingProgress | null> {
    const model = this.model as unknown as LayersModel;
    if (!(await hasTrainingBackup(this.#latest))) return null;
    let refusal: Error | undefined;
    const accept = (progress: TrainingProgress) => {
      refusal = this.#otherEpochLength(progress);
      if (refusal) throw refusal;
    };
    try {
      return await loadTrainingBackup(model, this.#latest, accept);
    } catch (error) {
      // The backup before it is of the same run: it would be refused alike.
      if (error === refusal) throw error;
      const message = (error as Error).message;
      if (!this.doubleCheckpoint || !(await hasTrainingBackup(this.#previous))) {
        throw new Error(`km.callbacks.backupAndRestore cannot restore the backup in ${this.#latest}: ${message} Delete ${this.backupDir} to train from the start.`);
      }
      console.warn(`km.callbacks.backupAndRestore: the latest backup cannot be restored (${message}); restoring the one before it, in ${this.#previous}.`);
      return loadTrainingBackup(model, this.#previous, accept);
    }
  }

  /**
   * The error refusing a backup of `fit(x, y)` epochs of another length than this fit's: where an
   * epoch starts reading follows from its index and `stepsPerEpoch`, so the resumed epochs would
   * read other batches than the uninterrupted run's.
   */
  #otherEpochLength(progress: TrainingProgress): Error | undefined {
    const backedUp = progress.stepsPerEpoch;
    const now = this.params!.stepsPerEpoch;
    if (backedUp === now) return undefined;
    const made = backedUp === undefined ? 'without stepsPerEpoch (each epoch one pass over the data)' : `with stepsPerEpoch=${backedUp}`;
    const fix = backedUp === undefined ? 'Leave stepsPerEpoch out to resume it' : `Pass stepsPerEpoch: ${backedUp} to resume it`;
    return new Error(
      `km.callbacks.backupAndRestore: the backup in ${this.backupDir} was made by fit ${made}, but this fit has ${now === undefined ? 'none' : `stepsPerEpoch=${now}`}, ` +
        `so its epochs would start at other batches than the uninterrupted run's. ${fix}, or delete ${this.backupDir} to train from the start.`,
    );
  }

  async #save(): Promise<void> {
    if (this.doubleCheckpoint && (await hasTrainingBackup(this.#latest))) await replaceFolder(this.#latest, this.#previous);
    const { seed, stepsPerEpoch, datasetPosition, validationShuffleIterations } = this.params!;
    const model = this.model as unknown as LayersModel;
    const random = { global: globalGenerator().state, layers: layerGenerators(model.allLayers).map((g) => g.state) };
    const optimizer = this.optimizer;
    await saveTrainingBackup(model, this.#latest, {
      epoch: this.#epoch, batch: this.#lastBatch, ...(seed === undefined ? {} : { seed }), ...(stepsPerEpoch === undefined ? {} : { stepsPerEpoch }), random,
      ...(optimizer.schedule ? {} : { learningRate: optimizer.learningRate }),
      ...(datasetPosition === undefined ? {} : { shuffleIterations: datasetPosition.shuffleIterations, streamBatches: datasetPosition.batchesRead }),
      ...(validationShuffleIterations === undefined ? {} : { validationShuffleIterations }),
    });
  }

  /** Puts the learning rate, the generators and the datasets' shuffles where the backed-up run had them; a backup without them (older) leaves them as they are. */
  #restoreRun(progress: TrainingProgress): void {
    const optimizer = this.optimizer;
    if (progress.learningRate !== undefined && !optimizer.schedule) optimizer.learningRate = progress.learningRate;
    const generators = layerGenerators((this.model as unknown as LayersModel).allLayers);
    if (progress.random) {
      globalGenerator().state = progress.random.global;
      if (progress.random.layers.length === generators.length) progress.random.layers.forEach((state, i) => (generators[i].state = state));
      else this.#warnMismatch(`the generators of ${progress.random.layers.length} layers with a seed`, `the model has ${generators.length}`, 'those layers draw afresh and the run will not repeat the uninterrupted one', 'the model');
    }
    const params = this.params!;
    if (progress.shuffleIterations && params.datasetPosition) {
      const shuffles = params.datasetPosition.shuffleIterations.length;
      if (progress.shuffleIterations.length !== shuffles) {
        this.#warnMismatch(`the passes of ${progress.shuffleIterations.length} reshuffling shuffles`, `the training dataset has ${shuffles}`, 'its orders start afresh and the run will not repeat the uninterrupted one', 'the dataset');
      }
      params.datasetPosition = { shuffleIterations: progress.shuffleIterations, batchesRead: progress.streamBatches ?? 0 };
    }
    if (progress.validationShuffleIterations && params.validationShuffleIterations) {
      const shuffles = params.validationShuffleIterations.length;
      if (progress.validationShuffleIterations.length !== shuffles) {
        const held = `the passes of ${progress.validationShuffleIterations.length} reshuffling shuffles of the validation data`;
        this.#warnMismatch(held, `the validation dataset has ${shuffles}`, "its orders start afresh and the validation losses will not repeat the uninterrupted run's", 'the validation dataset');
      }
      params.validationShuffleIterations = progress.validationShuffleIterations;
    }
  }

  /** Warns that the backup holds `held` where the run has `found`, so `consequence`, and to resume with `resumeWith` the backup was made with. */
  #warnMismatch(held: string, found: string, consequence: string, resumeWith: string): void {
    console.warn(`km.callbacks.backupAndRestore: the backup in ${this.backupDir} holds ${held}, but ${found}, so ${consequence}. Resume with ${resumeWith} the backup was made with.`);
  }
}

/** What the callback writes in its folder: the latest backup, the one before it, and that one's copy in progress. */
function isBackupEntry(name: string): boolean {
  return name === 'latest' || name === 'previous' || /^previous\.\d+\.tmp$/.test(name);
}

/** Makes `to` a copy of `from`: copied beside it first, so a crash leaves either copy whole. */
async function replaceFolder(from: string, to: string): Promise<void> {
  const fs = await import('node:fs/promises');
  const temp = `${to}.${process.pid}.tmp`;
  await fs.rm(temp, { recursive: true, force: true });
  await fs.cp(from, temp, { recursive: true });
  await fs.rm(to, { recursive: true, force: true });
  await fs.rename(temp, to);
}
