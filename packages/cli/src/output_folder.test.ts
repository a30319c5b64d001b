import { access, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { checkWritableFolder, folderProblem } from './output_folder.js';

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

  it('words read-only, permission and full-disk errors plainly', () => {
    expect(folderProblem('EROFS', 'm')).toBe("'m' is on a read-only file system");
    expect(folderProblem('EACCES', 'm')).toContain("this user may not write 'm'");
    expect(folderProblem('ENOSPC', 'm')).toBe("the disk holding 'm' is full");
  });
});
