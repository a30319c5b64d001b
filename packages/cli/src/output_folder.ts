import { mkdir, open, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
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
  const path = withoutScheme(folder);
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

/**
 * Checks, before any training, that `--backup-dir` is a folder of its own, as km.callbacks.backupAndRestore
 * requires (it deletes its backup when training ends, and refuses a folder holding anything else
 * when training starts): apart from the other output folders (`--save`, `--tensorboard`), neither
 * the same nor one inside the other, and holding nothing but a backup a run left there.
 */
export async function checkBackupFolder(backupDir: string, others: readonly (readonly [flag: string, folder: string | undefined])[]): Promise<void> {
  const backup = resolve(withoutScheme(backupDir));
  for (const [flag, folder] of others) {
    if (folder === undefined) continue;
    const other = resolve(withoutScheme(folder));
    const relation = other === backup ? 'the same folder as' : isInside(backup, other) ? 'inside' : isInside(other, backup) ? 'the folder holding' : undefined;
    if (relation === undefined) continue;
    const instead = relation === 'inside' ? `${folder.replace(/\/+$/, '')}-backup` : sibling(backupDir);
    throw new UsageError(
      `Cannot use --backup-dir ${backupDir}: it is ${relation} ${flag} ${folder}. The backup takes a folder of its own, which training deletes when it ends. Nothing was trained; pass another folder, e.g. --backup-dir ${instead}.`,
      TRAIN_HELP,
    );
  }
  const entries = await readdir(backup).catch(() => [] as string[]);
  const foreign = entries.filter((entry) => !isBackupEntry(entry));
  if (foreign.length === 0) return;
  const listed = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? `, and ${foreign.length - 5} more` : '');
  const what = foreign.includes('model.json') ? 'a saved model' : 'files that are not a kerasm backup';
  throw new UsageError(
    `Cannot use --backup-dir ${backupDir}: it holds ${what} (${listed}). The backup takes a new or empty folder of its own (or one a killed run left its backup in), which training deletes when it ends. Nothing was trained; pass another folder, e.g. --backup-dir ${sibling(backupDir)}.`,
    TRAIN_HELP,
  );
}

// The entries km.callbacks.backupAndRestore writes (its latest and previous backups, and a backup being replaced).
function isBackupEntry(name: string): boolean {
  return name === 'latest' || name === 'previous' || /^previous\.\d+\.tmp$/.test(name);
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

function sibling(folder: string): string {
  return `${folder.replace(/\/+$/, '')}-backup`;
}

function withoutScheme(folder: string): string {
  return folder.startsWith('file://') ? folder.slice('file://'.length) : folder;
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
