import { describe, expect, it } from 'vitest';
import { backupResume, formatBackupResume, trainedNothing } from './backup_resume.js';
import { formatJsonReport } from './output.js';

const resume = { backupDir: 'backup/mnist', epoch: 2 };

describe('formatBackupResume', () => {
  it('names the backup and the epoch a resumed run went on from', () => {
    expect(formatBackupResume(resume, 5, '--epochs')).toBe('Resumed from the backup in backup/mnist after epoch 2 of 5.');
    expect(trainedNothing(resume, 5)).toBe(false);
  });

  it('says nothing was trained, and how to train on or start over, when the backup holds the run or more', () => {
    expect(trainedNothing(resume, 2)).toBe(true);
    expect(formatBackupResume(resume, 2, '--epochs')).toBe(
      "Trained nothing: the backup in backup/mnist already holds 2 trained epochs, as many as --epochs asks for (2), so the results below are the backed-up model's, and the backup is kept. " +
        'Raise --epochs above 2 to train on from it, or delete backup/mnist to train from the start.',
    );
    expect(formatBackupResume({ backupDir: 'b', epoch: 1 }, 1, 'fit.epochs in blobs.json')).toMatch(/^Trained nothing: the backup in b already holds 1 trained epoch, as many as fit.epochs in blobs.json asks for \(1\),.* Raise fit.epochs in blobs.json above 1 /);
    expect(formatBackupResume({ backupDir: 'b', epoch: 3 }, 1, '--epochs')).toMatch(/already holds 3 trained epochs, more than --epochs asks for \(1\), .* Raise --epochs above 3 /);
  });

  it('has no resume without a backup callback or when it restored nothing', () => {
    expect(backupResume(undefined)).toBeUndefined();
    expect(backupResume({ backupDir: 'b', restoredEpoch: null } as never)).toBeUndefined();
    expect(backupResume({ backupDir: 'b', restoredEpoch: 0 } as never)).toEqual({ backupDir: 'b', epoch: 0 });
  });
});

describe('formatJsonReport after a resume', () => {
  const base = { test: { loss: 0.3, accuracy: 0.9 }, trainSamples: 100, backend: 'wasm-simd' };
  it('holds where the run resumed, and no throughput when no epoch trained', () => {
    expect(JSON.parse(formatJsonReport({ ...base, epochs: [], resumedFrom: resume }))).toEqual({ epochs: [], test: base.test, samplesPerSecond: null, backend: 'wasm-simd', resumedFrom: resume });
    const trained = JSON.parse(formatJsonReport({ ...base, epochs: [{ epoch: 3, loss: 0.2, seconds: 2 }], resumedFrom: resume }));
    expect(trained.samplesPerSecond).toBe(50);
    expect(trained.resumedFrom).toEqual(resume);
  });
});
