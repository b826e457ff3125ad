/**
 * Targets: which function or method an interceptor replaces, in object form.
 */

/** Any callable value. */
export type AnyFunction = (...args: never[]) => unknown;

/** Any class (constructor) whose prototype holds methods. */
export type AnyClass = abstract new (...args: never[]) => unknown;

/** The keys of `T` whose values are functions. */
export type FunctionKeys<T> = {
  [K in keyof T]-?: T[K] extends AnyFunction ? K : never;
}[keyof T] &
  (string | symbol);

/**
 * A function reached as a property of an object, for example a module's exports object.
 *
 * @example
 * ```ts
 * import * as utils from './utils.cjs';
 * const target: FunctionTarget<typeof utils> = { owner: utils, name: 'assignLabels' };
 * ```
 */
export interface FunctionTarget<O extends object = object> {
  /** The object that callers read the function from. */
  readonly owner: O;
  /** The property of `owner` that holds the function. */
  readonly name: FunctionKeys<O>;
}

/**
 * A method of a class: intercepts `cls.prototype[name]`, so every instance is affected.
 *
 * @example
 * ```ts
 * const target: MethodTarget<typeof Augments> = { cls: Augments, name: 'call' };
 * ```
 */
export interface MethodTarget<C extends AnyClass = AnyClass> {
  /** The class whose prototype (or an ancestor's) defines the method. */
  readonly cls: C;
  /** The method's name. */
  readonly name: FunctionKeys<InstanceType<C>>;
}

/** The property an interceptor replaces, resolved and validated. */
export interface PatchPoint {
  /** The object whose property is replaced (a class prototype for methods). */
  readonly owner: object;
  /** The property key. */
  readonly key: string | symbol;
  /** The original function, as found when the target was resolved. */
  readonly original: AnyFunction;
  /** Human-readable name of the target for messages, e.g. `"./mix.js#Augments.call"`. */
  readonly label: string;
}

/** A function target in configs, where the owner's type is not known statically. */
export interface UntypedFunctionTarget {
  /** The object that callers read the function from. */
  readonly owner: object;
  /** The property of `owner` that holds the function. */
  readonly name: string | symbol;
}

/** A method target in configs, where the class's type is not known statically. */
export interface UntypedMethodTarget {
  /** The class whose prototype (or an ancestor's) defines the method. */
  readonly cls: AnyClass;
  /** The method's name. */
  readonly name: string | symbol;
}
