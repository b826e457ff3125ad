/**
 * A tfjs GraphModel (a converted TensorFlow SavedModel) as a frozen teacher LayersModel whose
 * intermediate nodes layer recorders can record by node name.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { tapModel } from './tap-model.js';

/** Options of {@link graphModelAsLayers}. */
export interface GraphTeacherOptions {
  /**
   * The node whose value is the logits (or probabilities; see `asLogits`). Default: the
   * graph's first output.
   */
  readonly outputNode?: string;
  /**
   * Nodes to record, by GraphModel node name (`StatefulPartitionedCall/sequential/fc1/Relu`);
   * `name:1` names a node's second output. Each becomes a layer of that exact name.
   */
  readonly nodes?: readonly string[];
  /** The model's name. Default `graph_teacher`. */
  readonly name?: string;
  /** Shape of one example; default: the graph input's shape without its batch dimension. */
  readonly inputShape?: number[];
  /** Dispose the GraphModel with the returned model. Default false: the caller owns it. */
  readonly disposeGraph?: boolean;
}

/** One node of a GraphModel, as its executor holds it. */
export interface GraphNodeInfo {
  /** The node's name. */
  readonly name: string;
  /** Its TensorFlow op (`MatMul`, `Relu`, `Softmax`, `Const`, ...). */
  readonly op: string;
}

interface ExecutorNode {
  readonly name: string;
  readonly op: string;
  readonly inputs?: readonly ExecutorNode[];
}

/** The executor's node table: not public in tfjs-converter's types, but stable since 1.x. */
function executorNodes(graph: tf.GraphModel): Record<string, ExecutorNode> | undefined {
  const executor = (graph as unknown as { executor?: { graph?: { nodes?: unknown } } }).executor;
  const nodes = executor?.graph?.nodes;
  return typeof nodes === 'object' && nodes !== null
    ? (nodes as Record<string, ExecutorNode>)
    : undefined;
}

/**
 * Lists the nodes of a loaded GraphModel, in graph order: what `nodes` and `outputNode` of
 * {@link graphModelAsLayers} (and so recorder sources) can name.
 *
 * @param graph - A loaded GraphModel.
 * @param options - `withConst: true` includes the weight (`Const`) nodes; default false.
 */
export function graphNodeNames(
  graph: tf.GraphModel,
  options: { withConst?: boolean } = {},
): GraphNodeInfo[] {
  const nodes = executorNodes(graph);
  if (nodes === undefined) return [];
  return Object.values(nodes)
    .filter((n) => options.withConst === true || n.op !== 'Const')
    .map((n) => ({ name: n.name, op: n.op }));
}

/** The node a name refers to: `name` or `name:k`. */
function baseName(name: string): string {
  return name.replace(/:\d+$/, '');
}

function checkNode(graph: tf.GraphModel, name: unknown, key: string): string {
  if (typeof name !== 'string' || name === '') {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `graphModelAsLayers: ${key} must be a GraphModel node name, but got ${describeValue(name)}.`,
    );
  }
  const nodes = executorNodes(graph);
  if (nodes !== undefined && nodes[baseName(name)] === undefined) {
    const known = graphNodeNames(graph).map((n) => n.name);
    throw new DistillError(
      'MEMBER_NOT_FOUND',
      `graphModelAsLayers: the GraphModel has no node named ${describeValue(name)} (${key}). ` +
        `Some of its ${known.length} nodes: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', ...' : ''}. ` +
        'List them all with graphNodeNames(graph).',
    );
  }
  return name;
}

/** The op computing a node's value, looking through Identity nodes. */
function producingOp(graph: tf.GraphModel, name: string): string | undefined {
  let node = executorNodes(graph)?.[baseName(name)];
  for (let i = 0; node !== undefined && i < 100; i++) {
    if (node.op !== 'Identity' || node.inputs?.length !== 1) return node.op;
    node = node.inputs[0];
  }
  return node?.op;
}

/**
 * The op that computes a GraphModel's output (Identity nodes looked through), e.g. `Softmax`
 * or `BiasAdd`; undefined when the graph's node table cannot be read.
 *
 * @param graph - A loaded GraphModel.
 * @param outputNode - The output node; default the graph's first output.
 */
export function graphOutputOp(graph: tf.GraphModel, outputNode?: string): string | undefined {
  const name = outputNode ?? graph.outputs[0]?.name;
  return name === undefined ? undefined : producingOp(graph, name);
}

function defaultInputShape(graph: tf.GraphModel): number[] {
  const inputs = graph.inputs;
  const shape = inputs[0]?.shape;
  if (inputs.length !== 1 || shape === undefined || shape.slice(1).some((d) => !(d > 0))) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `graphModelAsLayers: cannot tell the input shape of a GraphModel with inputs ${JSON.stringify(inputs.map((i) => ({ name: i.name, shape: i.shape })))}; pass options.inputShape (one example, without the batch dimension).`,
    );
  }
  return shape.slice(1);
}

/**
 * Wraps a GraphModel as a frozen LayersModel: its output is the `outputNode`'s value (the
 * logits), from a layer named `logits`, and each of `nodes` has an identity layer of exactly
 * that name, so `LayerOutputsRecorder({ source: nodeName })` bound to the returned model records
 * the node. `call` runs `graph.execute` synchronously (graphs with control flow, which need
 * `executeAsync`, are not supported). The model has no weights; it does not own the graph
 * unless `disposeGraph` is set.
 *
 * @example
 * ```ts
 * const graph = await loadGraphTeacher('models/teacher-graph');
 * const teacher = graphModelAsLayers(graph, { nodes: ['StatefulPartitionedCall/sequential/fc1/Relu'] });
 * const rec = new LayerOutputsRecorder({ source: 'StatefulPartitionedCall/sequential/fc1/Relu' });
 * rec.initialize(teacher);
 * ```
 *
 * @throws `MEMBER_NOT_FOUND` for a node the graph does not have, listing some it has;
 *   `INVALID_ARGUMENT` for an output that is not `[N, K]` or an input shape it cannot tell.
 */
export function graphModelAsLayers(
  graph: tf.GraphModel,
  options: GraphTeacherOptions = {},
): tf.LayersModel {
  if (!(graph instanceof tf.GraphModel)) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `graphModelAsLayers expects a loaded tf.GraphModel, but got ${describeValue(graph)}.`,
    );
  }
  const outputNode = checkNode(graph, options.outputNode ?? graph.outputs[0]?.name, 'outputNode');
  const nodes = [...new Set(options.nodes ?? [])].map((n, i) => checkNode(graph, n, `nodes[${i}]`));
  const inputShape = options.inputShape ?? defaultInputShape(graph);
  const fetches = [outputNode, ...nodes.filter((n) => n !== outputNode)];
  const execute = (x: tf.Tensor): Map<string, tf.Tensor> => {
    // execute returns a bare tensor when one output is fetched.
    const out = graph.execute(x, fetches);
    const values = Array.isArray(out) ? out : [out];
    return new Map(fetches.map((name, i) => [name, values[i]!]));
  };
  // One example's pass tells the number of classes.
  const width = tf.tidy(() => {
    const logits = execute(tf.zeros([1, ...inputShape])).get(outputNode)!;
    return logits.rank === 2 ? logits.shape[1] : undefined;
  });
  if (width === undefined) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `graphModelAsLayers: output node "${outputNode}" is not a [N, K] tensor of logits; pass options.outputNode naming the logits (see graphNodeNames(graph)).`,
    );
  }
  return tapModel({
    name: options.name ?? 'graph_teacher',
    inputShape,
    numClasses: width,
    nodes,
    outputName: outputNode,
    outputOp: producingOp(graph, outputNode),
    run: (x) => {
      const values = execute(x);
      return { logits: values.get(outputNode)!, nodes: Object.fromEntries(values) };
    },
    onDispose: options.disposeGraph === true ? () => graph.dispose() : undefined,
  });
}
