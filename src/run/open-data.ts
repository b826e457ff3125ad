/**
 * Opens the data source of a run config: a source kind with its options, a source of the
 * config's own, or (without `data.source`) MNIST as the `data` keys say.
 */
import type * as NodePath from 'node:path';
import type { Dataset } from '../data/dataset.js';
import { loadMnist } from '../data/mnist-node.js';
import { MNIST_CLASSES, MNIST_PIXELS } from '../data/mnist.js';
import { datasetSplit } from '../data/sources/in-memory.js';
import { openImageFolder } from '../data/sources/image-folder.js';
import { checkImageFolderOptions } from '../data/sources/image-folder-options.js';
import type { ImageFolderOptions } from '../data/sources/image-folder-options.js';
import type { DataSource } from '../data/sources/source.js';
import { splitValidation, takeSubset } from '../data/split.js';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { requireNodeBuiltin } from '../node-builtins.js';
import type { CheckedRunConfig } from './check-run-config.js';
import type { SourceType } from './run-config.js';

/** What opening a source of a JSON config needs besides its options. */
export interface SourceContext {
  /** Base of relative paths (the config file's folder). */
  readonly baseDir: string;
  /** The run's seed, for seeded splits. */
  readonly seed: number;
  /** The config key of the source, for messages (`data.source`). */
  readonly path: string;
}

/** Opens a source of one kind from its options (`type` removed). */
export type SourceOpener = (
  options: Readonly<Record<string, unknown>>,
  context: SourceContext,
) => Promise<DataSource>;

/** The MNIST options of a run, as the legacy `data` keys or `{ type: 'mnist' }` give them. */
interface MnistRunOptions {
  readonly dir?: string;
  readonly trainLimit?: number;
  readonly validationSize?: number;
  readonly testLimit?: number;
}

const mnistNames = Array.from({ length: MNIST_CLASSES }, (_, i) => String(i));

/** MNIST as a run has always read it: flat digits, a seeded validation split and subset. */
async function openMnistRun(options: MnistRunOptions, context: SourceContext): Promise<DataSource> {
  const path = requireNodeBuiltin<typeof NodePath>('node:path', 'runs');
  let mnist;
  try {
    mnist = await loadMnist({
      dir: options.dir === undefined ? undefined : path.resolve(context.baseDir, options.dir),
      testLimit: options.testLimit,
    });
  } catch (error) {
    // Missing or corrupt files in a folder the config chose: say which key chose it.
    if (options.dir === undefined || !(error instanceof DistillError)) throw error;
    const Class = error instanceof DistillTypeError ? DistillTypeError : DistillError;
    throw new Class(error.code, `${error.message} (at ${context.path}.dir)`, { cause: error });
  }
  let train: Dataset = mnist.train;
  let validation: Dataset | undefined;
  const validationSize = options.validationSize ?? 5000;
  if (validationSize > 0) {
    ({ train, validation } = splitValidation(train, { validationSize, seed: context.seed }));
  }
  if (options.trainLimit !== undefined && options.trainLimit < train.count) {
    train = takeSubset(train, options.trainLimit, context.seed);
  }
  const shape = [MNIST_PIXELS];
  return {
    inputShape: shape,
    numClasses: MNIST_CLASSES,
    classNames: mnistNames,
    description: `MNIST (${train.count} training, ${mnist.test.count} test digits, flat 784)`,
    train: datasetSplit(train, shape),
    test: datasetSplit(mnist.test, shape),
    validation: validation ? datasetSplit(validation, shape) : undefined,
  };
}

const openers = new Map<SourceType, SourceOpener>([
  ['mnist', (options, context) => openMnistRun(options, context)],
]);

/**
 * Makes `type` openable from run configs (`data.source: { type, ... }`).
 *
 * @param type - The source kind.
 * @param opener - Opens a source of that kind.
 */
export function registerSourceOpener(type: SourceType, opener: SourceOpener): void {
  openers.set(type, opener);
}

function checkOpened(value: unknown, path: string): DataSource {
  const v = value as Partial<DataSource> | null;
  const splitOk = (s: unknown): boolean =>
    typeof s === 'object' &&
    s !== null &&
    typeof (s as { batches?: unknown }).batches === 'function';
  if (
    typeof v !== 'object' ||
    v === null ||
    !Array.isArray(v.inputShape) ||
    !Number.isSafeInteger(v.numClasses) ||
    !splitOk(v.train) ||
    !splitOk(v.test)
  ) {
    throw new DistillTypeError(
      'INVALID_CONFIG',
      `${path} must be (or return) a data source { inputShape, numClasses, classNames, train, test } whose splits have batches(), but got ${describeValue(value)}. See docs/data-sources.md.`,
    );
  }
  return v as DataSource;
}

/**
 * Opens the data of `config`.
 *
 * @param config - The checked run config.
 * @param baseDir - Base of relative paths (the config file's folder).
 */
export async function openRunData(config: CheckedRunConfig, baseDir: string): Promise<DataSource> {
  const context: SourceContext = { baseDir, seed: config.seed, path: 'data.source' };
  const source = config.data.source;
  if (source === undefined) return openMnistRun(config.data, { ...context, path: 'data' });
  if (typeof source === 'function') return checkOpened(await source(config.seed), 'data.source');
  if ('train' in source) return checkOpened(source, 'data.source');
  const { type, ...options } = source;
  const opener = openers.get(type);
  if (opener === undefined) {
    throw new DistillError(
      'UNKNOWN_TYPE',
      `data.source.type ${describeValue(type)} has no reader in this build; known: ${[...openers.keys()].join(', ')}.`,
    );
  }
  return opener(options, context);
}
