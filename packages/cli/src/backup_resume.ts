// What `--backup-dir` did to a training run: resumed it from a backup, or found the run already done.
import type * as km from '@kerasm/sdk';

/** The backup a run resumed from: its folder, and how many epochs it had trained (the last one's `epoch` in --json). */
export interface BackupResume {
  backupDir: string;
  epoch: number;
}

/** What `backup` restored when its `fit` started, if anything. */
export function backupResume(backup: km.callbacks.BackupAndRestore | undefined): BackupResume | undefined {
  const epoch = backup?.restoredEpoch;
  return backup === undefined || epoch === null || epoch === undefined ? undefined : { backupDir: backup.backupDir, epoch };
}

/** Whether the backup already held the run's `epochs`, so nothing was trained. */
export function trainedNothing(resume: BackupResume | undefined, epochs: number): boolean {
  return resume !== undefined && resume.epoch >= epochs;
}

/**
 * The line text output prints about a resumed run, `setting` naming where its `epochs` came from
 * (`--epochs`, or `fit.epochs in blobs.json`):
 * `Resumed from the backup in backup/mnist after epoch 2 of 5.`, or, when the backup already held
 * them, that nothing was trained and how to go on.
 */
export function formatBackupResume(resume: BackupResume, epochs: number, setting: string): string {
  const { backupDir, epoch } = resume;
  if (!trainedNothing(resume, epochs)) return `Resumed from the backup in ${backupDir} after epoch ${epoch} of ${epochs}.`;
  const held = `${epoch} trained ${epoch === 1 ? 'epoch' : 'epochs'}`;
  const asked = `${epoch === epochs ? 'as many as' : 'more than'} ${setting} asks for (${epochs})`;
  return (
    `Trained nothing: the backup in ${backupDir} already holds ${held}, ${asked}, so the results below are the backed-up model's, and the backup is kept. ` +
    `Raise ${setting} above ${epoch} to train on from it, or delete ${backupDir} to train from the start.`
  );
}
