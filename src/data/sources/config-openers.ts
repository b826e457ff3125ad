/**
 * Openers of the CSV, NPY and MNIST sources from the options of a JSON run config
 * (`data.source: { "type": "csv", ... }`): unknown keys refused, paths resolved against the
 * config's folder, the run's seed as the default seed, and errors naming the config key.
 * Node.js only.
 */
import type * as NodePath from 'node:path';
import { DistillError, DistillTypeError, describeValue } from '../../errors.js';
import { requireNodeBuiltin } from '../../node-builtins.js';
import { openCsv, type CsvOptions } from './csv.js';
import { openMnist, type OpenMnistOptions } from './mnist-source.js';
import { openNpy, type NpyOptions } from './npy.js';
import type { DataSource } from './source.js';

/** What opening a source from a config needs besides its options. */
export interface ConfigSourceContext {
  /** Base of relative paths (the config file's folder). */
  readonly baseDir: string;
  /** The run's seed: the default seed of the source's splits. */
  readonly seed: number;
  /** The config key of the source, for messages (`data.source`). */
  readonly path: string;
}

/** Opens a source from its config options (`type` removed). */
export type ConfigSourceOpener = (
  options: Readonly<Record<string, unknown>>,
  context: ConfigSourceContext,
) => Promise<DataSource>;

const CSV_KEYS = [
  'path',
  'train',
  'test',
  'labelColumn',
  'header',
  'delimiter',
  'testFraction',
  'validationFraction',
  'seed',
  'classes',
  'standardize',
  'inMemoryLimit',
] as const;
const NPY_KEYS = [
  'x',
  'y',
  'train',
  'test',
  'dir',
  'testFraction',
  'validationFraction',
  'seed',
  'classNames',
  'scale',
] as const;
const MNIST_KEYS = ['dir', 'shape', 'trainLimit', 'validationSize', 'testLimit', 'seed'] as const;

function checkKeys(
  options: Readonly<Record<string, unknown>>,
  known: readonly string[],
  type: string,
  path: string,
): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new DistillError(
        'INVALID_CONFIG',
        `${path}.${key} is not an option of a ${JSON.stringify(type)} source; its options are ${known.join(', ')}.`,
      );
    }
  }
}

/** Resolves a path option against the config's folder; other values pass through to be checked. */
function resolvePath(value: unknown, baseDir: string): unknown {
  const path = requireNodeBuiltin<typeof NodePath>('node:path', 'data sources');
  return typeof value === 'string' && value !== '' ? path.resolve(baseDir, value) : value;
}

function resolvePair(value: unknown, baseDir: string): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const pair = value as { x?: unknown; y?: unknown };
  return { x: resolvePath(pair.x, baseDir), y: resolvePath(pair.y, baseDir) };
}

/** Runs `open`, adding the config key to the message of any error it throws. */
async function atKey(path: string, open: () => Promise<DataSource>): Promise<DataSource> {
  try {
    return await open();
  } catch (error) {
    if (!(error instanceof DistillError)) throw error;
    const Class = error instanceof DistillTypeError ? DistillTypeError : DistillError;
    throw new Class(error.code, `${error.message} (at ${path})`, { cause: error });
  }
}

/** `{ "type": "csv", "path": "iris.csv", "labelColumn": "species", ... }`: see {@link openCsv}. */
export const openCsvFromConfig: ConfigSourceOpener = async (options, context) => {
  checkKeys(options, CSV_KEYS, 'csv', context.path);
  const o = options as Partial<Record<(typeof CSV_KEYS)[number], unknown>>;
  const csv = {
    ...options,
    path: o.path === undefined ? undefined : resolvePath(o.path, context.baseDir),
    train: o.train === undefined ? undefined : resolvePath(o.train, context.baseDir),
    test: o.test === undefined ? undefined : resolvePath(o.test, context.baseDir),
    seed: o.seed ?? context.seed,
  } as CsvOptions;
  return await atKey(context.path, () => openCsv(csv));
};

/** `{ "type": "npy", "dir": "data/digits", "scale": 0.00392, ... }`: see {@link openNpy}. */
export const openNpyFromConfig: ConfigSourceOpener = async (options, context) => {
  checkKeys(options, NPY_KEYS, 'npy', context.path);
  const o = options as Partial<Record<(typeof NPY_KEYS)[number], unknown>>;
  const npy = {
    ...options,
    x: o.x === undefined ? undefined : resolvePath(o.x, context.baseDir),
    y: o.y === undefined ? undefined : resolvePath(o.y, context.baseDir),
    dir: o.dir === undefined ? undefined : resolvePath(o.dir, context.baseDir),
    train: o.train === undefined ? undefined : resolvePair(o.train, context.baseDir),
    test: o.test === undefined ? undefined : resolvePair(o.test, context.baseDir),
    seed: o.seed ?? context.seed,
  } as NpyOptions;
  return await atKey(context.path, () => openNpy(npy));
};

/**
 * `{ "type": "mnist", "validationSize": 5000, "shape": "image", ... }`: see {@link openMnist}.
 * As a run's legacy `data` keys, `validationSize` defaults to 5000 here.
 */
export const openMnistFromConfig: ConfigSourceOpener = async (options, context) => {
  checkKeys(options, MNIST_KEYS, 'mnist', context.path);
  const o = options as Partial<Record<(typeof MNIST_KEYS)[number], unknown>>;
  if (o.validationSize !== undefined && typeof o.validationSize !== 'number') {
    throw new DistillTypeError(
      'INVALID_CONFIG',
      `Expected ${context.path}.validationSize to be a count or a fraction, but got ${describeValue(o.validationSize)}.`,
    );
  }
  const mnist = {
    ...options,
    dir: o.dir === undefined ? undefined : resolvePath(o.dir, context.baseDir),
    validationSize: o.validationSize ?? 5000,
    seed: o.seed ?? context.seed,
  } as OpenMnistOptions;
  return await atKey(context.path, () => openMnist(mnist));
};
