/**
 * TensorFlow.js's cpu backend greets every Node.js process with a banner ("Hi, looks like you
 * are running TensorFlow.js in Node.js. To speed things up dramatically, install our node
 * backend ..."). The command line picks its own backend and says so in its summary, so the
 * banner is noise there; this turns off exactly that message and nothing else.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Keeps tfjs's cpu backend from printing its hint to install `@tensorflow/tfjs-node`.
 *
 * The backend prints the hint on its first tensor write while its `firstUse` field is `true`
 * (and `IS_NODE` is set); this marks it as used. The tfjs flags that would also silence the
 * hint, `IS_TEST` and `PROD`, silence every other tfjs warning too (and `PROD` its safety
 * checks), so they are left alone. Call it before the first tensor is made.
 *
 * When no backend is active yet, it makes the cpu backend the active one, which is what tfjs
 * would pick by itself in Node.js at that point: tfjs creates a fresh instance of the backend it
 * picks by default, which would forget the mark.
 *
 * @returns Whether the cpu backend was found in the shape this relies on; `false` (a tfjs
 *   version that works differently) leaves everything as it was, banner included.
 */
export async function skipTfjsNodeHint(): Promise<boolean> {
  // findBackend creates the cpu backend if need be, without making it the active one.
  const cpu = tf.findBackend('cpu') as { firstUse?: unknown } | null;
  if (cpu === null || typeof cpu.firstUse !== 'boolean') return false;
  // setBackend keeps an instance that already exists, so the one marked below stays in use.
  if (!tf.getBackend()) await tf.setBackend('cpu');
  cpu.firstUse = false;
  return true;
}
