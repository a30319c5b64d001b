// Every Node module the SDK imports (on its Node-only paths, behind requireNode) is mapped to
// `false` in package.json's `browser` field. Bundlers for the browser then use an empty module for
// it without a word; Vite otherwise warns "Module "node:fs" has been externalized for browser
// compatibility" for each one, which users read as a broken build.
// ../../../web-demo/e2e/default_vite_build.test.ts checks the warnings in a real Vite build.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('..', import.meta.url));
const PACKAGE_JSON = join(SRC, '..', 'package.json');

/** The `node:` modules that the published sources (not tests, not testing/) import. */
async function nodeModulesImported(): Promise<string[]> {
  const files = (await readdir(SRC, { recursive: true })).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.split(/[\\/]/).includes('testing'));
  const found = new Set<string>();
  for (const file of files) {
    const code = await readFile(join(SRC, file), 'utf8');
    for (const [, name] of code.matchAll(/(?:\bimport\(\s*(?:\/\*.*?\*\/\s*)*|\bfrom\s+)['"](node:[^'"]+)['"]/g)) found.add(name);
  }
  return [...found].sort();
}

it("maps each node: module the SDK imports to false in package.json's browser field", async () => {
  const imported = await nodeModulesImported();
  expect(imported).toContain('node:fs/promises');
  const browser = (JSON.parse(await readFile(PACKAGE_JSON, 'utf8')) as { browser?: Record<string, unknown> }).browser ?? {};
  const unmapped = imported.filter((name) => browser[name] !== false);
  expect(unmapped, `add "<name>": false to the "browser" field of packages/sdk/package.json for each of these`).toEqual([]);
});
