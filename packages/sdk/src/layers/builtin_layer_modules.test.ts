import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUILTIN_LAYER_MODULES } from './builtin_layer_modules.js';
import * as km from '../index.js';

const LAYERS_DIR = dirname(fileURLToPath(import.meta.url));

/** Each class name a layer source file registers with registerBuiltinLayer, with that file's module name. */
function registrationsInSources(): Map<string, string> {
  const registered = new Map<string, string>();
  for (const file of readdirSync(LAYERS_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort()) {
    for (const [, className] of readFileSync(join(LAYERS_DIR, file), 'utf8').matchAll(/^registerBuiltinLayer\('(\w+)'/gm)) {
      expect(registered.has(className!), `${className} registered twice`).toBe(false);
      registered.set(className!, file.replace(/\.ts$/, '.js'));
    }
  }
  return registered;
}

/** The table's entries as written: class name and the module its loader imports. */
function tableEntries(): Map<string, string> {
  const text = readFileSync(join(LAYERS_DIR, 'builtin_layer_modules.ts'), 'utf8');
  return new Map([...text.matchAll(/^ {2}(\w+): \(\) => import\('\.\/(\w+\.js)'\),$/gm)].map(([, name, module]) => [name!, module!]));
}

describe('BUILTIN_LAYER_MODULES', () => {
  it('names, for every registerBuiltinLayer call in src/layers, the module that makes it', () => {
    const expected = registrationsInSources();
    const entries = tableEntries();
    expect(Object.keys(BUILTIN_LAYER_MODULES).sort(), 'every key is written as `  Name: () => import(...)`').toEqual([...entries.keys()].sort());
    const lines = (map: Map<string, string>) => [...map].sort(([a], [b]) => a.localeCompare(b)).map(([name, module]) => `  ${name}: () => import('./${module}'),`);
    expect(lines(entries), 'builtin_layer_modules.ts should hold exactly these lines').toEqual(lines(expected));
    expect(expected.size).toBeGreaterThan(100);
  });

  it('loads modules whose classes make layers of that class name', async () => {
    for (const [name, load] of Object.entries(BUILTIN_LAYER_MODULES)) {
      const module = (await load()) as Record<string, unknown>;
      expect(Object.keys(module).length, name).toBeGreaterThan(0);
    }
    await km.layers.loadLayerClasses(Object.keys(BUILTIN_LAYER_MODULES));
    expect(km.layers.layerFromConfig('LSTM', { units: 2 }).className).toBe('LSTM');
    expect(km.layers.registeredLayerClasses()).toEqual(expect.arrayContaining(Object.keys(BUILTIN_LAYER_MODULES)));
  });
});
