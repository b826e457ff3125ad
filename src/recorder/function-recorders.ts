/**
 * Recorders of a function's outputs or inputs, and of a class method's.
 */
import { checkOptionsObject } from '../config/validate.js';
import type { ResolveFrom } from '../patch/module-path.js';
import { resolveFunctionTarget, resolveMethodTarget } from '../patch/resolve.js';
import type {
  FunctionTarget,
  MethodTarget,
  PatchPoint,
  UntypedFunctionTarget,
  UntypedMethodTarget,
} from '../patch/target.js';
import { InterceptingRecorder, type RecordedPart } from './target-recorder.js';

/** Options of the function recorders. */
export interface FunctionRecorderOptions<O extends object = object> {
  /** `"<module>#<member>(.<member>)*"` or `{ owner, name }`, as for deliveries. */
  readonly source: string | FunctionTarget<O> | UntypedFunctionTarget;
  /** Base for a string `source`: a directory or a module URL. Default `process.cwd()`. */
  readonly resolveFrom?: ResolveFrom;
}

/** Options of the method recorders. */
export interface MethodRecorderOptions {
  /** `"<module>#<Class>.<method>"` or `{ cls, name }`, as for deliveries. */
  readonly source: string | MethodTarget | UntypedMethodTarget;
  /** Base for a string `source`: a directory or a module URL. Default `process.cwd()`. */
  readonly resolveFrom?: ResolveFrom;
}

abstract class ResolvedRecorder extends InterceptingRecorder {
  protected constructor(
    private readonly resolved: PatchPoint,
    part: RecordedPart,
  ) {
    super(part);
  }

  /** @inheritDoc */
  get point(): PatchPoint {
    return this.resolved;
  }

  protected describeSource(): string {
    return this.resolved.label;
  }
}

/**
 * Records what a function returns, one record per call (for async functions, what the promise
 * resolves to).
 *
 * @example
 * ```ts
 * const rec = new FunctionOutputsRecorder({ source: { owner: heads, name: 'assignLabels' } });
 * rec.run(() => model.forward(x));
 * const labels = rec.getRecordData(0);
 * ```
 */
export class FunctionOutputsRecorder extends ResolvedRecorder {
  /** @param options - The function to record. */
  constructor(options: FunctionRecorderOptions) {
    checkOptionsObject(options, 'FunctionOutputsRecorder', '{ source }');
    super(
      resolveFunctionTarget(options.source as string, options.resolveFrom, 'source'),
      'outputs',
    );
  }
}

/** Records the arguments a function receives, one array per call. */
export class FunctionInputsRecorder extends ResolvedRecorder {
  /** @param options - The function to record. */
  constructor(options: FunctionRecorderOptions) {
    checkOptionsObject(options, 'FunctionInputsRecorder', '{ source }');
    super(resolveFunctionTarget(options.source as string, options.resolveFrom, 'source'), 'inputs');
  }
}

/** Records what a method returns, for every instance of the class, one record per call. */
export class MethodOutputsRecorder extends ResolvedRecorder {
  /** @param options - The method to record. */
  constructor(options: MethodRecorderOptions) {
    checkOptionsObject(options, 'MethodOutputsRecorder', '{ source }');
    super(resolveMethodTarget(options.source as string, options.resolveFrom, 'source'), 'outputs');
  }
}

/** Records the arguments a method receives (without `this`), one array per call. */
export class MethodInputsRecorder extends ResolvedRecorder {
  /** @param options - The method to record. */
  constructor(options: MethodRecorderOptions) {
    checkOptionsObject(options, 'MethodInputsRecorder', '{ source }');
    super(resolveMethodTarget(options.source as string, options.resolveFrom, 'source'), 'inputs');
  }
}
