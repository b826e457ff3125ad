/**
 * Just enough of the ONNX protobuf format to tell which op computes each graph output, e.g.
 * whether a teacher ends in Softmax. onnxruntime does not expose the graph, and the `onnx`
 * package is Python; the wire format is simple enough to walk here.
 */

/** A node of an ONNX graph: its op and the names of the values it reads and writes. */
export interface OnnxNode {
  /** `Gemm`, `Relu`, `Softmax`, ... */
  readonly opType: string;
  /** Names of its inputs. */
  readonly inputs: readonly string[];
  /** Names of its outputs. */
  readonly outputs: readonly string[];
}

/** Reads protobuf fields: (field number, wire type, value) triples of one message. */
function* fields(
  bytes: Uint8Array,
  start = 0,
  end = bytes.length,
): Generator<[number, number, number, number]> {
  let pos = start;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (pos >= end) throw new RangeError('truncated varint');
      const b = bytes[pos++]!;
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
    }
  };
  while (pos < end) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    // Yields [field, wire, start, end] of the value; varints as [field, 0, value, value].
    if (wire === 0) {
      const v = varint();
      yield [field, wire, v, v];
    } else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      yield [field, wire, pos, pos + size];
      pos += size;
    } else if (wire === 2) {
      const length = varint();
      if (pos + length > end) throw new RangeError('truncated field');
      yield [field, wire, pos, pos + length];
      pos += length;
    } else {
      throw new RangeError(`unsupported wire type ${wire}`);
    }
  }
}

const decoder = new TextDecoder();

/** The graph's nodes and its output names; throws a RangeError for bytes that are not ONNX. */
export function parseOnnxGraph(bytes: Uint8Array): { nodes: OnnxNode[]; outputs: string[] } {
  const nodes: OnnxNode[] = [];
  const outputs: string[] = [];
  for (const [field, wire, start, end] of fields(bytes)) {
    if (field !== 7 || wire !== 2) continue; // ModelProto.graph
    for (const [gField, gWire, gStart, gEnd] of fields(bytes, start, end)) {
      if (gWire !== 2) continue;
      if (gField === 1) {
        // GraphProto.node: NodeProto { input = 1, output = 2, op_type = 4 }
        const node = { opType: '', inputs: [] as string[], outputs: [] as string[] };
        for (const [nField, nWire, nStart, nEnd] of fields(bytes, gStart, gEnd)) {
          if (nWire !== 2) continue;
          const text = (): string => decoder.decode(bytes.subarray(nStart, nEnd));
          if (nField === 1) node.inputs.push(text());
          else if (nField === 2) node.outputs.push(text());
          else if (nField === 4) node.opType = text();
        }
        nodes.push(node);
      } else if (gField === 12) {
        // GraphProto.output: ValueInfoProto { name = 1 }
        for (const [vField, vWire, vStart, vEnd] of fields(bytes, gStart, gEnd)) {
          if (vField === 1 && vWire === 2)
            outputs.push(decoder.decode(bytes.subarray(vStart, vEnd)));
        }
      }
    }
  }
  return { nodes, outputs };
}

/**
 * The op computing the graph value `name`, looking through Identity nodes; undefined when no
 * node writes it (a graph input or an initializer).
 */
export function onnxProducingOp(nodes: readonly OnnxNode[], name: string): string | undefined {
  let current = name;
  for (let i = 0; i < 100; i++) {
    const node = nodes.find((n) => n.outputs.includes(current));
    if (node === undefined) return undefined;
    if (node.opType !== 'Identity' || node.inputs[0] === undefined) return node.opType;
    current = node.inputs[0];
  }
  return undefined;
}
