import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, kerasm, sdkBuilt, startKerasm } from './testing/cli_binary.js';

const exists = (path: string) => access(path).then(() => true, () => false);
const RUN = ['train', '--epochs', '2', '--units', '16', '--seed', '3'];

/** Starts RUN with a backup in `backupDir` and kills it (SIGKILL) once its first backup is committed, during epoch 2. */
async function killAfterFirstBackup(backupDir: string): Promise<void> {
  const first = startKerasm(...RUN, '--verbose', '0', '--backup-dir', backupDir);
  const exited = new Promise((resolve) => first.on('exit', resolve));
  while (!(await exists(join(backupDir, 'latest', 'model.json')))) {
    if (first.exitCode !== null) throw new Error(`the first run ended (code ${first.exitCode}) before its first backup`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  first.kill('SIGKILL');
  await exited;
  expect(await exists(join(backupDir, 'latest', 'model.json'))).toBe(true);
}

// A real crash: the first run is killed once its first backup is committed, during epoch 2.
describe.skipIf(!sdkBuilt)('kerasm train --backup-dir', () => {
  let dir: string;
  beforeAll(async () => {
    await buildCli();
    dir = await mkdtemp(join(tmpdir(), 'kerasm-backup-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('refuses, before loading any data, a --backup-dir that is the --save folder or an existing model folder', async () => {
    const model = join(dir, 'model');
    const same = await kerasm(...RUN, '--save', model, '--backup-dir', model);
    expect(same.code).toBe(2);
    expect(same.stdout).toBe('');
    expect(same.stderr).toContain(`Cannot use --backup-dir ${model}: it is the same folder as --save ${model}.`);
    expect(await exists(model)).toBe(false);
    const saved = await mkdtemp(join(dir, 'saved-'));
    await writeFile(join(saved, 'model.json'), '{}');
    const existing = await kerasm(...RUN, '--backup-dir', saved);
    expect(existing.code).toBe(2);
    expect(existing.stderr).toContain(`Cannot use --backup-dir ${saved}: it holds a saved model (model.json).`);
  });

  it('resumes a killed run, which then ends with the test accuracy of an uninterrupted one', async () => {
    const backupDir = join(dir, 'backup');
    await killAfterFirstBackup(backupDir);

    const [resumed, uninterrupted] = [await kerasm(...RUN, '--json', '--backup-dir', backupDir), await kerasm(...RUN, '--json')];
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(uninterrupted.code, uninterrupted.stderr).toBe(0);
    const [after, whole] = [JSON.parse(resumed.stdout), JSON.parse(uninterrupted.stdout)];
    expect(after.epochs.map((e: { epoch: number }) => e.epoch)).toEqual([2]);
    expect(after.resumedFrom).toEqual({ backupDir, epoch: 1 });
    expect(whole.resumedFrom).toBeUndefined();
    expect(after.epochs[0].loss).toBe(whole.epochs[1].loss);
    expect(after.test).toEqual(whole.test);
    expect(await exists(backupDir)).toBe(false);
  });

  it('after a backup that already holds --epochs: says nothing was trained and how to go on, keeps the backup, and --json says where it resumed', async () => {
    const backupDir = join(dir, 'done');
    await killAfterFirstBackup(backupDir);
    const ONE_EPOCH = ['train', '--epochs', '1', '--units', '16', '--seed', '3', '--backup-dir', backupDir];
    const text = await kerasm(...ONE_EPOCH);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(
      `Trained nothing: the backup in ${backupDir} already holds 1 trained epoch, as many as --epochs asks for (1), so the results below are the backed-up model's, and the backup is kept. ` +
        `Raise --epochs above 1 to train on from it, or delete ${backupDir} to train from the start.`,
    );
    expect(text.stdout).not.toMatch(/Trained \d+ epoch/);
    expect(text.stdout).toMatch(/Test loss: [\d.]+ {2}Test accuracy: [\d.]+/);

    const json = await kerasm(...ONE_EPOCH, '--json');
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ epochs: [], samplesPerSecond: null, resumedFrom: { backupDir, epoch: 1 } });
    // The backed-up model, one epoch trained, not a fresh one (about 0.1).
    expect(report.test.accuracy).toBeGreaterThan(0.5);
    expect(await exists(join(backupDir, 'latest', 'model.json'))).toBe(true);
  });
});
