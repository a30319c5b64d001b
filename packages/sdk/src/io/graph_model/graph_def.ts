// A TensorFlow GraphDef as tfjs-converter writes it into a graph model's model.json (protobuf's
// JSON: int64 as strings, bytes as base64), read into nodes kerasm can order and run.
import type { DType } from '../../tensor.js';

/** One attr of a GraphDef node, in protobuf's JSON form. */
export interface AttrValue {
  s?: string;
  i?: string | number;
  f?: number;
  b?: boolean;
  type?: string | number;
  shape?: TensorShapeJSON;
  tensor?: { dtype?: string | number; tensorShape?: TensorShapeJSON };
  list?: { s?: string[]; i?: (string | number)[]; f?: number[]; b?: boolean[]; type?: (string | number)[] };
}

/** A TensorShapeProto in JSON: `dim` sizes (-1 unknown), or `unknownRank`. */
export interface TensorShapeJSON {
  dim?: { size?: string | number }[];
  unknownRank?: boolean;
}

/** A NodeDef in JSON. */
export interface NodeDefJSON {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, AttrValue>;
}

/** A node's input: output `index` of node `node`. */
export interface TensorRef {
  node: string;
  index: number;
}

/** A node ready to run: its data inputs, its control inputs (ordering only) and its attrs. */
export interface GraphNode {
  name: string;
  op: string;
  inputs: TensorRef[];
  controlInputs: string[];
  attr: Record<string, AttrValue>;
}

/** TensorFlow's DataType enum, by name and by number, as tfjs-converter maps it: half and double run as float32, int64/int8/uint8 as int32. */
const DTYPES: Record<string, DType | 'bool' | 'string' | 'other'> = {
  DT_FLOAT: 'float32', DT_HALF: 'float32', DT_DOUBLE: 'float32', DT_INT32: 'int32', DT_INT64: 'int32', DT_INT8: 'int32', DT_UINT8: 'int32', DT_BOOL: 'bool', DT_STRING: 'string',
  1: 'float32', 19: 'float32', 2: 'float32', 3: 'int32', 9: 'int32', 6: 'int32', 4: 'int32', 10: 'bool', 7: 'string',
};

/** A DataType attr as kerasm's dtype, `'bool'`/`'string'` (refused at load) or `'other'` (unsupported). */
export function dtypeOf(type: string | number | undefined): DType | 'bool' | 'string' | 'other' {
  return type === undefined ? 'other' : DTYPES[String(type)] ?? 'other';
}

/** Parses `'x'`, `'x:1'` (output 1), or `'^x'` (a control input). */
export function parseInputName(input: string): { ref: TensorRef; control: boolean } {
  const control = input.startsWith('^');
  const name = control ? input.slice(1) : input;
  const match = /^(.*):(\d+)$/.exec(name);
  return { ref: match ? { node: match[1], index: Number(match[2]) } : { node: name, index: 0 }, control };
}

/** The nodes of a GraphDef by name; `where` names the model in errors. */
export function graphNodes(topology: unknown, where: string): Map<string, GraphNode> {
  const nodeList = (topology as { node?: unknown } | undefined)?.node;
  if (!Array.isArray(nodeList)) {
    throw new Error(`${where}: a graph model's modelTopology must be a GraphDef, { node: [...] }. Received: ${JSON.stringify(topology)?.slice(0, 80)}. Load a LayersModel with km.loadLayersModel instead.`);
  }
  const nodes = new Map<string, GraphNode>();
  for (const def of nodeList as NodeDefJSON[]) {
    if (typeof def?.name !== 'string' || typeof def.op !== 'string') throw new Error(`${where}: every GraphDef node needs a name and an op. Received: ${JSON.stringify(def)?.slice(0, 80)}.`);
    if (nodes.has(def.name)) throw new Error(`${where}: two GraphDef nodes are named '${def.name}'; node names must be unique.`);
    const parsed = (def.input ?? []).map(parseInputName);
    nodes.set(def.name, {
      name: def.name,
      op: def.op,
      inputs: parsed.filter((p) => !p.control).map((p) => p.ref),
      controlInputs: parsed.filter((p) => p.control).map((p) => p.ref.node),
      attr: def.attr ?? {},
    });
  }
  for (const node of nodes.values()) {
    for (const name of [...node.inputs.map((r) => r.node), ...node.controlInputs]) {
      if (!nodes.has(name)) throw new Error(`${where}: node '${node.name}' (${node.op}) takes input '${name}', which is not a node of the graph. The model.json is incomplete; convert the model again.`);
    }
  }
  return nodes;
}

/** The nodes in an order where each comes after all its inputs (data and control); a cycle is an error. */
export function topologicalOrder(nodes: ReadonlyMap<string, GraphNode>, where: string): GraphNode[] {
  const pending = new Map<string, number>();
  const consumers = new Map<string, string[]>();
  for (const node of nodes.values()) {
    const sources = new Set([...node.inputs.map((r) => r.node), ...node.controlInputs]);
    pending.set(node.name, sources.size);
    for (const source of sources) consumers.set(source, [...(consumers.get(source) ?? []), node.name]);
  }
  const ready = [...nodes.values()].filter((n) => pending.get(n.name) === 0).map((n) => n.name);
  const order: GraphNode[] = [];
  while (ready.length > 0) {
    const name = ready.shift()!;
    order.push(nodes.get(name)!);
    for (const next of consumers.get(name) ?? []) {
      const left = pending.get(next)! - 1;
      pending.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  if (order.length < nodes.size) {
    const stuck = [...nodes.keys()].filter((n) => pending.get(n)! > 0).slice(0, 5);
    throw new Error(`${where}: the graph has a cycle through ${stuck.map((n) => `'${n}'`).join(', ')}; kerasm runs graphs without loops (no control flow).`);
  }
  return order;
}

/** A string attr (base64 in the JSON), decoded. */
export function decodeBase64(value: string): string {
  return atob(value);
}

/** Readers of a node's attrs, with a default where the attr is absent. */
export function attrs(node: GraphNode) {
  const get = (name: string): AttrValue | undefined => node.attr[name];
  return {
    string: (name: string, fallback = ''): string => (get(name)?.s !== undefined ? decodeBase64(get(name)!.s!) : fallback),
    number: (name: string, fallback = 0): number => {
      const a = get(name);
      return a?.i !== undefined ? Number(a.i) : a?.f !== undefined ? Number(a.f) : fallback;
    },
    bool: (name: string, fallback = false): boolean => get(name)?.b ?? fallback,
    ints: (name: string, fallback: number[] = []): number[] => get(name)?.list?.i?.map(Number) ?? fallback,
    strings: (name: string): string[] => get(name)?.list?.s?.map(decodeBase64) ?? [],
    dtype: (name: string): DType | 'bool' | 'string' | 'other' => dtypeOf(get(name)?.type),
    shape: (name: string): number[] | undefined => shapeOf(get(name)?.shape),
  };
}

/** A TensorShapeProto as sizes (-1 unknown), or undefined for an unknown rank. */
export function shapeOf(shape: TensorShapeJSON | undefined): number[] | undefined {
  if (shape === undefined || shape.unknownRank) return undefined;
  return (shape.dim ?? []).map((d) => Number(d.size ?? -1));
}
