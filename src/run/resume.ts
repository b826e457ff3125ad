/**
 * Restoring a run from its newest checkpoint: the student's weights, the connectors' weights
 * and the optimizer state, in the order that keeps them lined up.
 */
import * as tf from '@tensorflow/tfjs';
import type { DataSplit } from '../data/sources/source.js';
import { DistillError, DistillTypeError } from '../errors.js';
import { loadCheckpoint, type LoadedCheckpoint } from '../train/checkpoint.js';
import type { TrainingSetup } from './training-setup.js';

/** Where a resumed run continues. */
export interface ResumePoint {
  /** The epoch to continue in (0-based). */
  readonly epoch: number;
  /** Optimizer steps taken so far. */
  readonly step: number;
  /** Batches of `epoch` already trained, to skip. */
  readonly batchInEpoch: number;
}

/** What {@link resumeRun} needs besides the checkpoint. */
export interface ResumeContext {
  /** The run's models, distiller and trainable variables. */
  readonly setup: TrainingSetup;
  /** A newly created optimizer of the run's config. */
  readonly optimizer: tf.Optimizer;
  /** The training data, for the batch that builds lazily sized connectors. */
  readonly train: DataSplit;
  /** The run's batch size. */
  readonly batchSize: number;
  /** The run's seed. */
  readonly seed: number;
  /** Where to tell the user about connectors the checkpoint cannot restore. */
  readonly log?: (message: string) => void;
}

/** Codes of a checkpoint that does not fit the run as configured now. */
const MISFIT_CODES: ReadonlySet<string> = new Set(['INVALID_ARGUMENT', 'SHAPE_MISMATCH']);

/**
 * Restores the run of `context` from the checkpoint in `dir`. Connectors that size themselves
 * on their first input are built with one forward pass first: their weights must exist to be
 * restored, and the optimizer state is checked against every variable the steps will train.
 *
 * @throws DistillError `INVALID_ARGUMENT` or `SHAPE_MISMATCH` when the checkpoint does not fit
 *   the config (the connectors, the model or the optimizer changed), saying to resume with the
 *   config the run was started with or to start over with `--force`; the other errors of
 *   `loadCheckpoint` as they are.
 */
export async function resumeRun(dir: string, context: ResumeContext): Promise<ResumePoint> {
  const { setup, optimizer } = context;
  const distill = setup.distill;
  if (distill !== undefined && !distill.distiller.connectorsBuilt) {
    const it = context.train.batches({
      batchSize: context.batchSize,
      seed: context.seed,
      epoch: 0,
    });
    const first = await it.next();
    await it.return?.(undefined);
    if (!first.done) {
      try {
        distill.buildConnectors(first.value.x, first.value.y);
      } finally {
        tf.dispose([first.value.x, first.value.y]);
      }
    }
  }
  const connectors = distill?.distiller.connectors;
  let loaded: LoadedCheckpoint;
  try {
    loaded = await loadCheckpoint(dir, {
      optimizer,
      connectors,
      variables: setup.trainableWeights(),
    });
  } catch (error) {
    throw misfit(error);
  }
  try {
    setup.model.setWeights(loaded.model.getWeights());
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw misfit(
      new DistillError(
        'SHAPE_MISMATCH',
        `The model saved in ${dir} does not fit the config's model: ${reason}.`,
        { cause: error },
      ),
    );
  } finally {
    loaded.model.dispose();
  }
  const { info } = loaded;
  if (connectors !== undefined && connectors.size > 0 && !loaded.connectorsRestored) {
    context.log?.(
      `The checkpoint ${dir} predates connector weights in checkpoints (format version ${info.formatVersion}): the connectors start from new weights.`,
    );
  }
  return {
    epoch: info.epoch,
    step: info.step,
    batchInEpoch: Number(info.extra?.batchInEpoch ?? 0),
  };
}

/** Adds what to do in a run to an error about a checkpoint that does not fit the config. */
function misfit(error: unknown): unknown {
  if (!(error instanceof DistillError) || !MISFIT_CODES.has(error.code)) return error;
  const Class = error instanceof DistillTypeError ? DistillTypeError : DistillError;
  return new Class(
    error.code,
    `${error.message} Resume with the config the run was started with (its config.json), or start over with --force.`,
    { cause: error },
  );
}
