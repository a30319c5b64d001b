import { requireNode } from '../node_only.js';
import type { IOHandler } from '../types.js';

/** The `file://` prefix; what follows is a path (`file:///abs`, `file://relative`), as in tfjs-node. */
export const FILE_SCHEME = 'file://';

/**
 * A Node file-system handler: saves a folder holding `model.json` and one weights file, and loads
 * from a `model.json` path or the folder. Saving is atomic: the weights go to a new file named by
 * their content hash, then `model.json` is replaced in one rename, which commits the save; the
 * previous weights file is removed only after that. An interrupted save leaves the previous model
 * loadable; the temporary files of a killed save are removed by the next save to the folder once
 * they are 10 minutes old (younger ones may belong to a save still running).
 *
 * @example
 * ```ts
 * await model.save(km.io.fileSystem('out/mnist'));
 * const again = await km.loadLayersModel(km.io.fileSystem('out/mnist/model.json'));
 * ```
 */
export function fileSystem(path: string): IOHandler {
  requireNode(typeof path === 'string' && path.toLowerCase().startsWith(FILE_SCHEME) ? `file:// ('${path}')` : `km.io.fileSystem('${path}')`);
  const target = path.startsWith(FILE_SCHEME) ? path.slice(FILE_SCHEME.length) : path;
  if (target === '') throw new Error(`fileSystem() needs a folder or model.json path. Received: '${path}'.`);
  return {
    save: async (artifacts) => (await import('./file_folder.js')).saveToFolder(target, artifacts),
    load: async () => (await import('./file_folder.js')).loadFromPath(target),
  };
}
