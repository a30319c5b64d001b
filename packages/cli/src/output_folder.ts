import { mkdir, open, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from './errors.js';

const TRAIN_HELP = 'kerasm train --help';

/** Plain words for the errors a folder that cannot be written gives. */
export function folderProblem(code: string | undefined, folder: string): string {
  if (code === 'EEXIST' || code === 'ENOTDIR') return `a file is in the way: '${folder}' or a folder above it is a file`;
  if (code === 'EROFS') return `'${folder}' is on a read-only file system`;
  if (code === 'EACCES' || code === 'EPERM') return `this user may not write '${folder}' (it, or the folder it goes in, is read-only)`;
  if (code === 'ENOSPC' || code === 'EDQUOT') return `the disk holding '${folder}' is full`;
  return `'${folder}' cannot be written (${code ?? 'unknown error'})`;
}

/**
 * Checks, before any training, that `flag`'s folder can be made and written, so that a run is not
 * lost at the end to a path it could never save to: it makes the folder if missing, writes and
 * removes a probe file, and removes again any folder it made. Throws a {@link UsageError} naming
 * the problem and the fix.
 */
export async function checkWritableFolder(folder: string, flag: string): Promise<void> {
  const path = folder.startsWith('file://') ? folder.slice('file://'.length) : folder;
  const existing = await stat(path).catch(() => null);
  if (existing && !existing.isDirectory()) {
    throw new UsageError(`Cannot use ${flag} ${folder}: ${folderProblem('EEXIST', folder)}. Nothing was trained; choose another folder with ${flag}.`, TRAIN_HELP);
  }
  const missing = await missingFolders(path);
  let made: string | undefined;
  try {
    // One level at a time: a recursive mkdir reports a read-only file system as ENOENT.
    for (const dir of missing) {
      await mkdir(dir);
      made ??= dir;
    }
    const probe = join(path, `.kerasm-write-check-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe);
  } catch (err) {
    throw new UsageError(`Cannot use ${flag} ${folder}: ${folderProblem((err as NodeJS.ErrnoException).code, folder)}. Nothing was trained; choose another folder with ${flag}.`, TRAIN_HELP);
  } finally {
    if (made !== undefined) await rm(made, { recursive: true, force: true });
  }
}

/**
 * Checks, before any training, that the file at `path` can be written (opened to append, which
 * changes nothing in a file already there; a file made by the check is removed). Throws a
 * {@link UsageError} that starts with `where`, the setting naming the file.
 */
export async function checkWritableFile(path: string, where: string): Promise<void> {
  const existed = await stat(path).then(() => true, () => false);
  try {
    await (await open(path, 'a')).close();
    if (!existed) await rm(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? `its folder ${dirname(path)} does not exist` : code === 'EISDIR' ? `'${path}' is a folder` : folderProblem(code, path);
    throw new UsageError(`${where}: cannot write ${path}: ${problem}. Nothing was trained; make the folder, or choose another path.`, TRAIN_HELP);
  }
}

/** The folders to make for `path` to exist, outermost first. */
async function missingFolders(path: string): Promise<string[]> {
  const missing: string[] = [];
  for (let at = resolve(path); !(await stat(at).then(() => true, () => false)); at = dirname(at)) {
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  return missing;
}
