// Every ```ts example users copy compiles as a user's strict project compiles it, against the SDK's
// source: those of README.md and docs/*.md, and those of the TSDoc `@example`s of km.data and
// km.browser. A fragment (one that uses a `model` or `x` made elsewhere) gets the `declare const`s
// it needs from PREAMBLES.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exampleErrors, exampleTitle, markdownExamples, tsdocExamples, type ExampleModule, type TsExample } from './testing/ts_examples.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** What a fragment uses without making it, for the one example of `source` that contains `marker`. */
interface Preamble {
  readonly source: string;
  readonly marker: string;
  /** `declare const`s; an interface merged into a class whose body elides members (`// ...`); or the head of a class around a method. */
  readonly preamble?: string;
  /** Checks of the types the example produces. */
  readonly postamble?: string;
}

// What a class whose body says `// ...` leaves out, as an interface merged into the class.
const LAYER_MEMBERS = `
  computeOutputShape(shapes: readonly km.layers.Shape[]): km.layers.Shape;
  forward(ctx: km.layers.ForwardContext): void;
  backward(ctx: km.layers.BackwardContext): void;`;

const PREAMBLES: readonly Preamble[] = [
  {
    source: 'README.md',
    marker: 'const [loss, acc] = await model.evaluate',
    postamble: 'export const used: number = loss + (acc ?? 0) + history.history.loss.length + probs.size;',
  },
  { source: 'README.md', marker: 'for (const chunk of chunks)', preamble: 'declare const chunks: km.Tensor[];' },
  { source: 'README.md', marker: 'base.apply(x, { training: false })', preamble: 'declare const base: km.LayersModel;' },
  { source: 'README.md', marker: "km.data.csv('examples/blobs-train.csv'", preamble: 'declare const model: km.LayersModel;' },
  { source: 'docs/CUSTOM_LAYERS.md', marker: 'class Scale extends', preamble: `interface Scale {${LAYER_MEMBERS}\n}` },
  {
    source: 'docs/CUSTOM_LAYERS.md',
    marker: "this.addWeight('kernel', [shape[0]!",
    preamble: 'abstract class MyDense extends km.layers.Layer {\n  abstract readonly units: number;',
    postamble: '}',
  },
  {
    source: 'docs/CUSTOM_LAYERS.md',
    marker: 'class KlDivergence',
    postamble: 'export const used: number = history.history.loss.length;',
  },
  { source: 'docs/FROM_TFJS.md', marker: 'km.data.array(buckets)', preamble: 'declare const buckets: { ids: number[][]; labels: number[] }[];' },
  { source: 'docs/TRAINING_LOOPS.md', marker: 'for (const [x, y] of batches)', preamble: 'declare const batches: [km.Tensor, km.Tensor][];' },
  { source: 'docs/TRAINING_LOOPS.md', marker: 'class Regressor extends km.Model', preamble: 'declare const features: km.Tensor;\ndeclare const targets: km.Tensor;' },
  { source: 'docs/TRAINING_LOOPS.md', marker: 'const generator = km.sequential', preamble: 'declare function realBatch(n: number): km.Tensor;' },
  { source: 'docs/TRAINING_LOOPS.md', marker: 'const saliency = km.grad', preamble: 'declare const classifier: km.LayersModel;\ndeclare const target: km.Tensor;\ndeclare const image: km.Tensor;' },
  { source: 'docs/CUSTOM_LAYERS.md', marker: 'class MLP extends km.Model', preamble: 'declare const images: km.Tensor;\ndeclare const labels: km.Tensor;' },
  { source: 'docs/CUSTOM_LAYERS.md', marker: 'function transformerBlock', preamble: 'declare const embedded: km.SymbolicTensor;' },
  { source: 'docs/CUSTOM_LAYERS.md', marker: 'class Scale2', preamble: `interface Scale2 {${LAYER_MEMBERS}\n  readonly className: string;\n}` },
  {
    source: 'docs/CUSTOM_LAYERS.md',
    marker: 'class SkipFirstStep',
    preamble: `interface SkipFirstStep {${LAYER_MEMBERS}\n  readonly className: string;\n  readonly steps: number;\n  readonly size: number;\n}`,
  },
  { source: 'docs/CUSTOM_LOSSES.md', marker: 'function pinball(yTrue', preamble: 'declare const model: km.LayersModel;' },
  {
    source: 'docs/CUSTOM_LOSSES.md',
    marker: 'const latentKl',
    preamble: [
      'declare const encoder: km.LayersModel;',
      'declare const decoder: km.LayersModel;',
      'declare const input: km.SymbolicTensor;',
      'declare const x: km.Tensor;',
      'declare const latent: number;',
    ].join('\n'),
  },
  { source: 'docs/FROM_TFJS.md', marker: "km.data.csv('heart.csv'", preamble: 'declare const model: km.LayersModel;' },
  {
    source: 'docs/FROM_TFJS.md',
    marker: 'km.layers.textVectorization',
    preamble: 'declare const trainTexts: string[];\ndeclare const labels: number[];\ndeclare const examples: { text: string; label: number }[];',
  },
  {
    source: 'packages/sdk/src/data/dataset.ts',
    marker: 'km.data.zip({ xs: km.data.array(features)',
    preamble: 'declare const features: number[][];\ndeclare const labels: number[];\ndeclare const model: km.LayersModel;',
  },
  {
    source: 'packages/sdk/src/data/dataset.ts',
    marker: 'km.data.array(urls).mapAsync',
    preamble: 'declare const urls: string[];\ndeclare function decode(bytes: ArrayBuffer): km.Tensor;',
  },
  { source: 'packages/sdk/src/data/dataset.ts', marker: 'km.data.array(samples)', preamble: 'declare const samples: { xs: number[]; ys: number }[];' },
  {
    source: 'packages/sdk/src/data/zip.ts',
    marker: 'km.data.zip(',
    preamble: [
      'declare const features: number[][];',
      'declare const labels: number[];',
      'declare const images: Float32Array[];',
      'declare const metadata: number[][];',
      'declare const a: km.data.Dataset<number>;',
      'declare const b: km.data.Dataset<string>;',
    ].join('\n'),
  },
  { source: 'packages/sdk/src/data/csv.ts', marker: "km.data.csv('examples/blobs.csv'", preamble: 'declare const model: km.LayersModel;' },
  {
    source: 'packages/sdk/src/browser/from_pixels.ts',
    marker: 'km.browser.fromPixels(canvas, 1)',
    preamble: 'declare const canvas: HTMLCanvasElement;\ndeclare const model: km.LayersModel;',
  },
  {
    source: 'packages/sdk/src/browser/to_pixels.ts',
    marker: 'km.browser.toPixels(',
    preamble: 'declare const model: km.LayersModel;\ndeclare const x: km.Tensor;\ndeclare const video: HTMLVideoElement;\ndeclare const canvas: HTMLCanvasElement;',
  },
];

/** The modules a namespace's index.ts re-exports, e.g. packages/sdk/src/data/sources.ts. */
function reexportedModules(folder: string): string[] {
  const index = readFileSync(join(repo, folder, 'index.ts'), 'utf8');
  return [...index.matchAll(/from '\.\/(\w+)\.js'/g)].map((m) => `${folder}/${m[1]}.ts`);
}

const docs = existsSync(join(repo, 'README.md')) ? ['README.md', ...readdirSync(join(repo, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)] : [];
const tsdocSources = ['packages/sdk/src/data', 'packages/sdk/src/browser'].flatMap(reexportedModules);
const examples = [...docs.flatMap((source) => markdownExamples(repo, source)), ...tsdocSources.flatMap((source) => tsdocExamples(repo, source))];
const preambleOf = (example: TsExample) => PREAMBLES.filter((p) => p.source === example.source && example.code.includes(p.marker));

describe.runIf(docs.length > 0)('the examples of the docs and of TSDoc type-check under strict and noUncheckedIndexedAccess', () => {
  let errors: Map<string, string[]> | undefined;
  const errorsOf = (title: string): string[] | undefined => {
    errors ??= exampleErrors(
      repo,
      examples.map((example): ExampleModule => {
        const [entry] = preambleOf(example);
        return { example, preamble: entry?.preamble ?? '', postamble: entry?.postamble };
      }),
    );
    return errors.get(title);
  };

  it('finds every TypeScript fence of its sources', () => {
    for (const source of [...docs, ...tsdocSources]) {
      const fences = readFileSync(join(repo, source), 'utf8').match(/```(ts|tsx|typescript)\b/g) ?? [];
      expect(examples.filter((example) => example.source === source), source).toHaveLength(fences.length);
    }
  });

  it('each PREAMBLES entry names exactly one example, and no example has two', () => {
    for (const { source, marker } of PREAMBLES) {
      expect(examples.filter((example) => example.source === source && example.code.includes(marker)).map(exampleTitle), `${source}: ${marker}`).toHaveLength(1);
    }
    for (const example of examples) expect(preambleOf(example).length, exampleTitle(example)).toBeLessThanOrEqual(1);
  });

  for (const example of examples) {
    const title = exampleTitle(example);
    it(title, () => expect(errorsOf(title)).toEqual([]), 120_000);
  }
});
