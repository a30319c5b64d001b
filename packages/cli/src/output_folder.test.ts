import { access, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { checkBackupFolder, checkWritableFolder, folderProblem } from './output_folder.js';

const exists = (path: string) => access(path).then(() => true, () => false);

describe('checkWritableFolder', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kerasm-output-folder-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('accepts a writable folder, leaving no trace, and a missing one, making nothing that stays', async () => {
    await mkdir(join(dir, 'kept'));
    await checkWritableFolder(join(dir, 'kept'), '--save');
    expect(await readdir(join(dir, 'kept'))).toEqual([]);
    await checkWritableFolder(join(dir, 'new', 'deeper'), '--save');
    expect(await exists(join(dir, 'new'))).toBe(false);
  });

  it('refuses a path with a file in the way, naming the flag and the fix', async () => {
    await writeFile(join(dir, 'file'), 'x');
    for (const path of [join(dir, 'file'), join(dir, 'file', 'model')]) {
      const err = await checkWritableFolder(path, '--backup-dir').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toBe(`Cannot use --backup-dir ${path}: a file is in the way: '${path}' or a folder above it is a file. Nothing was trained; choose another folder with --backup-dir.`);
    }
  });

  it('refuses a --backup-dir that is, holds or sits in the --save or --tensorboard folder, suggesting one apart', async () => {
    const refusal = (backup: string, others: [string, string][]) => checkBackupFolder(backup, others).then(() => undefined, (e: unknown) => e as Error);
    const tail = 'The backup takes a folder of its own, which training deletes when it ends. Nothing was trained; pass another folder, e.g. --backup-dir';
    const model = join(dir, 'model');
    const same = await refusal(model, [['--save', `${model}/`]]);
    expect(same).toBeInstanceOf(UsageError);
    expect(same!.message).toBe(`Cannot use --backup-dir ${model}: it is the same folder as --save ${model}/. ${tail} ${model}-backup.`);
    expect((await refusal(join(model, 'b'), [['--save', model]]))!.message).toBe(`Cannot use --backup-dir ${join(model, 'b')}: it is inside --save ${model}. ${tail} ${model}-backup.`);
    expect((await refusal(dir, [['--tensorboard', `file://${join(dir, 'logs')}`]]))!.message).toBe(`Cannot use --backup-dir ${dir}: it is the folder holding --tensorboard file://${join(dir, 'logs')}. ${tail} ${dir}-backup.`);
    expect(await refusal(join(dir, 'backup'), [['--save', model], ['--save', `${model}-2`]])).toBeUndefined();
  });

  it("refuses a --backup-dir holding a saved model or other files, and accepts one holding only a run's backup", async () => {
    const saved = join(dir, 'saved');
    await mkdir(saved);
    await writeFile(join(saved, 'model.json'), '{}');
    await writeFile(join(saved, 'weights.bin'), '');
    const err = await checkBackupFolder(saved, []).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe(
      `Cannot use --backup-dir ${saved}: it holds a saved model (model.json, weights.bin). The backup takes a new or empty folder of its own (or one a killed run left its backup in), which training deletes when it ends. Nothing was trained; pass another folder, e.g. --backup-dir ${saved}-backup.`,
    );
    await writeFile(join(dir, 'kept', 'notes.txt'), 'x');
    await expect(checkBackupFolder(join(dir, 'kept'), [])).rejects.toThrow(`it holds files that are not a kerasm backup (notes.txt).`);
    const resumable = join(dir, 'resumable');
    await mkdir(join(resumable, 'latest'), { recursive: true });
    await mkdir(join(resumable, 'previous.12.tmp'));
    await checkBackupFolder(resumable, []);
    await checkBackupFolder(join(dir, 'not-yet'), []);
  });

  it('words read-only, permission and full-disk errors plainly', () => {
    expect(folderProblem('EROFS', 'm')).toBe("'m' is on a read-only file system");
    expect(folderProblem('EACCES', 'm')).toContain("this user may not write 'm'");
    expect(folderProblem('ENOSPC', 'm')).toBe("the disk holding 'm' is full");
  });
});
