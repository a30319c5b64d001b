// The ```ts examples of the docs and of TSDoc, found and type-checked as a user's strict project
// checks them, against the SDK's source.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** One ```ts fence: where it is and its code, unindented. */
export interface TsExample {
  /** The file it is in, relative to the repository root. */
  readonly source: string;
  /** The 1-based line of its first line of code in `source`. */
  readonly line: number;
  readonly code: string;
}

/** `source:line` and the example's first line of code that is not an import: a test's name. */
export function exampleTitle(example: TsExample): string {
  const lines = example.code.split('\n').map((line) => line.trim());
  const first = lines.find((line) => line !== '' && !line.startsWith('import ')) ?? '';
  return `${example.source}:${example.line} ${first}`;
}

/** Every ```ts fence of a Markdown file, list items' indented fences included. */
export function markdownExamples(repo: string, source: string): TsExample[] {
  return fencedExamples(source, readFileSync(join(repo, source), 'utf8').split('\n'), /^(\s*)```ts\s*$/, /^\s*```\s*$/);
}

/** Every ```ts fence inside a TSDoc comment's `@example` of a TypeScript file. */
export function tsdocExamples(repo: string, source: string): TsExample[] {
  const lines = readFileSync(join(repo, source), 'utf8').split('\n');
  const fences = fencedExamples(source, lines, /^(\s*\*\s?)```ts\s*$/, /^\s*\*\s?```\s*$/);
  // `line` is the code's first line, so the fence is on line - 1 and the tag on the line before.
  return fences.filter((example) => /@example\s*$/.test(lines[example.line - 3] ?? ''));
}

function fencedExamples(source: string, lines: readonly string[], open: RegExp, close: RegExp): TsExample[] {
  const examples: TsExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const indent = open.exec(lines[i] ?? '')?.[1];
    if (indent === undefined) continue;
    const end = lines.findIndex((line, j) => j > i && close.test(line));
    if (end < 0) throw new Error(`${source}:${i + 1} opens a \`\`\`ts fence that never closes. Close it with \`\`\`.`);
    const code = lines.slice(i + 1, end).map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()));
    examples.push({ source, line: i + 2, code: code.join('\n') });
    i = end;
  }
  return examples;
}

/** A program's module for one example: what comes before its code, and the code. */
export interface ExampleModule {
  readonly example: TsExample;
  /** Lines put before the code (an import of `km` when the code has none, `declare const`s). */
  readonly preamble: string;
  /** Lines put after the code (checks of the types it produced). */
  readonly postamble?: string;
}

/**
 * tsc's errors in each example, keyed by `exampleTitle`, as `source:line: message` with the line in
 * `source`. One program checks them all: each is a module of a user's project where `@kerasm/sdk`
 * is this package's source, compiled under `strict` and `noUncheckedIndexedAccess`.
 */
export function exampleErrors(repo: string, modules: readonly ExampleModule[]): Map<string, string[]> {
  const virtual = new Map<string, { module: ExampleModule; text: string; preambleLines: number }>();
  modules.forEach((module, i) => {
    const head = /from '@kerasm\/sdk'/.test(module.example.code) ? module.preamble : `import * as km from '@kerasm/sdk';\n${module.preamble}`;
    const text = `${head}\n${module.example.code}\n${module.postamble ?? ''}\n`;
    virtual.set(join(repo, 'packages/sdk/src', `__example_${i}__.mts`), { module, text, preambleLines: head.split('\n').length });
  });
  const options: ts.CompilerOptions = {
    strict: true,
    noUncheckedIndexedAccess: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: ['node'],
    skipLibCheck: true,
    noEmit: true,
    paths: { '@kerasm/sdk': [join(repo, 'packages/sdk/src/index.ts')] },
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) => {
    const text = virtual.get(name)?.text;
    return text === undefined ? getSourceFile.call(host, name, language, ...rest) : ts.createSourceFile(name, text, language);
  };
  host.fileExists = (name) => virtual.has(name) || fileExists.call(host, name);
  host.readFile = (name) => virtual.get(name)?.text ?? readFile.call(host, name);
  const program = ts.createProgram([...virtual.keys()], options, host);
  const errors = new Map<string, string[]>();
  for (const [name, { module, preambleLines }] of virtual) {
    const { source, line } = module.example;
    const file = program.getSourceFile(name);
    const messages = ts.getPreEmitDiagnostics(program, file).map((d) => {
      const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line - preambleLines : undefined;
      const codeLines = module.example.code.split('\n').length;
      const where = at === undefined ? source : at < 0 ? `${source}:${line} (preamble)` : at >= codeLines ? `${source}:${line} (postamble)` : `${source}:${line + at}`;
      return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    errors.set(exampleTitle(module.example), messages);
  }
  return errors;
}
