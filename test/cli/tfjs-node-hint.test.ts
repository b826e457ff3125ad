import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { skipTfjsNodeHint } from '../../src/cli/tfjs-node-hint.js';

const HINT = /looks like you are running TensorFlow\.js in Node\.js/;

describe('skipTfjsNodeHint', () => {
  it('skipTfjsNodeHint silences the cpu backend hint and nothing else of tfjs', async () => {
    const warned: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warned.push(args.map(String).join(' '));
    try {
      assert.equal(await skipTfjsNodeHint(), true);
      assert.equal(tf.getBackend(), 'cpu');
      tf.tensor([1, 2]).dispose(); // the cpu backend's first write, where the hint would be
      assert.deepEqual(
        warned.filter((w) => HINT.test(w)),
        [],
      );

      // Other warnings of tfjs still go through: the flags that silence them all are untouched.
      assert.equal(tf.env().getBool('IS_TEST'), false);
      assert.equal(tf.env().getBool('PROD'), false);
      tf.registerBackend('cpu', tf.findBackendFactory('cpu'));
      assert.ok(
        warned.some((w) => /cpu backend was already registered/.test(w)),
        warned.join('\n'),
      );

      // A cpu backend that was not marked still prints the hint: the mark is what silences it.
      const fresh = tf.findBackendFactory('cpu')() as tf.KernelBackend;
      fresh.write(new Float32Array(1), [1], 'float32');
      fresh.dispose();
      assert.ok(
        warned.some((w) => HINT.test(w)),
        warned.join('\n'),
      );
    } finally {
      console.warn = original;
    }
  });
});
