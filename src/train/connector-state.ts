/**
 * Saving and restoring the weights of a distiller's connectors, so a resumed run continues
 * with the trained adapters instead of newly initialised ones.
 */
import * as tf from '@tensorflow/tfjs';
import type { Connector } from '../connectors/connector.js';
import { DistillError } from '../errors.js';
import type { SavedConnector } from './checkpoint-format.js';
import { manifestByteLength } from './model-files.js';
import { decodeTensorsInOrder } from './tensor-bytes.js';

/** The connectors' weights as bytes plus the manifest that describes them. */
export interface EncodedConnectorState {
  /** One entry per connector, with its weights' names, shapes and dtypes. */
  readonly connectors: SavedConnector[];
  /** The weights' values, concatenated in `connectors` order. */
  readonly data: Uint8Array;
}

/** What to do when the connectors no longer match: said in every mismatch message. */
const FIX =
  'The connectors changed since the checkpoint was saved; restore it with the connectors it was saved with.';

function shapes(
  specs: readonly { readonly shape: readonly number[]; readonly dtype: string }[],
): string {
  return specs.length === 0
    ? 'no weights'
    : specs.map((s) => `[${s.shape.join(', ')}] ${s.dtype}`).join(', ');
}

function built(name: string, connector: Connector, action: string): tf.Variable[] {
  if (!connector.built) {
    throw new DistillError(
      'NOT_BUILT',
      `Cannot ${action} connector "${name}": it has no weights yet. Build it first: give its input size, or run one forward pass (SingleTeacherDistill.buildConnectors).`,
    );
  }
  return connector.trainableWeights;
}

/**
 * Encodes the current weights of `connectors`. Weight `i` of connector `name` is stored as
 * `name/i`; the connectors are stored in map order.
 *
 * @param connectors - The connectors by name, e.g. `distiller.connectors`; all must be built.
 * @throws DistillError `NOT_BUILT` naming a connector that has no weights yet.
 */
export async function encodeConnectorState(
  connectors: ReadonlyMap<string, Connector>,
): Promise<EncodedConnectorState> {
  const weights = [...connectors].map(
    ([name, connector]) => [name, built(name, connector, 'save')] as const,
  );
  const named = weights.flatMap(([name, variables]) =>
    variables.map((tensor, i) => ({ name: `${name}/${i}`, tensor })),
  );
  // The variables themselves are encoded: nothing new is allocated, nothing to dispose.
  const { data, specs } = await tf.io.encodeWeights(named);
  let offset = 0;
  const saved = weights.map(([name, variables]): SavedConnector => {
    offset += variables.length;
    return { name, weights: specs.slice(offset - variables.length, offset) };
  });
  return { connectors: saved, data: new Uint8Array(data) };
}

/**
 * Restores weights saved by {@link encodeConnectorState} into `connectors`, after checking that
 * the two hold the same connector names and, for each, the same number of weights with the same
 * shapes and dtypes. Nothing is changed when a check fails.
 *
 * @param connectors - The connectors by name, all built (a lazily sized connector needs one
 *   forward pass first).
 * @param state - The saved weights.
 * @param source - Where they came from, for messages.
 * @throws DistillError `DATA_CORRUPT` (bytes do not match the manifest), `INVALID_ARGUMENT` (a
 *   connector missing on either side), `NOT_BUILT` or `SHAPE_MISMATCH`, each naming the
 *   connector.
 */
export function restoreConnectorState(
  connectors: ReadonlyMap<string, Connector>,
  state: EncodedConnectorState,
  source: string,
): void {
  const specs = state.connectors.flatMap((c) => c.weights);
  const expected = manifestByteLength(specs);
  if (expected !== state.data.length) {
    throw new DistillError(
      'DATA_CORRUPT',
      `${source} is truncated or corrupt: expected ${expected ?? 'a fixed number of'} bytes for ${specs.length} connector weights, got ${state.data.length}. Use another checkpoint.`,
    );
  }
  const targets = matchConnectors(connectors, state.connectors, source);
  const tensors = decodeTensorsInOrder(specs, state.data);
  try {
    tensors.forEach(({ tensor }, i) => targets[i]!.assign(tensor));
  } finally {
    // assign copies the values into the variable; the decoded tensors are ours to free.
    for (const { tensor } of tensors) tensor.dispose();
  }
}

/** The variables to restore into, in saved order, after checking names, shapes and dtypes. */
function matchConnectors(
  connectors: ReadonlyMap<string, Connector>,
  saved: readonly SavedConnector[],
  source: string,
): tf.Variable[] {
  const list = (names: readonly string[]): string =>
    names.length === 0 ? 'none' : names.map((n) => `"${n}"`).join(', ');
  const savedNames = saved.map((c) => c.name);
  const extra = savedNames.find((name) => !connectors.has(name));
  if (extra !== undefined) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `${source} holds the weights of connector "${extra}", but there is no connector of that name (the connectors are: ${list([...connectors.keys()])}). ${FIX}`,
    );
  }
  const missing = [...connectors.keys()].find((name) => !savedNames.includes(name));
  if (missing !== undefined) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `Connector "${missing}" has no weights in ${source} (it holds the weights of: ${list(savedNames)}). ${FIX}`,
    );
  }
  return saved.flatMap(({ name, weights }) => {
    const variables = built(name, connectors.get(name)!, 'restore');
    const fits =
      variables.length === weights.length &&
      variables.every(
        (v, i) =>
          v.dtype === weights[i]!.dtype &&
          v.shape.length === weights[i]!.shape.length &&
          v.shape.every((d, j) => d === weights[i]!.shape[j]),
      );
    if (!fits) {
      throw new DistillError(
        'SHAPE_MISMATCH',
        `Connector "${name}" has weights ${shapes(variables)}, but ${source} holds ${shapes(weights)} for it. ${FIX}`,
      );
    }
    return variables;
  });
}
