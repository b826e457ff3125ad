/**
 * Registries: from a config's `type` name to the factory that builds it.
 */
import { DistillError, DistillTypeError, describeValue } from './errors.js';
import { closest, isPlainObject } from './config/validate.js';
import type { ResolveFrom } from './patch/module-path.js';

/** What a factory may need besides the config itself. */
export interface BuildContext {
  /** Base for string paths in the config (default: `process.cwd()`). */
  readonly resolveFrom?: ResolveFrom;
  /** The config's key path, for messages (e.g. `deliveries.mix`). */
  readonly path: string;
}

/** Builds one product from a validated-by-type config. */
export type Factory<P> = (config: Readonly<Record<string, unknown>>, context: BuildContext) => P;

/** Options of {@link Registry.register}. */
export interface RegisterOptions {
  /** Replace an existing registration of the same type instead of throwing. Default false. */
  readonly override?: boolean;
}

/**
 * A named set of factories, e.g. the delivery types. Unknown names are rejected with the list
 * of known ones, and a registered name is never overwritten silently.
 *
 * @example
 * ```ts
 * deliveryRegistry.register('MyOutputs', (config, { path }) => new MyDelivery(config, path));
 * ```
 */
export class Registry<P> {
  private readonly factories = new Map<string, Factory<P>>();

  /** @param kind - What the registry builds, for messages (e.g. `"delivery"`). */
  constructor(readonly kind: string) {}

  /** The registered type names, in registration order. */
  get types(): readonly string[] {
    return [...this.factories.keys()];
  }

  /** Whether `type` is registered. */
  has(type: string): boolean {
    return this.factories.has(type);
  }

  /**
   * Registers `factory` under `type`.
   *
   * @throws `DUPLICATE_TYPE` if `type` is taken and `options.override` is not set.
   */
  register(type: string, factory: Factory<P>, options: RegisterOptions = {}): void {
    if (typeof type !== 'string' || type.length === 0) {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `A ${this.kind} type must be a non-empty string, but got ${describeValue(type)}.`,
      );
    }
    if (typeof factory !== 'function') {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `The factory of ${this.kind} type ${describeValue(type)} must be a function, but got ${describeValue(factory)}.`,
      );
    }
    if (this.factories.has(type) && options.override !== true) {
      throw new DistillError(
        'DUPLICATE_TYPE',
        `The ${this.kind} type ${describeValue(type)} is already registered. Choose another name, or pass { override: true } to replace it.`,
      );
    }
    this.factories.set(type, factory);
  }

  /** Removes a registration; returns whether it existed. */
  unregister(type: string): boolean {
    return this.factories.delete(type);
  }

  /**
   * Builds a product from `config`, whose `type` selects the factory.
   *
   * @throws `INVALID_CONFIG` if `config` is not an object; `UNKNOWN_TYPE` for an unknown type.
   */
  build(config: unknown, context: BuildContext): P {
    if (!isPlainObject(config)) {
      throw new DistillTypeError(
        'INVALID_CONFIG',
        `Expected ${context.path} to be a ${this.kind} config object with a "type", but got ${describeValue(config)}.`,
      );
    }
    const type = config.type;
    const factory = typeof type === 'string' ? this.factories.get(type) : undefined;
    if (factory === undefined) {
      const near = typeof type === 'string' ? closest(type, this.types) : undefined;
      throw new DistillError(
        'UNKNOWN_TYPE',
        `Unknown ${this.kind} type ${describeValue(type)} at ${context.path}.type; known types: ${this.types.join(', ') || 'none'}.` +
          (near ? ` Perhaps you meant ${describeValue(near)}?` : ''),
      );
    }
    return factory(config, context);
  }
}
