/**
 * Whether this is Node.js (or a runtime with its modules, such as Deno or Bun). Checked before any
 * `import('node:fs')`: bundlers for the browser (Vite, webpack) replace Node's modules with empty
 * ones, so a Node-only feature would otherwise fail later with an internal error
 * (`fs.stat is not a function`). A bundler's `process` shim has no `versions.node`.
 */
export function inNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/** Where models go instead in a browser, for errors about Node-only paths. */
export const BROWSER_MODEL_PLACES =
  "In a browser, save models to 'indexeddb://name', 'localstorage://name' or 'downloads://name', and load them from " +
  "'indexeddb://name', 'localstorage://name', an http(s):// URL or km.io.browserFiles(files).";

/**
 * Throws unless this is Node.js. `subject` names what the user asked for (`file:// ('file://out/m')`),
 * `instead` what works in a browser.
 */
export function requireNode(subject: string, instead: string = BROWSER_MODEL_PLACES): void {
  if (!inNode()) {
    throw new Error(`${subject} works only in Node.js, which has a file system; this is not Node.js (a browser, a worker or another runtime). ${instead}`);
  }
}
