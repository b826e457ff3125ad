/**
 * Seeds for the connectors of a run config that give none, derived from the run's seed, so
 * that a run is reproducible from its seed alone (a connector without a seed would draw its
 * initial weights from `Math.random`).
 */
import { isPlainObject } from '../config/validate.js';
import type { DistillConfig } from './run-config.js';

/** The offset of connector seeds from the run's seed; models and augments use others. */
const CONNECTOR_SEED_OFFSET = 101;

/**
 * Returns `connectors` with a `seed` added to every connector config that lacks one: the run's
 * seed plus an offset plus the connector's position (in key order, then within a list).
 * Anything that is not a plain config (a Connector instance, a malformed value left for the
 * distiller to report) is passed through unchanged.
 */
export function seedConnectors(
  connectors: DistillConfig['connectors'],
  runSeed: number,
): DistillConfig['connectors'] {
  if (!isPlainObject(connectors)) return connectors;
  let next = runSeed + CONNECTOR_SEED_OFFSET;
  // Every position takes a seed, used or not, so that giving one connector its own seed does
  // not shift the seeds of the others.
  const seeded = (config: unknown): unknown => {
    const seed = next++;
    return isPlainObject(config) && config.seed === undefined ? { ...config, seed } : config;
  };
  return Object.fromEntries(
    Object.entries(connectors).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.map(seeded) : seeded(value),
    ]),
  ) as DistillConfig['connectors'];
}
