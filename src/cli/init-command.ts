/**
 * `tfjs-distill init --teacher PATH --data PATH [--out FILE]`: inspects a teacher and a data
 * set and writes a runnable distillation config, with a line that says why for each choice.
 */
import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import { DistillError } from '../errors.js';
import { requireNodeBuiltin } from '../node-builtins.js';
import { openRunData } from '../run/open-data.js';
import { checkRunConfig } from '../run/check-run-config.js';
import { detectSource, inspectModel } from '../run/inspect.js';
import { proposeConfig } from '../run/propose-config.js';
import type { RunConfig } from '../run/run-config.js';
import { UsageError } from './cli-error.js';

/** Options of {@link initCommand}. */
export interface InitOptions {
  /** The teacher: a model.json (LayersModel or GraphModel), its folder, or an .onnx file. */
  readonly teacher: string | undefined;
  /** The data: an image folder, a CSV file, a folder of x.npy/y.npy, or MNIST IDX files. */
  readonly data: string | undefined;
  /** Where to write the config (default `distill.json`). */
  readonly out: string | undefined;
  /** Overwrite an existing config. */
  readonly force: boolean;
}

/** What `init` wrote. */
export interface InitResult {
  /** The config file. */
  readonly file: string;
  /** The config. */
  readonly config: RunConfig;
  /** One line per choice. */
  readonly notes: readonly string[];
}

/**
 * Writes the config; paths in it are relative to the config file's folder, as a run reads
 * them. Nothing is written when the teacher or the data do not fit each other.
 */
export async function initCommand(options: InitOptions): Promise<InitResult> {
  if (options.teacher === undefined || options.data === undefined) {
    throw new UsageError(
      'init needs a teacher and data: tfjs-distill init --teacher <model.json|model.onnx> --data <folder|file.csv> [--out distill.json]',
    );
  }
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'init');
  const path = requireNodeBuiltin<typeof NodePath>('node:path', 'init');
  const file = path.resolve(options.out ?? 'distill.json');
  if (!file.endsWith('.json')) {
    throw new UsageError(`--out must name a .json file, but got ${options.out}.`);
  }
  if (fs.existsSync(file) && !options.force) {
    throw new UsageError(
      `${options.out ?? 'distill.json'} already exists: pass --force to overwrite it, or --out to write another file.`,
    );
  }
  const configDir = path.dirname(file);
  // Paths as the config will name them: relative to its folder, with forward slashes.
  const relative = (p: string): string =>
    path.relative(configDir, path.resolve(p)).split(path.sep).join('/') || '.';
  const teacher = await inspectModel(options.teacher, process.cwd());
  const detected = await detectSource(options.data, process.cwd());
  const { type, ...found } = detected;
  // MNIST reads flat digits unless told otherwise; a teacher of images gets them as images.
  const rest: Record<string, unknown> =
    type === 'mnist' && teacher.inputShape.length === 3 ? { ...found, shape: 'image' } : found;
  const located = Object.fromEntries(
    Object.entries(rest).map(([k, v]) => [k, typeof v === 'string' ? relative(v) : v]),
  );
  const sourceConfig = { type, ...located };
  const name = path.basename(file, '.json');
  const source = await openRunData(
    checkRunConfig(
      { name, model: { type: 'mlp', hidden: [1] }, data: { source: sourceConfig } },
      name,
    ),
    configDir,
  );
  const { config, notes } = proposeConfig(
    {
      source: sourceConfig,
      path: options.data,
      inputShape: source.inputShape,
      numClasses: source.numClasses,
      classNames: source.classNames,
      trainCount: source.train.count,
      testCount: source.test.count,
      description: source.description,
    },
    {
      model: { ...teacher.model, path: relative(teacher.model.path) },
      path: options.teacher,
      inputShape: teacher.inputShape,
      numClasses: teacher.numClasses,
      outputs: teacher.outputs,
      outputLayer: teacher.outputLayer,
      params: teacher.params,
    },
    name,
  );
  // The config must be one a run accepts: checked before it is written.
  checkRunConfig(config, name);
  try {
    fs.mkdirSync(configDir, { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  } catch (error) {
    throw new DistillError('IO_ERROR', `Could not write ${file}: ${String(error)}`, {
      cause: error,
    });
  }
  return { file, config, notes };
}
