/**
 * A teacher exported to ONNX (from PyTorch, say), run by onnxruntime-node. Its forward pass is
 * asynchronous, so it trains students through TeacherPrefetch (see `onnxRemoteTeacher`); its
 * `shell` LayersModel lets recorders and distillers bind to it by name.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { fileError } from '../file-errors.js';
import { onnxProducingOp, parseOnnxGraph } from './onnx-graph.js';
import {
  loadOnnxRuntime,
  type ModuleImporter,
  type OrtModule,
  type OrtSession,
  type OrtTensor,
} from './onnx-runtime.js';
import { logProbabilities, numericOutputKind, type OutputKind } from './output-kind.js';
import { tapModel, type TeacherValues } from './tap-model.js';

/** Options of {@link OnnxTeacher.load}. */
export interface OnnxTeacherOptions {
  /** The output holding the logits (or probabilities). Default: the session's first output. */
  readonly outputName?: string;
  /** Other outputs to record (intermediate values exported as extra outputs), by name. */
  readonly nodes?: readonly string[];
  /** Threads of onnxruntime's intra-op pool. Default: onnxruntime's choice. */
  readonly intraOpNumThreads?: number;
  /**
   * The input's layout. `auto` (default): a 4-D input `[N, C, H, W]` with C of 1 or 3 is NCHW
   * (PyTorch's); anything else is fed as given.
   */
  readonly layout?: 'auto' | 'NCHW' | 'asis';
  /** One example's shape, NHWC, where the ONNX input has free dimensions besides the batch. */
  readonly inputShape?: readonly number[];
  /**
   * What the output holds: `auto` (default) tells from the graph (a final Softmax) or, failing
   * that, from the values; `probabilities` are turned into log-probabilities by `forward`.
   */
  readonly outputKind?: 'auto' | 'logits' | 'probabilities';
  /** How onnxruntime-node is imported; for tests. */
  readonly importer?: ModuleImporter;
}

function perExample(
  shape: readonly (number | string)[] | undefined,
): (number | null)[] | undefined {
  return shape?.slice(1).map((d) => (typeof d === 'number' && d > 0 ? d : null));
}

function toTfTensor(value: OrtTensor, name: string): tf.Tensor {
  if (!(value.data instanceof Float32Array)) {
    throw new DistillError(
      'DATA_CORRUPT',
      `The ONNX teacher's output "${name}" is ${value.type}, not float32; export the model with float32 outputs.`,
    );
  }
  // Copied: the runtime may reuse or free its buffer.
  return tf.tensor(value.data.slice(), [...value.dims], 'float32');
}

/**
 * An ONNX teacher in onnxruntime-node.
 *
 * @example
 * ```ts
 * const teacher = await OnnxTeacher.load('teacher.onnx', { nodes: ['features'] });
 * const { logits, nodes } = await teacher.forward(x); // x NHWC [N, 28, 28, 1] or flat [N, 784]
 * tf.dispose([logits, ...Object.values(nodes)]);
 * await teacher.close();
 * ```
 */
export class OnnxTeacher {
  /** One example's shape as tfjs-distill's batches hold it (NHWC for images). */
  readonly inputShape: readonly (number | null)[];
  /** Whether batches are transposed from NHWC to the model's NCHW. */
  readonly layout: 'NCHW' | 'asis';
  /** The output width. */
  readonly numClasses: number;
  /** What the output holds, and how that was told. */
  readonly outputKind: OutputKind;
  /** The output name of the logits. */
  readonly outputName: string;
  /** The recorded outputs, and one example's shape of each. */
  readonly nodeShapes: Readonly<Record<string, readonly number[]>>;
  private probing = 0;
  private closed = false;

  private constructor(
    private readonly ort: OrtModule,
    private readonly session: OrtSession,
    private readonly inputName: string,
    fields: {
      inputShape: (number | null)[];
      layout: 'NCHW' | 'asis';
      numClasses: number;
      outputKind: OutputKind;
      outputName: string;
      nodeShapes: Record<string, number[]>;
    },
  ) {
    this.inputShape = fields.inputShape;
    this.layout = fields.layout;
    this.numClasses = fields.numClasses;
    this.outputKind = fields.outputKind;
    this.outputName = fields.outputName;
    this.nodeShapes = fields.nodeShapes;
  }

  /**
   * Opens an ONNX model, checks its outputs and runs it once on zeros to learn their shapes.
   *
   * @throws `MODULE_NOT_FOUND` (with the install line) without onnxruntime-node;
   *   `FILE_NOT_FOUND` for a missing file; `MEMBER_NOT_FOUND` for an output it does not have;
   *   `INVALID_ARGUMENT` for a model whose input or output it cannot use.
   */
  static async load(path: string, options: OnnxTeacherOptions = {}): Promise<OnnxTeacher> {
    if (typeof path !== 'string' || path === '') {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `OnnxTeacher.load expects the path of a .onnx file, but got ${describeValue(path)}.`,
      );
    }
    const ort = await loadOnnxRuntime(options.importer);
    const { readFile } = await import('node:fs/promises');
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (error) {
      throw fileError(
        error,
        'load an ONNX teacher from',
        path,
        'Export the model with torch.onnx.export (or another ONNX exporter) first.',
      );
    }
    const session = await ort.InferenceSession.create(
      path,
      options.intraOpNumThreads ? { intraOpNumThreads: options.intraOpNumThreads } : {},
    );
    try {
      return await OnnxTeacher.open(ort, session, bytes, path, options);
    } catch (error) {
      await session.release();
      throw error;
    }
  }

  private static async open(
    ort: OrtModule,
    session: OrtSession,
    bytes: Uint8Array,
    path: string,
    options: OnnxTeacherOptions,
  ): Promise<OnnxTeacher> {
    if (session.inputNames.length !== 1) {
      throw new DistillError(
        'INVALID_ARGUMENT',
        `The ONNX teacher ${path} has ${session.inputNames.length} inputs (${session.inputNames.join(', ')}); teachers take one batch of images.`,
      );
    }
    const inputName = session.inputNames[0]!;
    const outputName = options.outputName ?? session.outputNames[0]!;
    const nodes = [...new Set(options.nodes ?? [])].filter((n) => n !== outputName);
    for (const name of [outputName, ...nodes]) {
      if (!session.outputNames.includes(name)) {
        throw new DistillError(
          'MEMBER_NOT_FOUND',
          `The ONNX teacher ${path} has no output named ${describeValue(name)}; its outputs are: ${session.outputNames.join(', ')}. ONNX sessions return graph outputs only: export the value you want as an extra output (output_names in torch.onnx.export).`,
        );
      }
    }
    const modelShape = session.inputMetadata?.find((m) => m.name === inputName)?.shape;
    const channels = modelShape?.[1];
    const nchw =
      options.layout === 'NCHW' ||
      ((options.layout ?? 'auto') === 'auto' &&
        modelShape?.length === 4 &&
        (channels === 1 || channels === 3));
    const given = perExample(modelShape);
    let inputShape = nchw && given ? [given[1]!, given[2]!, given[0]!] : given;
    if (options.inputShape !== undefined) inputShape = [...options.inputShape];
    if (inputShape === undefined || inputShape.some((d) => d === null)) {
      throw new DistillError(
        'INVALID_ARGUMENT',
        `Cannot tell one example's shape for the ONNX teacher ${path} (its input "${inputName}" is ${JSON.stringify(modelShape)}); pass options.inputShape, NHWC, e.g. [28, 28, 1].`,
      );
    }
    let structural: string | undefined;
    try {
      const graph = parseOnnxGraph(bytes);
      structural = onnxProducingOp(graph.nodes, outputName);
    } catch {
      structural = undefined; // not readable here (external data, say): tell from the values
    }
    const teacher = new OnnxTeacher(ort, session, inputName, {
      inputShape,
      layout: nchw ? 'NCHW' : 'asis',
      numClasses: 0,
      outputKind: { kind: 'logits', reason: 'not determined yet' },
      outputName,
      nodeShapes: Object.fromEntries(nodes.map((n) => [n, []])),
    });
    // One example of zeros tells the output shapes (and, without a graph op, the output kind).
    const raw = await teacher.runSession(tf.zeros([1, ...(inputShape as number[])]), [
      outputName,
      ...nodes,
    ]);
    try {
      const logits = raw.get(outputName)!;
      if (logits.rank !== 2 || logits.shape[1]! < 2) {
        throw new DistillError(
          'INVALID_ARGUMENT',
          `The ONNX teacher's output "${outputName}" has shape ${JSON.stringify(logits.shape)} for one example; a teacher outputs [N, numClasses]. Pass options.outputName.`,
        );
      }
      const kind: OutputKind =
        options.outputKind === 'logits' || options.outputKind === 'probabilities'
          ? { kind: options.outputKind, reason: 'given by options.outputKind' }
          : structural === 'Softmax'
            ? {
                kind: 'probabilities',
                reason: `the output "${outputName}" is computed by a Softmax node`,
              }
            : structural !== undefined
              ? {
                  kind: 'logits',
                  reason: `the output "${outputName}" is computed by a ${structural} node, not Softmax`,
                }
              : numericOutputKind(logits);
      Object.assign(teacher, {
        numClasses: logits.shape[1],
        outputKind: kind,
        nodeShapes: Object.fromEntries(nodes.map((n) => [n, raw.get(n)!.shape.slice(1)])),
      });
    } finally {
      tf.dispose([...raw.values()]);
    }
    return teacher;
  }

  /** The names of the recorded outputs. */
  get nodes(): string[] {
    return Object.keys(this.nodeShapes);
  }

  /** The batch as the model takes it: NHWC (or flat) to NCHW where the model wants that. */
  private toModelInput(x: tf.Tensor): tf.Tensor {
    const example = this.inputShape as number[];
    const size = example.reduce((a, b) => a * b, 1);
    const fits =
      (x.rank === example.length + 1 && x.shape.slice(1).every((d, i) => d === example[i])) ||
      (x.rank === 2 && x.shape[1] === size);
    if (!fits) {
      throw new DistillError(
        'SHAPE_MISMATCH',
        `The ONNX teacher takes batches of [N, ${example.join(', ')}] (or flat [N, ${size}]), but got ${JSON.stringify(x.shape)}.`,
      );
    }
    return tf.tidy(() => {
      const batch = x.toFloat().reshape([x.shape[0], ...example]);
      return this.layout === 'NCHW' ? batch.transpose([0, 3, 1, 2]) : batch;
    });
  }

  /** Runs the session on `x` (which it disposes) and returns the fetched outputs as tensors. */
  private async runSession(
    x: tf.Tensor,
    fetches: readonly string[],
  ): Promise<Map<string, tf.Tensor>> {
    let input: tf.Tensor;
    try {
      input = this.toModelInput(x);
    } finally {
      x.dispose();
    }
    let results: Record<string, OrtTensor>;
    try {
      const data = (await input.data()) as Float32Array;
      results = await this.session.run(
        { [this.inputName]: new this.ort.Tensor('float32', data, input.shape) },
        fetches,
      );
    } finally {
      input.dispose();
    }
    const out = new Map<string, tf.Tensor>();
    try {
      for (const name of fetches) out.set(name, toTfTensor(results[name]!, name));
    } catch (error) {
      tf.dispose([...out.values()]);
      throw error;
    } finally {
      for (const value of Object.values(results)) value.dispose?.();
    }
    return out;
  }

  /**
   * Runs the teacher on a batch (NHWC or flat; see {@link layout}). The input can be disposed
   * once the call returns; the caller owns the tensors of the result. Probability outputs come
   * back as log-probabilities (see {@link outputKind}).
   *
   * @throws `SHAPE_MISMATCH` for a batch that does not fit; `NOT_INITIALIZED` after `close()`.
   */
  async forward(x: tf.Tensor): Promise<TeacherValues> {
    if (this.closed)
      throw new DistillError('NOT_INITIALIZED', 'The ONNX teacher was closed; load it again.');
    if (!(x instanceof tf.Tensor)) {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `OnnxTeacher.forward expects a tensor, but got ${describeValue(x)}.`,
      );
    }
    const values = await this.runSession(x.clone(), [this.outputName, ...this.nodes]);
    let logits = values.get(this.outputName)!;
    if (this.outputKind.kind === 'probabilities') {
      const probabilities = logits;
      logits = logProbabilities(probabilities);
      probabilities.dispose();
    }
    values.delete(this.outputName);
    return { logits, nodes: Object.fromEntries(values) };
  }

  /** The teacher's logits for a batch; the caller owns the result. */
  async predict(x: tf.Tensor): Promise<tf.Tensor> {
    const { logits, nodes } = await this.forward(x);
    tf.dispose(Object.values(nodes));
    return logits;
  }

  /**
   * Runs `fn` while the {@link shell} models answer synchronously with zeros of the teacher's
   * output shapes: TeacherPrefetch builds the connectors (which need only shapes) this way.
   */
  probeShapes<R>(fn: () => R): R {
    this.probing++;
    try {
      return fn();
    } finally {
      this.probing--;
    }
  }

  /**
   * A frozen stand-in LayersModel: an output layer `logits` (with a tap named after the output
   * too) and a tap per recorded node, so recorders bind to it and a distiller prepares from it.
   * Calling it throws: the ONNX teacher runs asynchronously, through TeacherPrefetch and
   * {@link onnxRemoteTeacher}.
   *
   * @param options - `inputShape` of the model's input (default {@link inputShape}; `[784]`
   *   for flat MNIST runs), `name` (default `onnx_teacher`).
   */
  shell(options: { inputShape?: readonly number[]; name?: string } = {}): tf.LayersModel {
    return tapModel({
      name: options.name ?? 'onnx_teacher',
      inputShape: options.inputShape ?? this.inputShape,
      numClasses: this.numClasses,
      nodes: this.nodes,
      outputName: this.outputName,
      // forward gives log-probabilities, whatever the model outputs.
      outputOp: this.outputKind.kind === 'probabilities' ? 'LogSoftmax' : undefined,
      run: (x) => {
        if (this.probing === 0) {
          throw new DistillError(
            'INVALID_CONFIG',
            'The ONNX teacher runs asynchronously (onnxruntime), so its stand-in model cannot be called in a synchronous step. Train with TeacherPrefetch and onnxRemoteTeacher (in a run: teacher.runInWorker), or call teacher.forward(x).',
          );
        }
        const n = x.shape[0];
        return {
          logits: tf.zeros([n, this.numClasses]),
          nodes: Object.fromEntries(
            this.nodes.map((name) => [name, tf.zeros([n, ...this.nodeShapes[name]!])]),
          ),
        };
      },
    });
  }

  /** Frees the session. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.session.release();
  }
}
