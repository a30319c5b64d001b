// The docs' TypeScript examples compile as a user's strict project compiles them, against the
// SDK's source: the README's first program and docs/CUSTOM_LAYERS.md's Square layer and VAE.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The first ```ts block of `doc` that contains `marker`. */
function example(doc: string, marker: string): string {
  const blocks = [...readFileSync(join(repo, doc), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  const found = blocks.find((block) => block.includes(marker));
  if (found === undefined) throw new Error(`${doc} has no \`\`\`ts block containing '${marker}'.`);
  return found;
}

/** tsc's errors for `code` as a module of a user's project where `@kerasm/sdk` is this package's source. */
function compileErrors(code: string, extra: ts.CompilerOptions = {}): string[] {
  const file = join(repo, 'packages/sdk/src/__doc_example__.mts');
  const options: ts.CompilerOptions = {
    strict: true,
    noUncheckedIndexedAccess: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    skipLibCheck: true,
    noEmit: true,
    paths: { '@kerasm/sdk': [join(repo, 'packages/sdk/src/index.ts')] },
    ...extra,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) => (name === file ? ts.createSourceFile(name, code, language) : getSourceFile.call(host, name, language, ...rest));
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  host.readFile = (name) => (name === file ? code : readFile.call(host, name));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => {
    const where = d.file && d.start !== undefined ? `line ${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

describe.runIf(existsSync(join(repo, 'README.md')))('the docs examples type-check', () => {
  it("README's first program, under strict and noUncheckedIndexedAccess", () => {
    const readme = example('README.md', 'model.evaluate');
    expect(compileErrors(`${readme}\nexport const used: number = loss + (acc ?? 0) + history.history.loss.length + probs.size;\n`)).toEqual([]);
  }, 120_000);

  it("CUSTOM_LAYERS.md's Square layer, under strict and noUncheckedIndexedAccess", () => {
    expect(compileErrors(example('docs/CUSTOM_LAYERS.md', 'class Square'))).toEqual([]);
  }, 120_000);

  it("CUSTOM_LAYERS.md's VAE (a KL term added with ctx.addLoss, a Sampling layer), under strict and noUncheckedIndexedAccess", () => {
    const vae = example('docs/CUSTOM_LAYERS.md', 'class KlDivergence');
    expect(compileErrors(`${vae}\nexport const used: number = history.history.loss.length;\n`)).toEqual([]);
  }, 120_000);
});
