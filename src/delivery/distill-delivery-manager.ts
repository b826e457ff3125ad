/**
 * Manages several deliveries as one: one flag, one scope, atomic entry.
 */
import { DistillTypeError, describeValue } from '../errors.js';
import { ScopeGroup } from '../patch/scope-group.js';
import { isPlainObject } from '../config/validate.js';
import type { ResolveFrom } from '../patch/module-path.js';
import { DistillDelivery, type DeliveryScope } from './distill-delivery.js';
import { deliveryRegistry, type DeliveryConfig } from './delivery-registry.js';

/** Deliveries by name, as configs or ready instances; an array is named by index. */
export type DeliveryConfigs =
  | Readonly<Record<string, DeliveryConfig | DistillDelivery>>
  | readonly (DeliveryConfig | DistillDelivery)[];

/** Options of {@link DistillDeliveryManager}. */
export interface DistillDeliveryManagerOptions {
  /** Base for string paths in the configs: a directory or a module URL. Default `process.cwd()`. */
  readonly resolveFrom?: ResolveFrom;
  /** Key path of the configs, for messages. Default `"deliveries"`. */
  readonly path?: string;
}

/**
 * Builds deliveries from configs and enters, exits and switches them together.
 *
 * Entering is atomic: if one delivery cannot enter, those already entered exit again before
 * the error propagates. Deliveries that share a target may exit in any order.
 *
 * @example
 * ```ts
 * const manager = new DistillDeliveryManager([
 *   { type: 'MethodOutputs', maxKeepData: 1, methodPath: 'tfjs-distill#Augments.call' },
 * ]);
 * manager.overrideData = false;
 * const teacherBatch = manager.run(() => augments.call(imgs, labels));
 * manager.overrideData = true;
 * const studentBatch = manager.run(() => augments.call(imgs, labels)); // the same batch
 * ```
 */
export class DistillDeliveryManager {
  /** The managed deliveries by name. */
  readonly deliveries: Map<string, DistillDelivery> = new Map();
  private readonly group = new ScopeGroup('The delivery manager', () => this.deliveries.values());

  /**
   * @param configs - Deliveries by name (`{ name: config }`) or as an array (named "0", "1", ...).
   * @param options - Where string paths resolve from.
   */
  constructor(configs: DeliveryConfigs = {}, options: DistillDeliveryManagerOptions = {}) {
    const path = options.path ?? 'deliveries';
    const entries: [string, unknown][] = Array.isArray(configs)
      ? (configs as unknown[]).map((c, i) => [String(i), c])
      : isPlainObject(configs)
        ? Object.entries(configs)
        : [];
    if (!Array.isArray(configs) && !isPlainObject(configs)) {
      throw new DistillTypeError(
        'INVALID_CONFIG',
        `Expected ${path} to be an object of named delivery configs or an array of them, but got ${describeValue(configs)}.`,
      );
    }
    for (const [name, config] of entries) {
      const where = Array.isArray(configs) ? `${path}[${name}]` : `${path}.${name}`;
      const delivery =
        config instanceof DistillDelivery
          ? config
          : deliveryRegistry.build(config, { path: where, resolveFrom: options.resolveFrom });
      this.deliveries.set(name, delivery);
    }
  }

  /** Whether every managed delivery replays. Setting it sets every delivery. */
  get overrideData(): boolean {
    for (const d of this.deliveries.values()) if (!d.overrideData) return false;
    return this.deliveries.size > 0;
  }

  set overrideData(value: boolean) {
    if (typeof value !== 'boolean') {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `manager.overrideData must be true or false, but got ${describeValue(value)}.`,
      );
    }
    for (const d of this.deliveries.values()) d.overrideData = value;
  }

  /** Whether the manager's scope is open. */
  get isEntered(): boolean {
    return this.group.isEntered;
  }

  /** Enters every member, or none: if one fails to enter, the others exit again. */
  enter(): DeliveryScope {
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

  /** Drops every queued output of every delivery. */
  clear(): void {
    for (const d of this.deliveries.values()) d.clear();
  }
}
