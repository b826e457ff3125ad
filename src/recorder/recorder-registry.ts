/**
 * Recorder configs and the registry that builds recorders from them by `type`.
 */
import { atPath, rejectUnknownKeys } from '../config/validate.js';
import { DistillError } from '../errors.js';
import type { UntypedFunctionTarget, UntypedMethodTarget } from '../patch/target.js';
import { Registry, type BuildContext, type RegisterOptions } from '../registry.js';
import type { BaseRecorder } from './base-recorder.js';
import {
  FunctionInputsRecorder,
  FunctionOutputsRecorder,
  MethodInputsRecorder,
  MethodOutputsRecorder,
} from './function-recorders.js';

/** Config of a function recorder. */
export interface FunctionRecorderConfig {
  /** Selects {@link FunctionOutputsRecorder} or {@link FunctionInputsRecorder}. */
  readonly type: 'FunctionOutputs' | 'FunctionInputs';
  /** `"<module>#<member>(.<member>)*"` or `{ owner, name }`. */
  readonly source: string | UntypedFunctionTarget;
}

/** Config of a method recorder. */
export interface MethodRecorderConfig {
  /** Selects {@link MethodOutputsRecorder} or {@link MethodInputsRecorder}. */
  readonly type: 'MethodOutputs' | 'MethodInputs';
  /** `"<module>#<Class>.<method>"` or `{ cls, name }`. */
  readonly source: string | UntypedMethodTarget;
}

/**
 * Config of a layer recorder. `ModuleOutputs` / `ModuleInputs` are accepted as aliases, so
 * MMRazor configs carry over.
 */
export interface LayerRecorderConfig {
  /** Selects a layer recorder. */
  readonly type: 'LayerOutputs' | 'LayerInputs' | 'ModuleOutputs' | 'ModuleInputs';
  /** The layer's name in the model. */
  readonly source: string;
}

/** Config of a parameter recorder. */
export interface ParameterRecorderConfig {
  /** Selects the parameter recorder. */
  readonly type: 'Parameter';
  /** `"<layer>/<weight>"`, e.g. `"fc1/kernel"`. */
  readonly source: string;
}

/** Any known recorder config. */
export type RecorderConfig =
  FunctionRecorderConfig | MethodRecorderConfig | LayerRecorderConfig | ParameterRecorderConfig;

/** The built-in recorder type names (layer and parameter kinds need the tfjs entry point). */
export const RECORDER_TYPES = [
  'FunctionOutputs',
  'FunctionInputs',
  'MethodOutputs',
  'MethodInputs',
  'LayerOutputs',
  'LayerInputs',
  'ModuleOutputs',
  'ModuleInputs',
  'Parameter',
] as const;

/** Builds recorders from configs; register your own kinds here. */
export const recorderRegistry = new Registry<BaseRecorder>('recorder');

/**
 * Registers a recorder type whose config is `{ type, source }`.
 *
 * @param type - The type name.
 * @param make - Builds the recorder from `source` and the base for string paths.
 * @param options - `override: true` replaces an existing registration.
 */
export function registerSourceRecorder(
  type: string,
  make: (source: never, context: BuildContext) => BaseRecorder,
  options: RegisterOptions = {},
): void {
  recorderRegistry.register(
    type,
    (config, context) => {
      rejectUnknownKeys(config, ['type', 'source'], context.path);
      return atPath(`${context.path}.source`, () => make(config.source as never, context));
    },
    options,
  );
}

// Until the tfjs entry point replaces them, the tfjs-only types explain where they live.
for (const type of ['LayerOutputs', 'LayerInputs', 'ModuleOutputs', 'ModuleInputs', 'Parameter']) {
  recorderRegistry.register(type, (_config, { path }) => {
    throw new DistillError(
      'UNKNOWN_TYPE',
      `Recorder type "${type}" at ${path}.type needs TensorFlow.js: import from "tfjs-distill" (not "tfjs-distill/core") to register the layer and parameter recorders.`,
    );
  });
}

registerSourceRecorder(
  'FunctionOutputs',
  (source, { resolveFrom }) => new FunctionOutputsRecorder({ source, resolveFrom }),
);
registerSourceRecorder(
  'FunctionInputs',
  (source, { resolveFrom }) => new FunctionInputsRecorder({ source, resolveFrom }),
);
registerSourceRecorder(
  'MethodOutputs',
  (source, { resolveFrom }) => new MethodOutputsRecorder({ source, resolveFrom }),
);
registerSourceRecorder(
  'MethodInputs',
  (source, { resolveFrom }) => new MethodInputsRecorder({ source, resolveFrom }),
);
