/**
 * Turns a run's teacher config into a frozen teacher that outputs logits: a LayersModel as it
 * is, a GraphModel or an ONNX model wrapped so that recorders find its nodes by name, and a
 * teacher that outputs probabilities turned into log-probabilities.
 */
import type * as NodePath from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { DistillError, DistillTypeError } from '../errors.js';
import { requireNodeBuiltin } from '../node-builtins.js';
import { loadGraphTeacher } from '../teacher/graph-loader.js';
import { graphModelAsLayers } from '../teacher/graph-teacher.js';
import { OnnxTeacher } from '../teacher/onnx-teacher.js';
import { asLogits, detectOutputKind, type OutputKind } from '../teacher/output-kind.js';
import { buildModel, checkFits, loadSavedModel, type BuildModelOptions } from './build-model.js';
import type { TeacherConfig } from './run-config.js';

/** A teacher ready for a run. */
export interface BuiltTeacher {
  /**
   * The teacher as a LayersModel that outputs logits; for an ONNX teacher, a stand-in with its
   * output and node layers, which recorders bind to (its forward pass is {@link onnx}'s).
   */
  readonly model: tf.LayersModel;
  /** The ONNX teacher, which runs asynchronously, if the teacher is one. */
  readonly onnx: OnnxTeacher | undefined;
  /** What the teacher outputs, and how that was found. */
  readonly outputs: OutputKind;
}

/** Adds the config key to the message of an error from loading a file it names. */
function atKey(error: unknown, key: string): unknown {
  if (!(error instanceof DistillError)) return error;
  const Class = error instanceof DistillTypeError ? DistillTypeError : DistillError;
  return new Class(error.code, `${error.message} (at ${key})`, { cause: error });
}

/**
 * Builds the teacher of `config`, checked against `options.fit` (a saved model or a file
 * without a fit is loaded as it is, for inspection).
 *
 * @param config - The run's teacher section.
 * @param options - As {@link buildModel} takes them.
 * @param sample - A batch of the data as the teacher sees it, for telling probabilities from
 *   logits by their values when the structure does not say.
 */
export async function buildTeacher(
  config: TeacherConfig,
  options: BuildModelOptions,
  sample?: tf.Tensor,
): Promise<BuiltTeacher> {
  const m = config.model;
  const key = `${options.path}.path`;
  const resolve = (p: string): string =>
    requireNodeBuiltin<typeof NodePath>('node:path', 'loading a teacher').resolve(
      options.baseDir,
      p,
    );
  const declared = config.outputs ?? 'auto';
  if (typeof m === 'object' && m.type === 'onnx') {
    let onnx: OnnxTeacher;
    try {
      onnx = await OnnxTeacher.load(resolve(m.path), {
        outputName: m.outputName,
        nodes: m.nodes,
        intraOpNumThreads: m.intraOpNumThreads,
        layout: m.layout,
        outputKind: declared,
      });
    } catch (error) {
      throw atKey(error, key);
    }
    try {
      // forward takes flat batches too: flat data of the input's size (MNIST's default [784]
      // for a [28, 28, 1] CNN) is fed as it is, as the stand-in's input then says.
      const example = onnx.inputShape as readonly number[];
      const data = options.fit?.inputShape;
      const flat =
        data !== undefined &&
        data.length === 1 &&
        example.length > 1 &&
        data[0] === example.reduce((a, b) => a * b, 1);
      const model = onnx.shell({ name: options.name, ...(flat ? { inputShape: data } : {}) });
      if (options.fit) checkFits(model, m, options.fit, options.path);
      const outputs: OutputKind =
        declared === 'auto'
          ? onnx.outputKind
          : { kind: declared, reason: 'as teacher.outputs says' };
      return { model, onnx, outputs };
    } catch (error) {
      await onnx.close();
      throw error;
    }
  }
  let model: tf.LayersModel;
  if (typeof m === 'object' && m.type === 'graph') {
    let graph: tf.GraphModel;
    try {
      graph = await loadGraphTeacher(resolve(m.path));
    } catch (error) {
      throw atKey(error, key);
    }
    try {
      model = graphModelAsLayers(graph, {
        outputNode: m.outputNode,
        nodes: m.nodes,
        name: options.name,
        disposeGraph: true,
      });
    } catch (error) {
      graph.dispose();
      throw atKey(error, `${options.path}.nodes`);
    }
    if (options.fit) checkFits(model, m, options.fit, options.path);
  } else if (!options.fit && typeof m === 'object' && m.type === 'saved') {
    model = await loadSavedModel(m.path, options.baseDir, options.path);
  } else {
    model = await buildModel(m, options);
  }
  let outputs: OutputKind;
  let logits: tf.LayersModel;
  try {
    outputs =
      declared === 'auto'
        ? detectOutputKind(model, sample)
        : { kind: declared, reason: 'as teacher.outputs says' };
    logits = outputs.kind === 'probabilities' ? asLogits(model) : model;
  } catch (error) {
    model.dispose();
    throw error;
  }
  return {
    model: logits,
    onnx: undefined,
    outputs,
  };
}
