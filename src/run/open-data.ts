/**
 * Opens the data source of a run config: a source kind with its options, a source of the
 * config's own, or (without `data.source`) MNIST as the `data` keys say.
 */
import type * as NodePath from 'node:path';
import {
  type ConfigSourceContext,
  type ConfigSourceOpener,
  openCsvFromConfig,
  openMnistFromConfig,
  openNpyFromConfig,
} from '../data/sources/config-openers.js';
import { openMnist } from '../data/sources/mnist-source.js';
import { openImageFolder } from '../data/sources/image-folder.js';
import { checkImageFolderOptions } from '../data/sources/image-folder-options.js';
import type { ImageFolderOptions } from '../data/sources/image-folder-options.js';
import type { DataSource } from '../data/sources/source.js';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { requireNodeBuiltin } from '../node-builtins.js';
import type { CheckedRunConfig } from './check-run-config.js';
import type { SourceType } from './run-config.js';

/** What opening a source of a JSON config needs besides its options. */
export type SourceContext = ConfigSourceContext;

/** Opens a source of one kind from its options (`type` removed). */
export type SourceOpener = ConfigSourceOpener;

/** MNIST as the legacy `data` keys give it: flat digits, 5000 held out for validation. */
async function openMnistRun(
  data: CheckedRunConfig['data'],
  context: SourceContext,
): Promise<DataSource> {
  const path = requireNodeBuiltin<typeof NodePath>('node:path', 'runs');
  try {
    return await openMnist({
      dir: data.dir === undefined ? undefined : path.resolve(context.baseDir, data.dir),
      trainLimit: data.trainLimit,
      validationSize: data.validationSize,
      testLimit: data.testLimit,
      seed: context.seed,
    });
  } catch (error) {
    // Missing or corrupt files in a folder the config chose: say which key chose it.
    if (data.dir === undefined || !(error instanceof DistillError)) throw error;
    const Class = error instanceof DistillTypeError ? DistillTypeError : DistillError;
    throw new Class(error.code, `${error.message} (at data.dir)`, { cause: error });
  }
}

/** `{ "type": "imageFolder", "path": "photos", "size": [32, 32], ... }`: see `openImageFolder`. */
const openImageFolderFromConfig: SourceOpener = async (options, context) => {
  // Checked here, so that messages name the config's keys (data.source.size).
  checkImageFolderOptions(options, context.path);
  const o = options as unknown as ImageFolderOptions;
  const path = requireNodeBuiltin<typeof NodePath>('node:path', 'runs');
  try {
    return await openImageFolder({
      ...o,
      path: path.resolve(context.baseDir, o.path),
      seed: o.seed ?? context.seed,
    });
  } catch (error) {
    // A missing folder or a corrupt image: say which key chose them, as the other sources do.
    if (!(error instanceof DistillError)) throw error;
    const Class = error instanceof DistillTypeError ? DistillTypeError : DistillError;
    throw new Class(error.code, `${error.message} (at ${context.path})`, { cause: error });
  }
};

const openers = new Map<SourceType, SourceOpener>([
  ['mnist', openMnistFromConfig],
  ['imageFolder', openImageFolderFromConfig],
  ['csv', openCsvFromConfig],
  ['npy', openNpyFromConfig],
]);

/**
 * Makes `type` openable from run configs (`data.source: { type, ... }`), in place of the
 * reader this build has for it.
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
  if (source === undefined) return openMnistRun(config.data, context);
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
