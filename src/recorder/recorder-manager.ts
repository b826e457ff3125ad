/**
 * Manages several recorders as one: built from configs, initialized with one model, entered
 * and exited together.
 */
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { ScopeGroup } from '../patch/scope-group.js';
import { atPath, isPlainObject } from '../config/validate.js';
import type { ResolveFrom } from '../patch/module-path.js';
import { BaseRecorder, type RecorderScope } from './base-recorder.js';
import { recorderRegistry, type RecorderConfig } from './recorder-registry.js';

/** Recorders by name, as configs or ready instances; an array is named by index. */
export type RecorderConfigs =
  | Readonly<Record<string, RecorderConfig | BaseRecorder>>
  | readonly (RecorderConfig | BaseRecorder)[];

/** Options of {@link RecorderManager}. */
export interface RecorderManagerOptions {
  /** Base for string paths in the configs. Default `process.cwd()`. */
  readonly resolveFrom?: ResolveFrom;
  /** Key path of the configs, for messages. Default `"recorders"`. */
  readonly path?: string;
}

/**
 * Builds named recorders from configs and runs them together.
 *
 * @example
 * ```ts
 * const recorders = new RecorderManager({
 *   logits: { type: 'LayerOutputs', source: 'logits' },
 *   feat: { type: 'LayerOutputs', source: 'fc2' },
 * }).initialize(student);
 * recorders.run(() => student.apply(x));
 * const logits = recorders.getRecorder('logits').getRecordData();
 * ```
 */
export class RecorderManager {
  /** The managed recorders by name. */
  readonly recorders: Map<string, BaseRecorder> = new Map();
  private readonly group = new ScopeGroup('The recorder manager', () => this.recorders.values());
  /** Where each recorder's source is in the config, for messages of `initialize`. */
  private readonly sourcePaths = new Map<string, string>();

  /**
   * @param configs - Recorders by name.
   * @param options - Where string paths resolve from.
   */
  constructor(configs: RecorderConfigs = {}, options: RecorderManagerOptions = {}) {
    const path = options.path ?? 'recorders';
    const isArray = Array.isArray(configs);
    if (!isArray && !isPlainObject(configs)) {
      throw new DistillTypeError(
        'INVALID_CONFIG',
        `Expected ${path} to be an object of named recorder configs or an array of them, but got ${describeValue(configs)}.`,
      );
    }
    const entries: [string, unknown][] = isArray
      ? (configs as readonly unknown[]).map((c, i) => [String(i), c])
      : Object.entries(configs);
    for (const [name, config] of entries) {
      const where = isArray ? `${path}[${name}]` : `${path}.${name}`;
      const recorder =
        config instanceof BaseRecorder
          ? config
          : recorderRegistry.build(config, { path: where, resolveFrom: options.resolveFrom });
      this.recorders.set(name, recorder);
      this.sourcePaths.set(name, config instanceof BaseRecorder ? where : `${where}.source`);
    }
  }

  /**
   * Binds every recorder to `model` (layer and parameter recorders need it). An unknown layer
   * or weight is reported with the recorder's key path (`studentRecorders.feat.source`).
   */
  initialize(model?: unknown): this {
    for (const [name, recorder] of this.recorders) {
      atPath(this.sourcePaths.get(name)!, () => recorder.initialize(model));
    }
    return this;
  }

  /**
   * Returns the recorder named `name`.
   *
   * @throws `MEMBER_NOT_FOUND` listing the known names.
   */
  getRecorder(name: string): BaseRecorder {
    const recorder = this.recorders.get(name);
    if (recorder === undefined) {
      throw new DistillError(
        'MEMBER_NOT_FOUND',
        `No recorder named ${describeValue(name)}; the recorders are: ${[...this.recorders.keys()].join(', ') || 'none'}.`,
      );
    }
    return recorder;
  }

  /** Whether the manager's scope is open. */
  get isEntered(): boolean {
    return this.group.isEntered;
  }

  /** Enters every member, or none: if one fails to enter, the others exit again. */
  enter(): RecorderScope {
    return this.group.enter();
  }

  /** Exits every member entered by `enter()`. */
  exit(): void {
    this.group.exit();
  }

  /** Runs `fn` with every member entered; exits when `fn` returns, throws or its promise settles. */
  run<R>(fn: () => R): R {
    return this.group.run(fn);
  }

  /** Resets every recorder, disposing the tensors they kept. */
  reset(): void {
    for (const recorder of this.recorders.values()) recorder.reset();
  }
}
