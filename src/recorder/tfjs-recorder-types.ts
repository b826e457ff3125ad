/**
 * Registers the tfjs recorder types (layers and parameters) with the recorder registry.
 * Imported by the package root; the tfjs-free `core` entry point leaves them out.
 */
import { LayerInputsRecorder, LayerOutputsRecorder } from './layer-recorders.js';
import { ParameterRecorder } from './parameter-recorder.js';
import { registerSourceRecorder } from './recorder-registry.js';

for (const type of ['LayerOutputs', 'ModuleOutputs']) {
  registerSourceRecorder(type, (source) => new LayerOutputsRecorder({ source }), {
    override: true,
  });
}
for (const type of ['LayerInputs', 'ModuleInputs']) {
  registerSourceRecorder(type, (source) => new LayerInputsRecorder({ source }), { override: true });
}
registerSourceRecorder('Parameter', (source) => new ParameterRecorder({ source }), {
  override: true,
});
