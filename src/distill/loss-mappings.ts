/**
 * `lossForwardMappings`: where each input of each distillation loss comes from. Checked once,
 * at construction, with every problem named by its config path.
 */
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { closest, isPlainObject, rejectUnknownKeys } from '../config/validate.js';
import type { DistillLoss } from '../losses/distill-loss.js';

/** An input read from a recorder of the student or the teacher. */
export interface RecorderInputMapping {
  /** The recorder's name in `studentRecorders` or `teacherRecorders`. */
  readonly recorder: string;
  /** `true`: a student recorder; `false`: a teacher recorder. */
  readonly fromStudent: boolean;
  /** Which recorded call (default 0, the first). */
  readonly recordIdx?: number;
  /** Which element of that record, for calls that return or receive several values. */
  readonly dataIdx?: number;
  /** A connector (by name in `connectors`) applied to the value first. */
  readonly connector?: string;
  /** Which element of the connector's output, if it returns several. */
  readonly connectorIdx?: number;
}

/** An input taken from the training batch itself (e.g. ground-truth labels for DKD). */
export interface BatchInputMapping {
  /** `'labels'`: the batch's class indices `[N]`. */
  readonly batch: 'labels';
}

/** Where one loss input comes from. */
export type LossInputMapping = RecorderInputMapping | BatchInputMapping;

/** Per loss name, per input name, where the input comes from. */
export type LossForwardMappings = Readonly<
  Record<string, Readonly<Record<string, LossInputMapping>>>
>;

/** What the mappings are checked against. */
export interface MappingContext {
  /** The losses by name. */
  readonly losses: ReadonlyMap<string, DistillLoss>;
  /** Names of the student's recorders. */
  readonly studentRecorders: readonly string[];
  /** Names of the teacher's recorders. */
  readonly teacherRecorders: readonly string[];
  /** Names of the connectors. */
  readonly connectors: readonly string[];
}

function fail(message: string, near?: string): never {
  throw new DistillError(
    'INVALID_CONFIG',
    near ? `${message} Perhaps you meant "${near}"?` : message,
  );
}

function optionalIndex(value: unknown, path: string): void {
  if (
    value !== undefined &&
    (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
  ) {
    fail(`Expected ${path} to be a non-negative integer, but got ${describeValue(value)}.`);
  }
}

function checkInput(mapping: unknown, path: string, context: MappingContext): void {
  if (!isPlainObject(mapping)) {
    throw new DistillTypeError(
      'INVALID_CONFIG',
      `Expected ${path} to be { recorder, fromStudent } or { batch: 'labels' }, but got ${describeValue(mapping)}.`,
    );
  }
  if ('batch' in mapping) {
    rejectUnknownKeys(mapping, ['batch'], path);
    if (mapping.batch !== 'labels')
      fail(`Expected ${path}.batch to be "labels", but got ${describeValue(mapping.batch)}.`);
    return;
  }
  rejectUnknownKeys(
    mapping,
    ['recorder', 'fromStudent', 'recordIdx', 'dataIdx', 'connector', 'connectorIdx'],
    path,
  );
  if (typeof mapping.fromStudent !== 'boolean') {
    throw new DistillTypeError(
      'INVALID_CONFIG',
      `Expected ${path}.fromStudent to be true or false, but got ${describeValue(mapping.fromStudent)}.`,
    );
  }
  const names = mapping.fromStudent ? context.studentRecorders : context.teacherRecorders;
  const side = mapping.fromStudent ? 'studentRecorders' : 'teacherRecorders';
  if (typeof mapping.recorder !== 'string' || !names.includes(mapping.recorder)) {
    fail(
      `${path}.recorder: ${describeValue(mapping.recorder)} is not in ${side} (${names.join(', ') || 'none'}).`,
      typeof mapping.recorder === 'string' ? closest(mapping.recorder, names) : undefined,
    );
  }
  optionalIndex(mapping.recordIdx, `${path}.recordIdx`);
  optionalIndex(mapping.dataIdx, `${path}.dataIdx`);
  optionalIndex(mapping.connectorIdx, `${path}.connectorIdx`);
  if (mapping.connector !== undefined) {
    if (typeof mapping.connector !== 'string' || !context.connectors.includes(mapping.connector)) {
      fail(
        `${path}.connector: ${describeValue(mapping.connector)} is not in connectors (${context.connectors.join(', ') || 'none'}).`,
        typeof mapping.connector === 'string'
          ? closest(mapping.connector, context.connectors)
          : undefined,
      );
    }
  } else if (mapping.connectorIdx !== undefined) {
    fail(
      `${path}.connectorIdx is set without a connector; add ${path}.connector or remove connectorIdx.`,
    );
  }
}

/**
 * Checks `mappings` against the losses, recorders and connectors: every loss has a mapping,
 * every input of a loss is mapped exactly, every recorder and connector exists.
 *
 * @throws `INVALID_CONFIG` naming the config path, e.g.
 *   `lossForwardMappings.loss_kd.predsS.recorder`.
 */
export function checkLossForwardMappings(
  mappings: unknown,
  context: MappingContext,
  path = 'lossForwardMappings',
): LossForwardMappings {
  if (!isPlainObject(mappings)) {
    throw new DistillTypeError(
      'INVALID_CONFIG',
      `Expected ${path} to be an object { lossName: { inputName: mapping } }, but got ${describeValue(mappings)}.`,
    );
  }
  const lossNames = [...context.losses.keys()];
  for (const name of Object.keys(mappings)) {
    if (!context.losses.has(name)) {
      fail(
        `${path}.${name}: there is no loss named "${name}" in distillLosses (${lossNames.join(', ') || 'none'}).`,
        closest(name, lossNames),
      );
    }
  }
  for (const [name, loss] of context.losses) {
    const inputs = mappings[name];
    if (!isPlainObject(inputs)) {
      fail(
        `${path}.${name} is missing: map the inputs ${loss.inputNames.join(', ')} of loss "${name}".`,
      );
    }
    for (const input of Object.keys(inputs)) {
      if (!loss.inputNames.includes(input)) {
        fail(
          `${path}.${name}.${input}: loss "${name}" has no input "${input}"; its inputs are ${loss.inputNames.join(', ')}.`,
          closest(input, loss.inputNames),
        );
      }
    }
    for (const input of loss.inputNames) {
      if (!(input in inputs))
        fail(
          `${path}.${name}.${input} is missing: loss "${name}" needs the inputs ${loss.inputNames.join(', ')}.`,
        );
      checkInput(inputs[input], `${path}.${name}.${input}`, context);
    }
  }
  return mappings as LossForwardMappings;
}
