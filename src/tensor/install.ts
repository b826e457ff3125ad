/**
 * Importing this module makes deliveries and recorders tensor-aware (see
 * {@link tensorValueHandler}). The package root imports it; `tfjs-distill/core` does not.
 */
import { setQueuedValueHandler } from '../queued-values.js';
import { tensorValueHandler } from './tensor-value-handler.js';

setQueuedValueHandler(tensorValueHandler);
