/**
 * The configurable distiller: recorders on both models, deliveries between them, connectors,
 * and the distillation losses fed through `lossForwardMappings`.
 */
// A distiller works on tfjs models: make queues tensor-aware and layer recorders available
// even when only this module (not the package root) is imported.
import '../tensor/install.js';
import '../recorder/tfjs-recorder-types.js';
import * as tf from '@tensorflow/tfjs';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { isPlainObject, rejectUnknownKeys } from '../config/validate.js';
import type { Connector } from '../connectors/connector.js';
import { buildConnector, type ConnectorConfig } from '../connectors/connector-registry.js';
import {
  DistillDeliveryManager,
  type DeliveryConfigs,
} from '../delivery/distill-delivery-manager.js';
import type { DistillLoss } from '../losses/distill-loss.js';
import { buildLoss, type LossConfig } from '../losses/loss-registry.js';
import type { ResolveFrom } from '../patch/module-path.js';
import { RecorderManager, type RecorderConfigs } from '../recorder/recorder-manager.js';
import { isTensor } from '../tensor/nested.js';
import {
  checkLossForwardMappings,
  type LossForwardMappings,
  type LossInputMapping,
} from './loss-mappings.js';

/** Options of {@link ConfigurableDistiller}; every part is optional. */
export interface ConfigurableDistillerOptions {
  /** Recorders on the student, by name. */
  readonly studentRecorders?: RecorderConfigs;
  /** Recorders on the teacher, by name. */
  readonly teacherRecorders?: RecorderConfigs;
  /** Deliveries from teacher to student, by name (or a list). */
  readonly distillDeliveries?: DeliveryConfigs;
  /** Trainable adapters by name; a list means a sequence. */
  readonly connectors?: Readonly<
    Record<string, ConnectorConfig | readonly ConnectorConfig[] | Connector>
  >;
  /** The distillation losses by name (their names appear in the results as `distill.<name>`). */
  readonly distillLosses?: Readonly<Record<string, LossConfig | DistillLoss>>;
  /** Where each input of each loss comes from. */
  readonly lossForwardMappings?: LossForwardMappings;
  /** Base for string paths in recorder and delivery configs. Default `process.cwd()`. */
  readonly resolveFrom?: ResolveFrom;
}

const OPTION_KEYS = [
  'studentRecorders',
  'teacherRecorders',
  'distillDeliveries',
  'connectors',
  'distillLosses',
  'lossForwardMappings',
  'resolveFrom',
];

function isLoss(value: unknown): value is DistillLoss {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as DistillLoss).forward === 'function' &&
    Array.isArray((value as DistillLoss).inputNames)
  );
}

function isConnector(value: unknown): value is Connector {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as Connector).forward === 'function'
  );
}

/**
 * Everything a distillation needs besides the two models, built from one config and checked
 * at construction: an unknown loss, recorder, connector or input name, or a non-boolean
 * `fromStudent`, is an `INVALID_CONFIG` error naming its config path.
 *
 * @example
 * ```ts
 * const distiller = new ConfigurableDistiller({
 *   studentRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
 *   teacherRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
 *   distillLosses: { loss_kd: { type: 'KLDivergence', tau: 4, lossWeight: 0.7 } },
 *   lossForwardMappings: {
 *     loss_kd: {
 *       predsS: { recorder: 'logits', fromStudent: true },
 *       predsT: { recorder: 'logits', fromStudent: false },
 *     },
 *   },
 * });
 * ```
 */
export class ConfigurableDistiller {
  /** The student's recorders. */
  readonly studentRecorders: RecorderManager;
  /** The teacher's recorders. */
  readonly teacherRecorders: RecorderManager;
  /** The deliveries. */
  readonly deliveries: DistillDeliveryManager;
  /** The connectors by name. */
  readonly connectors: ReadonlyMap<string, Connector>;
  /** The distillation losses by name. */
  readonly losses: ReadonlyMap<string, DistillLoss>;
  /** The checked mappings. */
  readonly lossForwardMappings: LossForwardMappings;

  /** @param options - The distiller's parts; see {@link ConfigurableDistillerOptions}. */
  constructor(options: ConfigurableDistillerOptions = {}) {
    const raw: unknown = options;
    if (!isPlainObject(raw)) {
      throw new DistillTypeError(
        'INVALID_CONFIG',
        `Expected the distiller config to be an object, but got ${describeValue(raw)}.`,
      );
    }
    rejectUnknownKeys(raw, OPTION_KEYS, 'distiller');
    const { resolveFrom } = options;
    this.studentRecorders = new RecorderManager(options.studentRecorders ?? {}, {
      resolveFrom,
      path: 'studentRecorders',
    });
    this.teacherRecorders = new RecorderManager(options.teacherRecorders ?? {}, {
      resolveFrom,
      path: 'teacherRecorders',
    });
    this.deliveries = new DistillDeliveryManager(options.distillDeliveries ?? {}, {
      resolveFrom,
      path: 'distillDeliveries',
    });
    const losses = new Map<string, DistillLoss>();
    for (const [name, config] of Object.entries(options.distillLosses ?? {})) {
      losses.set(name, isLoss(config) ? config : buildLoss(config, `distillLosses.${name}`));
    }
    this.losses = losses;
    const connectors = new Map<string, Connector>();
    try {
      for (const [name, config] of Object.entries(options.connectors ?? {})) {
        connectors.set(
          name,
          isConnector(config) ? config : buildConnector(config, `connectors.${name}`),
        );
      }
      this.connectors = connectors;
      this.lossForwardMappings = checkLossForwardMappings(options.lossForwardMappings ?? {}, {
        losses,
        studentRecorders: [...this.studentRecorders.recorders.keys()],
        teacherRecorders: [...this.teacherRecorders.recorders.keys()],
        connectors: [...connectors.keys()],
      });
    } catch (error) {
      for (const c of connectors.values()) c.dispose();
      throw error;
    }
  }

  /** Binds the student's recorders to its model. */
  prepareFromStudent(model: unknown): this {
    this.studentRecorders.initialize(model);
    return this;
  }

  /** Binds the teacher's recorders to its model. */
  prepareFromTeacher(model: unknown): this {
    this.teacherRecorders.initialize(model);
    return this;
  }

  /** Whether every connector has its weights (lazily built connectors get them on first use). */
  get connectorsBuilt(): boolean {
    for (const c of this.connectors.values()) if (!c.built) return false;
    return true;
  }

  /** The connectors' trainable weights (train them with the student). */
  get trainableWeights(): tf.Variable[] {
    return [...this.connectors.values()].flatMap((c) => c.trainableWeights);
  }

  /**
   * Computes every distillation loss from what the recorders hold, as scalars named by loss
   * (a loss with `reduction: 'none'` is averaged). Call it after the teacher and the student
   * ran inside their recorders' scopes; the caller owns the results (call inside `tf.tidy` or
   * `optimizer.minimize`).
   *
   * @param labels - The batch's labels, for inputs mapped to `{ batch: 'labels' }`.
   */
  computeDistillLosses(labels?: tf.Tensor): Record<string, tf.Scalar> {
    const out: Record<string, tf.Scalar> = {};
    for (const [name, loss] of this.losses) {
      const mapping = this.lossForwardMappings[name]!;
      out[name] = tf.tidy(() => {
        const inputs: Record<string, tf.Tensor> = {};
        for (const [input, source] of Object.entries(mapping)) {
          inputs[input] = this.resolveInput(source, `lossForwardMappings.${name}.${input}`, labels);
        }
        const value = loss.forward(inputs);
        return (value.rank === 0 ? value : value.mean()) as tf.Scalar;
      });
    }
    return out;
  }

  /** Disposes the kept tensors of every recorder and drops queued deliveries. */
  reset(): void {
    this.studentRecorders.reset();
    this.teacherRecorders.reset();
    this.deliveries.clear();
  }

  /** Frees the connectors' weights and every kept tensor. */
  dispose(): void {
    this.reset();
    for (const c of this.connectors.values()) c.dispose();
  }

  private resolveInput(
    source: LossInputMapping,
    path: string,
    labels: tf.Tensor | undefined,
  ): tf.Tensor {
    if ('batch' in source) {
      if (labels === undefined) {
        throw new DistillError(
          'INVALID_ARGUMENT',
          `${path} maps the batch's labels, but computeDistillLosses() was called without labels.`,
        );
      }
      return labels.rank === 2 ? labels.argMax(-1) : labels;
    }
    const manager = source.fromStudent ? this.studentRecorders : this.teacherRecorders;
    const value = manager
      .getRecorder(source.recorder)
      .getRecordData(source.recordIdx ?? 0, source.dataIdx);
    if (!isTensor(value)) {
      throw new DistillError(
        'INVALID_ARGUMENT',
        `${path}: recorder "${source.recorder}" holds ${describeValue(value)}, not a tensor. Set dataIdx to pick a tensor from the record.`,
      );
    }
    if (source.connector === undefined) return value;
    const connected: unknown = this.connectors.get(source.connector)!.forward(value);
    if (source.connectorIdx === undefined) return connected as tf.Tensor;
    const picked = Array.isArray(connected)
      ? (connected[source.connectorIdx] as unknown)
      : undefined;
    if (!isTensor(picked)) {
      throw new DistillError(
        'INDEX_OUT_OF_RANGE',
        `${path}.connectorIdx ${source.connectorIdx} does not pick a tensor from connector "${source.connector}"'s output.`,
      );
    }
    return picked;
  }
}
