/**
 * Recorders that intercept a function, method or layer call and record its outputs or inputs.
 */
import { isThenable } from '../patch/activation.js';
import type { Interceptor, Invocation } from '../patch/interceptor.js';
import type { PatchPoint } from '../patch/target.js';
import { BaseRecorder } from './base-recorder.js';

/** What an intercepting recorder records of each call. */
export const RECORDED_PARTS = ['outputs', 'inputs'] as const;

/** See {@link RECORDED_PARTS}. */
export type RecordedPart = (typeof RECORDED_PARTS)[number];

/**
 * A recorder that observes the calls of one patch point. Recorders sit outside deliveries on a
 * shared target, so they record what the caller receives, replayed or not.
 */
export abstract class InterceptingRecorder extends BaseRecorder implements Interceptor {
  /** Recorders observe calls and never change them. */
  readonly role = 'observer' as const;

  /** @param part - Whether to record what calls return or what they receive. */
  protected constructor(protected readonly part: RecordedPart) {
    super();
  }

  /** The intercepted property; throws `NOT_INITIALIZED` where a model is needed first. */
  abstract get point(): PatchPoint;

  /** @inheritDoc */
  override get sourceLabel(): string {
    return this.describeSource();
  }

  /** Names the source for messages, also before initialization. */
  protected abstract describeSource(): string;

  /** @inheritDoc */
  protected interceptors(): readonly Interceptor[] {
    void this.point; // throws if not initialized
    return [this];
  }

  /** What to record of a call's arguments (all of them, without `this`, by default). */
  protected selectInputs(args: readonly unknown[]): unknown {
    return [...args];
  }

  /** Whether a value should be recorded (layer recorders skip symbolic calls). */
  protected accepts(_value: unknown): boolean {
    return true;
  }

  /** Records one call; see the class comment. */
  intercept(invocation: Invocation): unknown {
    if (this.part === 'inputs') {
      const inputs = this.selectInputs(invocation.args);
      if (this.accepts(inputs)) this.push(inputs);
      return invocation.proceed();
    }
    const output = invocation.proceed();
    if (isThenable(output)) {
      // Record what the promise resolves to, at the position of the call.
      const index = this.dataBuffer.push(undefined) - 1;
      const generation = this.generation;
      return Promise.resolve(output).then((value) => {
        if (generation === this.generation) this.dataBuffer[index] = this.keep(value);
        return value;
      });
    }
    if (this.accepts(output)) this.push(output);
    return output;
  }
}
