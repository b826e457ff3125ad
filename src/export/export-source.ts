/**
 * What `export` was pointed at (Node.js only): a run directory, whose final model, config and
 * data it finds, or a model directory / model.json on its own.
 */
import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import { DistillError } from '../errors.js';
import { requireNodeBuiltin } from '../node-builtins.js';
import { MODEL_JSON } from '../train/model-files.js';

/** A resolved export target. */
export interface ExportSource {
  /** The directory (or model.json) of the model to export. */
  readonly modelDir: string;
  /** The run's config, when the target is a run directory. */
  readonly config?: {
    /** The config as the run saved it. */
    readonly raw: unknown;
    /** The run's name. */
    readonly name: string;
    /** The folder the config's relative paths start from. */
    readonly baseDir: string;
  };
}

function readJson(fs: typeof NodeFs, file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DistillError(
      'DATA_CORRUPT',
      `${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}); the run directory is damaged.`,
    );
  }
}

/**
 * Finds the model and the run of `target`.
 *
 * @param target - A run directory, a model directory or a model.json.
 * @param baseDir - Base of a relative `target`.
 * @throws DistillError `FILE_NOT_FOUND` for a missing target, or a run with no finished model
 *   (never trained to the end, or interrupted), saying how to finish it.
 */
export function resolveExportSource(target: string, baseDir: string): ExportSource {
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'export');
  const path = requireNodeBuiltin<typeof NodePath>('node:path', 'export');
  const full = path.resolve(baseDir, target);
  if (!fs.existsSync(full)) {
    throw new DistillError(
      'FILE_NOT_FOUND',
      `${target} does not exist: give a run directory (runs/<name>), a model directory or a model.json.`,
    );
  }
  if (!fs.statSync(full).isDirectory() || fs.existsSync(path.join(full, MODEL_JSON))) {
    return { modelDir: full };
  }
  const configFile = path.join(full, 'config.json');
  if (!fs.existsSync(configFile)) {
    throw new DistillError(
      'FILE_NOT_FOUND',
      `${target} is neither a run directory (no config.json) nor a model directory (no model.json).`,
    );
  }
  const summaryFile = path.join(full, 'summary.json');
  const summary = fs.existsSync(summaryFile)
    ? (readJson(fs, summaryFile) as { interrupted?: unknown; configDir?: unknown; name?: unknown })
    : undefined;
  const modelDir = path.join(full, 'model');
  if (summary === undefined || !fs.existsSync(path.join(modelDir, MODEL_JSON))) {
    throw new DistillError(
      'FILE_NOT_FOUND',
      `The run ${target} has no finished model yet: let its training finish (or continue it with tfjs-distill train <config> --resume), then export it.`,
    );
  }
  if (summary.interrupted === true) {
    throw new DistillError(
      'FILE_NOT_FOUND',
      `The run ${target} was interrupted before its last epoch: continue it with tfjs-distill train <config> --resume, then export it.`,
    );
  }
  return {
    modelDir,
    config: {
      raw: readJson(fs, configFile),
      name: typeof summary.name === 'string' ? summary.name : path.basename(full),
      // Runs from before configDir was recorded: their paths were relative to where train ran.
      baseDir: typeof summary.configDir === 'string' ? summary.configDir : baseDir,
    },
  };
}
