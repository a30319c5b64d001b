import { requireNode } from './node_only.js';

/**
 * Writes a file so that readers see either its old or its new content, never a mix: the data goes
 * to a temporary name in the same folder, is flushed to disk (fsync), then renamed over the
 * target, and the folder entry is flushed too. A failure part-way removes the temporary file.
 * Node only.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  requireNode(`Writing the file '${path}'`);
  const fs = await import('node:fs/promises');
  const { dirname, basename, join } = await import('node:path');
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    const handle = await fs.open(temp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, path);
  } catch (err) {
    await fs.rm(temp, { force: true }).catch(() => {});
    throw err;
  }
  await syncFolder(dir);
}

/** `.<target name>.<pid>.<random base 36>.tmp`: the temporary name `writeFileAtomic` writes before renaming. */
const TEMP_NAME = /^\.(.+)\.\d+\.[0-9a-z]*\.tmp$/;

/**
 * Removes the temporary files that interrupted `writeFileAtomic` calls (a killed process) left in
 * `dir`, for targets `isTarget` accepts, once unchanged for `olderThanMs`. A write in progress
 * keeps its file's modification time fresh until its last bytes, so only a writer stuck longer
 * than that in fsync could lose its file, and then its rename fails: the target stays as it was.
 * The age is used rather than the pid in the name because a live pid cannot be checked across
 * machines or containers that share the folder. Best effort: errors are ignored. Node only.
 */
export async function removeStaleTempFiles(dir: string, isTarget: (name: string) => boolean, olderThanMs: number): Promise<void> {
  const fs = await import('node:fs/promises');
  const { join } = await import('node:path');
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const cutoff = Date.now() - olderThanMs;
  for (const name of names) {
    const target = TEMP_NAME.exec(name)?.[1];
    if (target === undefined || !isTarget(target)) continue;
    const stat = await fs.lstat(join(dir, name)).catch(() => null);
    if (stat?.isFile() && stat.mtimeMs < cutoff) await fs.rm(join(dir, name), { force: true }).catch(() => {});
  }
}

/** Flushes a folder's entries (the rename) to disk; some platforms cannot open folders, which is harmless. */
async function syncFolder(dir: string): Promise<void> {
  const fs = await import('node:fs/promises');
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot fsync a directory; the rename itself is still atomic there.
  }
}
