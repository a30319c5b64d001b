import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, kerasm, sdkBuilt, startKerasm } from './testing/cli_binary.js';

const exists = (path: string) => access(path).then(() => true, () => false);
const RUN = ['train', '--epochs', '2', '--units', '16', '--seed', '3'];

// A real crash: the first run is killed once its first backup is committed, during epoch 2.
describe.skipIf(!sdkBuilt)('kerasm train --backup-dir', () => {
  let dir: string;
  beforeAll(async () => {
    await buildCli();
    dir = await mkdtemp(join(tmpdir(), 'kerasm-backup-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('resumes a killed run, which then ends with the test accuracy of an uninterrupted one', async () => {
    const backupDir = join(dir, 'backup');
    const first = startKerasm(...RUN, '--verbose', '0', '--backup-dir', backupDir);
    const exited = new Promise((resolve) => first.on('exit', resolve));
    while (!(await exists(join(backupDir, 'latest', 'model.json')))) {
      if (first.exitCode !== null) throw new Error(`the first run ended (code ${first.exitCode}) before its first backup`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    first.kill('SIGKILL');
    await exited;
    expect(await exists(join(backupDir, 'latest', 'model.json'))).toBe(true);

    const [resumed, uninterrupted] = [await kerasm(...RUN, '--json', '--backup-dir', backupDir), await kerasm(...RUN, '--json')];
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(uninterrupted.code, uninterrupted.stderr).toBe(0);
    const [after, whole] = [JSON.parse(resumed.stdout), JSON.parse(uninterrupted.stdout)];
    expect(after.epochs.map((e: { epoch: number }) => e.epoch)).toEqual([2]);
    expect(after.epochs[0].loss).toBe(whole.epochs[1].loss);
    expect(after.test).toEqual(whole.test);
    expect(await exists(backupDir)).toBe(false);
  });
});
