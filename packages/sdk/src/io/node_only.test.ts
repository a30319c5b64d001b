// The one check behind every Node-only entry point: outside Node.js (here, Node with
// process.versions.node hidden, as a bundler's process shim has it) each refuses up front.
import { afterEach, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { textChunks } from '../data/text_source.js';
import { writeFileAtomic } from './atomic_write.js';
import { hasTrainingBackup } from './training_backup.js';

const versions = Object.getOwnPropertyDescriptor(process, 'versions')!;

/** Runs `fn` as if outside Node: synchronously, so nothing else sees the change. */
function outsideNode<T>(fn: () => T): T {
  Object.defineProperty(process, 'versions', { ...versions, value: { ...process.versions, node: undefined } });
  try {
    return fn();
  } finally {
    Object.defineProperty(process, 'versions', versions);
  }
}

const NOT_NODE = 'works only in Node.js, which has a file system; this is not Node.js (a browser, a worker or another runtime).';
const BROWSER_PLACES = "In a browser, save models to 'indexeddb://name', 'localstorage://name' or 'downloads://name', and load them from 'indexeddb://name', 'localstorage://name', an http(s):// URL or km.io.browserFiles(files).";

afterEach(() => expect(typeof process.versions.node).toBe('string'));

describe('Node-only entry points outside Node', () => {
  it('km.io.fileSystem names file:// and the browser schemes', () => {
    expect(() => outsideNode(() => km.io.fileSystem('file://out/m'))).toThrow(`file:// ('file://out/m') ${NOT_NODE} ${BROWSER_PLACES}`);
    expect(() => outsideNode(() => km.io.fileSystem('out/m'))).toThrow(`km.io.fileSystem('out/m') ${NOT_NODE}`);
  });

  it('writeFileAtomic and the training backup refuse before touching node:fs', async () => {
    const write = outsideNode(() => writeFileAtomic('out/x', 'data'));
    await expect(write).rejects.toThrow(`Writing the file 'out/x' ${NOT_NODE}`);
    const backup = outsideNode(() => hasTrainingBackup('backup'));
    await expect(backup).rejects.toThrow(`km.callbacks.backupAndRestore (it backs up to a folder) ${NOT_NODE} In a browser, save checkpoints with km.callbacks.modelCheckpoint to indexeddb:// instead.`);
  });

  it('csvLogger and backupAndRestore refuse when made', () => {
    expect(() => outsideNode(() => km.callbacks.csvLogger('log.csv'))).toThrow(`km.callbacks.csvLogger ('log.csv') ${NOT_NODE} In a browser, collect the logs with a custom onEpochEnd callback instead.`);
    expect(() => outsideNode(() => km.callbacks.backupAndRestore({ backupDir: 'backup' }))).toThrow(`km.callbacks.backupAndRestore (it backs up to a folder) ${NOT_NODE}`);
  });

  it('a file:// text source refuses; in Node the same calls still work', async () => {
    const read = outsideNode(() => textChunks('file:///data.csv').next());
    await expect(read).rejects.toThrow(`file:// ('file:///data.csv') ${NOT_NODE} In a browser, read the file from an http(s):// URL instead.`);
    expect(km.io.fileSystem('file://out/m').save).toBeTypeOf('function');
    expect(km.callbacks.csvLogger('log.csv').filename).toBe('log.csv');
  });
});
