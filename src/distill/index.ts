/** The configurable distiller and the single-teacher distillation step. */
export {
  ConfigurableDistiller,
  type ConfigurableDistillerOptions,
} from './configurable-distiller.js';
export {
  SingleTeacherDistill,
  type SingleTeacherDistillOptions,
  type StepLosses,
} from './single-teacher-distill.js';
export {
  checkLossForwardMappings,
  type BatchInputMapping,
  type LossForwardMappings,
  type LossInputMapping,
  type MappingContext,
  type RecorderInputMapping,
} from './loss-mappings.js';
