import { readFileSync } from 'node:fs';

/** The version in this package's package.json (one directory above `dist/`). */
export function cliVersion(): string {
  return versionIn(new URL('../package.json', import.meta.url));
}

/** The version of the `@kerasm/sdk` this CLI runs on, read without loading it (its package.json is one directory above its `dist/index.js`). */
export function sdkVersion(): string {
  return versionIn(new URL('../package.json', import.meta.resolve('@kerasm/sdk')));
}

function versionIn(manifest: URL): string {
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}
