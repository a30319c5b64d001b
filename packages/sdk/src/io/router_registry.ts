import type { LoadOptions } from './load_model.js';
import type { IOHandler, IOHandlerSync } from './types.js';

/**
 * Maps a URL to the handler that loads or saves there, or `null` when the URL is not its own
 * (tfjs' `IORouter`). A load router also receives the options of `km.loadLayersModel(url, options)`.
 */
export type IORouter = (url: string, loadOptions?: LoadOptions) => IOHandler | IOHandlerSync | null;

const routers: Record<'load' | 'save', IORouter[]> = { load: [], save: [] };

/**
 * Makes `model.save(url)` and `model.saveWeights(url)` use the handler `router` returns
 * for `url` (tfjs' `io.registerSaveRouter`). Registered routers are asked before kerasm's own
 * schemes, so one may also take over `file://` or `https://`.
 *
 * @example
 * ```ts
 * km.io.registerSaveRouter((url) => (url.startsWith('memory://') ? km.io.withSaveHandler(async (a) => { store.set(url, a); }) : null));
 * await model.save('memory://mnist');
 * ```
 */
export function registerSaveRouter(router: IORouter): void {
  routers.save.push(checkRouter(router, 'registerSaveRouter'));
}

/**
 * Makes `km.loadLayersModel(url)` (and `model.loadWeights`) use the handler `router` returns for
 * `url` (tfjs' `io.registerLoadRouter`). Registered routers are asked before kerasm's own schemes.
 *
 * @example
 * ```ts
 * km.io.registerLoadRouter((url) => (url.startsWith('memory://') ? km.io.fromMemory(store.get(url)!) : null));
 * const model = await km.loadLayersModel('memory://mnist');
 * ```
 */
export function registerLoadRouter(router: IORouter): void {
  routers.load.push(checkRouter(router, 'registerLoadRouter'));
}

function checkRouter(router: unknown, call: string): IORouter {
  if (typeof router !== 'function') throw new Error(`km.io.${call} takes a function (url, loadOptions) => handler or null. Received: ${router === null ? 'null' : typeof router}.`);
  return router as IORouter;
}

/** The handlers the registered routers give for `url`, in the order they were registered (`undefined` counts as `null`). */
export function routedHandlers(url: string, purpose: 'load' | 'save', loadOptions?: LoadOptions): IOHandler[] {
  return routers[purpose].map((router) => router(url, loadOptions)).filter((h): h is IOHandler => h != null);
}
