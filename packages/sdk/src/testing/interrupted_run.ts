// A training run crashed and resumed with km.callbacks.backupAndRestore, beside the same run never
// interrupted: what the backup tests compare bit for bit.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import * as km from '../index.js';
import type { Random } from '../utils/random.js';

/**
 * A temporary folder for a test file's backups, made once the core is ready, before its tests, and
 * removed after them; the function returned names a new backup folder in it.
 */
export function backupFolders(prefix: string): () => string {
  let root = '';
  let runs = 0;
  beforeAll(async () => {
    await km.ready();
    root = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));
  return () => join(root, `run-${++runs}`);
}

/** `n` rows of `width` values drawn uniformly from [−1, 1). */
export const uniformRows = (random: Random, n: number, width: number): number[][] => Array.from({ length: n }, () => Array.from({ length: width }, () => random.uniform(-1, 1)));

/** Fits `model` with `callbacks` (a crash, the backup): the run under test, however it feeds its data. */
export type FitWith<M extends km.LayersModel> = (model: M, callbacks: km.callbacks.CustomCallbackArgs[]) => Promise<km.History>;

/** Throws at the start of epoch `at`: what a crash looks like to fit. */
export const crashAtEpoch = (at: number): km.callbacks.CustomCallbackArgs => ({
  onEpochBegin: (epoch) => {
    if (epoch === at) throw new Error('crash');
  },
});

export const weightsOf = async (model: km.LayersModel): Promise<number[][]> => Promise.all(model.getWeights().map(async (w) => Array.from(await w.data())));

/**
 * The uninterrupted run (built with seed 21), and a run crashed at epoch `crashAt` whose backup
 * `edit` may change, resumed in a model built under another seed (99): the global generator then
 * stands elsewhere when fit starts, as in a new process that built more or less. Returns both
 * histories and both models' final weights.
 */
export async function interruptedRun<M extends km.LayersModel>(build: (seed: number) => M, fit: FitWith<M>, crashAt: number, backupDir: string, edit?: (backupDir: string) => Promise<void>) {
  const uninterrupted = build(21);
  const full = await fit(uninterrupted, []);
  await expect(fit(build(21), [km.callbacks.backupAndRestore({ backupDir }), crashAtEpoch(crashAt)])).rejects.toThrow('crash');
  await edit?.(backupDir);
  const resumedModel = build(99);
  const resumed = await fit(resumedModel, [km.callbacks.backupAndRestore({ backupDir })]);
  return { full, resumed, expected: await weightsOf(uninterrupted), got: await weightsOf(resumedModel) };
}

/** The backup's `model.json`, which holds its progress. */
export const progressFile = (backupDir: string): string => join(backupDir, 'latest', 'model.json');

/** Rewrites the backup's progress as a kerasm from before it kept `fields` would have written it. */
export const dropFromBackup = (...fields: string[]) => async (backupDir: string): Promise<void> => {
  const json = JSON.parse(await readFile(progressFile(backupDir), 'utf8'));
  for (const field of fields) delete json.userDefinedMetadata.kerasm_training_progress[field];
  await writeFile(progressFile(backupDir), JSON.stringify(json));
};
