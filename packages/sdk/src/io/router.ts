import type { IOHandler } from './types.js';

type Purpose = 'save' | 'load';

/** URL schemes and the handler each names; a path without a scheme is a file path in Node. */
const SCHEMES: Record<string, (rest: string, url: string) => Promise<IOHandler>> = {
  'file://': async (_rest, url) => (await import('./handlers/file.js')).fileSystem(url),
  'indexeddb://': async (rest) => (await import('./handlers/indexeddb.js')).browserIndexedDB(rest),
  'localstorage://': async (rest) => (await import('./handlers/local_storage.js')).browserLocalStorage(rest),
  'downloads://': async (rest) => (await import('./handlers/browser_downloads.js')).browserDownloads(rest || undefined),
  'http://': async (_rest, url) => (await import('./handlers/http.js')).http(url),
  'https://': async (_rest, url) => (await import('./handlers/http.js')).http(url),
};

function inNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/** The handler a URL, path or handler names, checked to support `purpose`. */
export async function handlerFor(destination: string | IOHandler, purpose: Purpose): Promise<IOHandler> {
  let handler: IOHandler;
  if (typeof destination === 'string') {
    const scheme = Object.keys(SCHEMES).find((s) => destination.toLowerCase().startsWith(s));
    const other = /^([a-z][a-z0-9+.-]*):\/\//i.exec(destination);
    if (scheme) handler = await SCHEMES[scheme](destination.slice(scheme.length), destination);
    else if (other) throw new Error(`Unknown URL scheme '${other[1]}://' in '${destination}'. Known schemes: ${Object.keys(SCHEMES).join(', ')}; a plain path is a file path in Node.`);
    else if (destination === '') throw new Error(`Expected a URL or path to ${purpose} the model ${purpose === 'save' ? 'to' : 'from'}, e.g. 'file://out/model'. Received an empty string.`);
    else if (inNode()) handler = (await import('./handlers/file.js')).fileSystem(destination);
    else handler = (await import('./handlers/http.js')).http(destination);
  } else if (typeof destination === 'object' && destination !== null && (destination.save || destination.load)) {
    handler = destination;
  } else {
    throw new Error(`Expected a URL, a path or a handler from km.io (an object with save or load). Received: ${destination === null ? 'null' : typeof destination}.`);
  }
  if (!handler[purpose]) {
    throw new Error(`The handler for ${typeof destination === 'string' ? `'${destination}'` : 'this destination'} cannot ${purpose} models${purpose === 'load' ? ' (downloads:// only saves; load the downloaded files with km.io.browserFiles(files), an http URL or km.io.fromMemory)' : ''}.`);
  }
  return handler;
}

/** How errors name a load source: the model.json a folder path or URL stands for. */
export function describeSource(source: string | IOHandler): string {
  if (typeof source !== 'string') return 'the model';
  const folderLike = !/^(indexeddb|localstorage|downloads):\/\//i.test(source) && !source.endsWith('.json');
  return folderLike ? `${source.replace(/\/$/, '')}/model.json` : source;
}
