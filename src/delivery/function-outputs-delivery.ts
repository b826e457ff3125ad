/**
 * Delivers the outputs of a function reached through an object (e.g. a module's exports).
 */
import { checkOptionsObject } from '../config/validate.js';
import type { ResolveFrom } from '../patch/module-path.js';
import { resolveFunctionTarget } from '../patch/resolve.js';
import type { FunctionTarget } from '../patch/target.js';
import { DistillDelivery, type DistillDeliveryOptions } from './distill-delivery.js';

/** Options of {@link FunctionOutputsDelivery}. */
export interface FunctionOutputsDeliveryOptions<
  O extends object = object,
> extends DistillDeliveryOptions {
  /**
   * The function: `"<module>#<member>(.<member>)*"`, resolved like `require` from
   * `resolveFrom`, or `{ owner, name }`. Patch the object callers read the function from:
   * for CommonJS (and TypeScript compiled to it) the defining module's exports.
   */
  readonly funcPath: string | FunctionTarget<O>;
  /** Base for a string `funcPath`: a directory or a module URL. Default `process.cwd()`. */
  readonly resolveFrom?: ResolveFrom;
}

/**
 * Records a function's outputs while the teacher runs and returns them, first in first out,
 * while the student runs.
 *
 * @example
 * ```ts
 * const delivery = new FunctionOutputsDelivery({ funcPath: { owner: toyModule, name: 'toyFunc' } });
 * const teacher = delivery.run(() => toyModule.toyFunc());
 * delivery.overrideData = true;
 * const student = delivery.run(() => toyModule.toyFunc()); // === teacher
 * ```
 */
export class FunctionOutputsDelivery<O extends object = object> extends DistillDelivery {
  /** @param options - The function and the queue's bound. */
  constructor(options: FunctionOutputsDeliveryOptions<O>) {
    checkOptionsObject(options, 'FunctionOutputsDelivery');
    super(
      resolveFunctionTarget(options.funcPath as string | FunctionTarget, options.resolveFrom),
      options,
    );
  }
}
