import { browserDownloads } from './handlers/browser_downloads.js';
import { fileSystem } from './handlers/file.js';
import { http, type HttpOptions } from './handlers/http.js';
import { browserIndexedDB } from './handlers/indexeddb.js';
import { browserLocalStorage } from './handlers/local_storage.js';
import type { LoadOptions } from './load_model.js';
import { inNode } from './node_only.js';
import { routedHandlers } from './router_registry.js';
import type { IOHandler } from './types.js';

type Purpose = 'save' | 'load';

// The handlers are imported statically: km.io exports every one of them, so a bundle holds them
// anyway, and importing them here dynamically split nothing off (bundlers warned so). They load
// Node's modules themselves, only when a Node-only handler runs.
/** URL schemes and the handler each names; a path without a scheme is a file path in Node. */
const SCHEMES: Record<string, (rest: string, url: string, httpOptions: HttpOptions) => IOHandler> = {
  'file://': (_rest, url) => fileSystem(url),
  'indexeddb://': (rest) => browserIndexedDB(rest),
  'localstorage://': (rest) => browserLocalStorage(rest),
  'downloads://': (rest) => browserDownloads(rest || undefined),
  'http://': (_rest, url, httpOptions) => http(url, httpOptions),
  'https://': (_rest, url, httpOptions) => http(url, httpOptions),
};

function schemeOf(destination: string): string | undefined {
  return Object.keys(SCHEMES).find((s) => destination.toLowerCase().startsWith(s));
}

/** Whether `handlerFor` fetches this URL or path over HTTP: an http(s) URL, or a plain path in a browser. */
export function fetchesOverHttp(destination: string): boolean {
  const scheme = schemeOf(destination);
  return scheme ? scheme.startsWith('http') : !/^[a-z][a-z0-9+.-]*:\/\//i.test(destination) && !inNode();
}

/**
 * The handler a URL, path or handler names, checked to support `purpose`: a registered router's
 * (given `loadOptions`), else kerasm's for the URL's scheme; `httpOptions` go to the http handler a URL makes.
 */
export async function handlerFor(destination: string | IOHandler, purpose: Purpose, httpOptions: HttpOptions = {}, loadOptions?: LoadOptions): Promise<IOHandler> {
  let handler: IOHandler;
  if (typeof destination === 'string') {
    const routed = routedHandlers(destination, purpose, loadOptions);
    const scheme = schemeOf(destination);
    const other = /^([a-z][a-z0-9+.-]*):\/\//i.exec(destination);
    if (routed.length > 1) {
      throw new Error(`Found ${routed.length} handlers to ${purpose} '${destination}': more than one router registered with km.io.register${purpose === 'load' ? 'Load' : 'Save'}Router returns one for it. Make each router return null for URLs that are not its own.`);
    }
    if (routed.length === 1) handler = routed[0];
    else if (scheme) handler = SCHEMES[scheme](destination.slice(scheme.length), destination, httpOptions);
    else if (other) {
      throw new Error(
        `Unknown URL scheme '${other[1]}://' in '${destination}'. Known schemes: ${Object.keys(SCHEMES).join(', ')}; a plain path is a file path in Node. ` +
          `For a scheme of your own, register a router first: km.io.register${purpose === 'load' ? 'Load' : 'Save'}Router((url) => (url.startsWith('${other[1]}://') ? handler : null)).`,
      );
    } else if (destination === '') throw new Error(`Expected a URL or path to ${purpose} the model ${purpose === 'save' ? 'to' : 'from'}, e.g. 'file://out/model'. Received an empty string.`);
    else if (inNode()) handler = fileSystem(destination);
    else handler = http(destination, httpOptions);
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

/** Whether a router registered with `km.io.registerLoadRouter` takes `url`, which then gets the load options as they are. */
export function routesToRegisteredLoader(url: string, loadOptions: LoadOptions): boolean {
  return routedHandlers(url, 'load', loadOptions).length > 0;
}

/**
 * The handlers that can load from `url` (tfjs' `io.getLoadHandlers`): those the routers
 * registered with `km.io.registerLoadRouter` return, else kerasm's own for the URL's scheme
 * (`file://`, `https://`, `indexeddb://`, ...), else none. kerasm's loaders use the one handler
 * this returns, and refuse a URL with several.
 *
 * @example
 * ```ts
 * const [handler] = km.io.getLoadHandlers('indexeddb://mnist');
 * const artifacts = await handler.load!();
 * ```
 */
export function getLoadHandlers(url: string, loadOptions?: LoadOptions): IOHandler[] {
  return handlersFor(url, 'load', loadOptions);
}

/**
 * The handlers that can save to `url` (tfjs' `io.getSaveHandlers`): those the routers registered
 * with `km.io.registerSaveRouter` return, else kerasm's own for the URL's scheme, else none.
 *
 * @example
 * ```ts
 * const [handler] = km.io.getSaveHandlers('localstorage://mnist');
 * await model.save(handler);
 * ```
 */
export function getSaveHandlers(url: string): IOHandler[] {
  return handlersFor(url, 'save');
}

function handlersFor(url: string, purpose: Purpose, loadOptions?: LoadOptions): IOHandler[] {
  if (typeof url !== 'string') throw new Error(`km.io.get${purpose === 'load' ? 'Load' : 'Save'}Handlers takes a URL string such as 'indexeddb://my-model'. Received: ${url === null ? 'null' : typeof url}.`);
  const routed = routedHandlers(url, purpose, loadOptions);
  if (routed.length > 0) return routed;
  const scheme = schemeOf(url);
  // In a browser km.io.fileSystem throws at once; tfjs has no file:// router there.
  if (!scheme || (scheme === 'file://' && !inNode())) return [];
  const { strict: _strict, inputShapes: _inputShapes, ...httpOptions } = loadOptions ?? {};
  const handler = SCHEMES[scheme](url.slice(scheme.length), url, httpOptions);
  return handler[purpose] ? [handler] : [];
}

/** How errors name a load source: the model.json a folder path or URL stands for. */
export function describeSource(source: string | IOHandler): string {
  if (typeof source !== 'string') return 'the model';
  // An http(s) URL's query string stays at the end; a file name may hold '?' or '#'.
  const [, path, query] = /^https?:\/\//i.test(source) ? /^([^?#]*)(.*)$/s.exec(source)! : [source, source, ''];
  // A store's URL (indexeddb://, a registered router's scheme) names the model itself.
  const namesStore = /^[a-z][a-z0-9+.-]*:\/\//i.test(source) && !/^(file|https?):\/\//i.test(source);
  const folderLike = !namesStore && !path.endsWith('.json');
  return folderLike ? `${path.replace(/\/$/, '')}/model.json${query}` : source;
}
