/**
 * Delivers the outputs of a class method, for every instance of the class.
 */
import type { ResolveFrom } from '../patch/module-path.js';
import { resolveMethodTarget } from '../patch/resolve.js';
import type { AnyClass, MethodTarget } from '../patch/target.js';
import { DistillDelivery, type DistillDeliveryOptions } from './distill-delivery.js';
import { checkOptionsObject } from '../config/validate.js';

/** Options of {@link MethodOutputsDelivery}. */
export interface MethodOutputsDeliveryOptions<
  C extends AnyClass = AnyClass,
> extends DistillDeliveryOptions {
  /**
   * The method: `"<module>#<Class>.<method>"`, resolved like `require` from `resolveFrom`, or
   * `{ cls, name }`. Intercepts `Class.prototype.method`, inherited or own.
   */
  readonly methodPath: string | MethodTarget<C>;
  /** Base for a string `methodPath`: a directory or a module URL. Default `process.cwd()`. */
  readonly resolveFrom?: ResolveFrom;
}

/**
 * Records a method's outputs while the teacher runs and returns them, first in first out,
 * while the student runs. Aligns random augmentations applied inside models.
 *
 * @example
 * ```ts
 * const delivery = new MethodOutputsDelivery({ methodPath: { cls: Augments, name: 'call' } });
 * const [imgsT] = delivery.run(() => augments.call(imgs, labels));
 * delivery.overrideData = true;
 * const [imgsS] = delivery.run(() => augments.call(imgs, labels)); // same batch
 * ```
 */
export class MethodOutputsDelivery<C extends AnyClass = AnyClass> extends DistillDelivery {
  /** @param options - The method and the queue's bound. */
  constructor(options: MethodOutputsDeliveryOptions<C>) {
    checkOptionsObject(options, 'MethodOutputsDelivery');
    super(resolveMethodTarget(options.methodPath, options.resolveFrom), options);
  }
}
