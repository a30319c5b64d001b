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
