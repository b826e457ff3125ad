/**
 * `tfjs-distill export` as a library function (Node.js only): a run's student, or any layers
 * model, written in the tfjs web format with quantized weights, and measured as written: size on
 * disk and gzipped, test errors against the float32 model, latency per backend and batch size.
 */
import type * as NodePath from 'node:path';
import type * as NodeZlib from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import type { DataSource } from '../data/sources/source.js';
import { makeView, viewedSample, type ViewConfig } from '../data/view.js';
import { DistillError } from '../errors.js';
import { requireNodeBuiltin } from '../node-builtins.js';
import { checkRunConfig } from '../run/check-run-config.js';
import { detectSource } from '../run/inspect.js';
import { openRunData } from '../run/open-data.js';
import { viewFor } from '../run/propose-config.js';
import type { BackendName } from '../train/backend.js';
import { fileLoader, loadModelArtifacts } from '../train/checkpoint-io.js';
import { agreement, evaluateSplit } from '../train/evaluate-split.js';
import type { FileToWrite } from '../train/model-files.js';
import { outputGap } from './compare-quantized.js';
import { exportArtifacts } from './export-model.js';
import { measureLatency, type LatencyRow } from './latency.js';
import type { QuantizeDtype } from './quantize.js';
import { resolveExportSource, type ExportSource } from './export-source.js';
import { writeExport } from './write-export.js';

/** File name of the report an export writes beside the model. */
export const EXPORT_REPORT_JSON = 'export-report.json';

/** Measures latency in a browser; `tfjs-distill export --browser` passes one. */
export type BrowserLatency = (
  modelDir: string,
  example: Float32Array,
  exampleShape: readonly number[],
) => Promise<LatencyRow[]>;

/** Options of {@link exportStudent}. */
export interface ExportStudentOptions {
  /** The directory to write (model.json, weight shards, export-report.json). */
  readonly out: string;
  /** Weight storage; default float32 (none). */
  readonly quantize?: QuantizeDtype | 'float32';
  /** Largest weight file in bytes; default 4 MiB. */
  readonly shardBytes?: number;
  /**
   * Data whose test split measures the export (a folder of images, a .csv, ...); default the
   * run's own data. A model exported without either is measured for size and latency only.
   */
  readonly data?: string;
  /** Base of relative paths. Default the working directory. */
  readonly baseDir?: string;
  /** Replace `out` when it exists and is not empty. */
  readonly force?: boolean;
  /** Node backends to time. Default wasm and cpu. */
  readonly backends?: readonly BackendName[];
  /** Batch sizes to time. Default 1 and 32. */
  readonly batchSizes?: readonly number[];
  /** Also time the model in a browser. */
  readonly browserLatency?: BrowserLatency;
}

/** Errors and accuracy of one model on the test split. */
export interface TestFigures {
  /** Test errors. */
  readonly errors: number;
  /** Test accuracy in [0, 1]. */
  readonly accuracy: number;
}

/** What an export wrote and measured; also written as export-report.json. */
export interface ExportReport {
  /** The run directory or model that was exported. */
  readonly source: string;
  /** The directory written. */
  readonly out: string;
  /** Weight storage. */
  readonly quantize: QuantizeDtype | 'float32';
  /** Each file and its size in bytes. */
  readonly files: readonly { readonly name: string; readonly bytes: number }[];
  /** Bytes of all files. */
  readonly bytes: number;
  /** Bytes of all files gzipped (what a server with compression sends). */
  readonly gzipBytes: number;
  /** Bytes of the same model stored as float32. */
  readonly float32Bytes: number;
  /** What the model takes: the shape of one example, and the view that makes it from the data. */
  readonly input: { readonly shape: readonly number[]; readonly view?: ViewConfig };
  /** Names of the output classes, when the data has them. */
  readonly classNames?: readonly string[];
  /** Test figures before and after, when there was data to measure on. */
  readonly accuracy?: {
    readonly data: string;
    readonly count: number;
    readonly float32: TestFigures;
    readonly exported: TestFigures;
    /** Exported errors minus float32 errors. */
    readonly deltaErrors: number;
    /** Fraction of test examples where both predict the same class. */
    readonly agreement: number;
    /** Largest absolute difference of their outputs. */
    readonly maxAbsDiff: number;
  };
  /** Latency per runtime, backend and batch size. */
  readonly latency: readonly LatencyRow[];
  /** Why accuracy was not measured, when it was not. */
  readonly notes: readonly string[];
}

/** The data an export is measured on, and the view the model sees it through. */
async function measurementData(
  source: ExportSource,
  modelShape: readonly (number | null)[],
  options: ExportStudentOptions,
  baseDir: string,
): Promise<{ data: DataSource; view: ViewConfig | undefined } | string> {
  if (options.data !== undefined) {
    const spec = await detectSource(options.data, baseDir);
    const config = checkRunConfig(
      { name: 'export', model: { type: 'mlp', hidden: [1] }, data: { source: spec } },
      'export',
    );
    const data = await openRunData(config, baseDir);
    const view = viewFor(modelShape, data.inputShape);
    if (view === null) {
      throw new DistillError(
        'SHAPE_MISMATCH',
        `The model takes examples of shape [${modelShape.map((d) => d ?? 'N').join(', ')}], but ${options.data} has examples of shape [${data.inputShape.join(', ')}]; give the data the model was trained on.`,
      );
    }
    return { data, view };
  }
  if (source.config === undefined) {
    return 'accuracy not measured: pass --data with the test data to measure it';
  }
  if (JSON.stringify(source.config.raw).includes('"[function')) {
    return "accuracy not measured: the run's data came from code; pass --data to measure it";
  }
  const config = checkRunConfig(source.config.raw, source.config.name);
  return { data: await openRunData(config, source.config.baseDir), view: config.input };
}

function gzipBytes(files: readonly FileToWrite[]): number {
  const zlib = requireNodeBuiltin<typeof NodeZlib>('node:zlib', 'export');
  return files.reduce((n, f) => n + zlib.gzipSync(f.data, { level: 9 }).length, 0);
}

/**
 * Exports a run's student (or a model.json) for the web, quantized on request, and measures
 * what it wrote. All files, the report included, appear at once: they are written to a
 * temporary directory that is renamed to `out` when everything succeeded.
 *
 * @param target - A run directory (with `model/`), a model directory or a model.json.
 * @param options - Where to write, quantization, data to measure on.
 * @returns The report, also written as `out/export-report.json`.
 * @throws DistillError `FILE_NOT_FOUND` (no finished model), `INVALID_ARGUMENT` (custom layers,
 *   a non-empty `out` without `force`), `SHAPE_MISMATCH` (data that does not fit).
 *
 * @example
 * ```ts
 * const report = await exportStudent('runs/kd-mnist', { out: 'web/model', quantize: 'uint8' });
 * console.log(report.bytes, report.accuracy?.deltaErrors);
 * ```
 */
export async function exportStudent(
  target: string,
  options: ExportStudentOptions,
): Promise<ExportReport> {
  const baseDir = options.baseDir ?? process.cwd();
  const source = resolveExportSource(target, baseDir);
  const artifacts = await loadModelArtifacts(source.modelDir);
  const reference = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  const notes: string[] = [];
  try {
    const modelShape = (reference.inputs[0]?.shape ?? []).slice(1);
    const measured = await measurementData(source, modelShape, options, baseDir);
    if (typeof measured === 'string') notes.push(measured);
    const data = typeof measured === 'string' ? undefined : measured;
    const view = data ? makeView(data.view, data.data.inputShape, 'input') : undefined;
    const inputShape = view ? view.inputShape : modelShape.map((d) => d ?? 1);
    const exportOptions = {
      shardBytes: options.shardBytes,
      source: target,
      metadata: {
        tfjsDistill: {
          input: { shape: inputShape, ...(data?.view ? { view: data.view } : {}) },
          ...(data ? { classNames: data.data.classNames } : {}),
          quantize: options.quantize ?? 'float32',
        },
      },
    };
    const exported = exportArtifacts(artifacts, { ...exportOptions, quantize: options.quantize });
    const float32Bytes =
      exported.quantize === 'float32'
        ? exported.bytes
        : exportArtifacts(artifacts, exportOptions).bytes;
    let report: ExportReport | undefined;
    await writeExport(
      requireNodeBuiltin<typeof NodePath>('node:path', 'export').resolve(baseDir, options.out),
      exported.files,
      {
        force: options.force,
        forceHint: '--force',
        beforeCommit: async (dir) => {
          // Measured on the files as written, loaded the way a page loads them.
          const load = (): Promise<tf.LayersModel> => tf.loadLayersModel(fileLoader(dir));
          const sample = data
            ? await viewedSample(data.data.test, view!.apply, 1)
            : tf.zeros([1, ...inputShape]);
          const example = (await sample!.data()) as Float32Array;
          sample!.dispose();
          const accuracy = data
            ? await compareOnTest(reference, load, data.data, view!)
            : undefined;
          const latency = await measureLatency(load, example, inputShape, {
            backends: options.backends,
            batchSizes: options.batchSizes,
          });
          if (options.browserLatency) {
            latency.push(...(await options.browserLatency(dir, example, inputShape)));
          }
          report = {
            source: target,
            out: options.out,
            quantize: exported.quantize,
            files: exported.files.map((f) => ({ name: f.name, bytes: f.data.length })),
            bytes: exported.bytes,
            gzipBytes: gzipBytes(exported.files),
            float32Bytes,
            input: { shape: inputShape, ...(data?.view ? { view: data.view } : {}) },
            ...(data ? { classNames: data.data.classNames } : {}),
            ...(accuracy ? { accuracy } : {}),
            latency,
            notes,
          };
          return [
            {
              name: EXPORT_REPORT_JSON,
              data: new TextEncoder().encode(`${JSON.stringify(report, null, 2)}\n`),
            },
          ];
        },
      },
    );
    return report!;
  } finally {
    reference.dispose();
  }
}

/** Test figures of the float32 model and of the exported one, on the same examples. */
async function compareOnTest(
  reference: tf.LayersModel,
  load: () => Promise<tf.LayersModel>,
  data: DataSource,
  view: { apply: (x: tf.Tensor) => tf.Tensor },
): Promise<ExportReport['accuracy']> {
  const exported = await load();
  try {
    const predictWith =
      (m: tf.LayersModel) =>
      (x: tf.Tensor): tf.Tensor =>
        tf.tidy(() => m.predict(view.apply(x)) as tf.Tensor);
    const options = { numClasses: data.numClasses };
    const before = await evaluateSplit(predictWith(reference), data.test, options);
    const after = await evaluateSplit(predictWith(exported), data.test, options);
    return {
      data: data.description,
      count: before.count,
      float32: { errors: before.errors, accuracy: before.accuracy },
      exported: { errors: after.errors, accuracy: after.accuracy },
      deltaErrors: after.errors - before.errors,
      agreement: agreement(after.predictions, before.predictions),
      maxAbsDiff: await outputGap(predictWith(reference), predictWith(exported), data.test, 1000),
    };
  } finally {
    exported.dispose();
  }
}
