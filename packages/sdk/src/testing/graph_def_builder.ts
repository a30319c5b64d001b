// Builds graph-model artifacts in tests as tensorflowjs_converter writes them: GraphDef JSON nodes
// (attrs in protobuf's JSON form) and the Const nodes' values as weights, quantized on request.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeDefJSON, AttrValue } from '../io/graph_model/graph_def.js';
import type { QuantizeDType } from '../io/quantize_weights.js';
import type { ModelArtifacts } from '../io/types.js';
import { packWeights, type NamedWeight } from '../io/weights.js';

const TF_DTYPES = { float32: 'DT_FLOAT', int32: 'DT_INT32', bool: 'DT_BOOL' } as const;

/** Attr values in protobuf's JSON form. */
export const attr = {
  s: (value: string): AttrValue => ({ s: btoa(value) }),
  i: (value: number): AttrValue => ({ i: String(value) }),
  f: (value: number): AttrValue => ({ f: value }),
  b: (value: boolean): AttrValue => ({ b: value }),
  ints: (values: number[]): AttrValue => ({ list: { i: values.map(String) } }),
  strings: (values: string[]): AttrValue => ({ list: { s: values.map((v) => btoa(v)) } }),
  type: (dtype: keyof typeof TF_DTYPES): AttrValue => ({ type: TF_DTYPES[dtype] }),
  shape: (dims: number[]): AttrValue => ({ shape: { dim: dims.map((d) => ({ size: String(d) })) } }),
};

/** A GraphDef under construction, with the weights of its Const nodes. */
export class GraphDefBuilder {
  readonly nodes: NodeDefJSON[] = [];
  readonly weights: NamedWeight[] = [];

  /** A Placeholder input of `shape` (-1: any size). */
  placeholder(name: string, shape: number[], dtype: keyof typeof TF_DTYPES = 'float32'): string {
    this.nodes.push({ name, op: 'Placeholder', attr: { dtype: attr.type(dtype), shape: attr.shape(shape) } });
    return name;
  }

  /** A Const node whose values are stored as a weight. */
  constant(name: string, values: number[] | Float32Array | Int32Array, shape: number[], dtype: 'float32' | 'int32' = 'float32'): string {
    const typed = dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values);
    this.nodes.push({ name, op: 'Const', attr: { dtype: attr.type(dtype), value: { tensor: { dtype: TF_DTYPES[dtype], tensorShape: { dim: shape.map((d) => ({ size: String(d) })) } } } } });
    this.weights.push({ name, shape, values: typed });
    return name;
  }

  /** A node of `op` reading `inputs` ('x', 'x:1', '^ctrl'), float32 ('T') unless attrs say otherwise. */
  op(name: string, op: string, inputs: string[], attrs: Record<string, AttrValue> = {}): string {
    this.nodes.push({ name, op, input: inputs, attr: { T: attr.type('float32'), ...attrs } });
    return name;
  }

  /** The artifacts tfjs' `loadGraphModel` and `km.loadGraphModel` read, weights quantized as `quantize` names. */
  artifacts(options: { quantize?: Record<string, QuantizeDType>; signature?: Record<string, unknown>; metadata?: Record<string, unknown> } = {}): ModelArtifacts {
    const { specs, data } = packWeights(this.weights, new Map(Object.entries(options.quantize ?? {})));
    const artifacts: ModelArtifacts = {
      modelTopology: { node: structuredClone(this.nodes), versions: { producer: 1482 } } as unknown as Record<string, unknown>,
      format: 'graph-model',
      generatedBy: '2.15.0',
      convertedBy: 'TensorFlow.js Converter v4.22.0',
      weightSpecs: specs,
      weightData: data,
    };
    if (options.signature) artifacts.signature = options.signature;
    if (options.metadata) artifacts.userDefinedMetadata = options.metadata;
    return artifacts;
  }
}

/** A signature entry for `model.json`: the graph tensor `name` ('x:0') behind a key. */
export function signatureEntry(name: string, dtype: keyof typeof TF_DTYPES, shape: number[]): Record<string, unknown> {
  return { name, dtype: TF_DTYPES[dtype], tensorShape: { dim: shape.map((d) => ({ size: String(d) })) } };
}

/** The model.json tensorflowjs_converter writes for artifacts whose weights are in `group1-shard1of1.bin`. */
export function graphModelJson(artifacts: ModelArtifacts): Record<string, unknown> {
  return {
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: artifacts.weightSpecs }],
    ...(artifacts.signature ? { signature: artifacts.signature } : {}),
    ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
  };
}

/** Writes artifacts as tensorflowjs_converter lays them out: `dir/model.json` and `dir/group1-shard1of1.bin`. */
export function writeGraphModelFolder(artifacts: ModelArtifacts, dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.json'), JSON.stringify(graphModelJson(artifacts)));
  writeFileSync(join(dir, 'group1-shard1of1.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
}
