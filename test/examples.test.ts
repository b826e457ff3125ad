/**
 * Runs every compiled example in plain Node.js (real module semantics, as users get them) and
 * checks what it prints.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Compiled tests live in build/test/, compiled examples in build/examples/. */
const examplesDir = new URL('../examples/', import.meta.url);

interface ExampleOutput {
  readonly lines: readonly string[];
  readonly stderr: string;
}

/** Runs `build/examples/<name>.js` from an unrelated directory and returns its output lines. */
async function runExample(name: string): Promise<ExampleOutput> {
  const file = fileURLToPath(new URL(`${name}.js`, examplesDir));
  const { stdout, stderr } = await run(process.execPath, [file], { cwd: tmpdir() });
  return { lines: stdout.trimEnd().split('\n'), stderr };
}

/**
 * tfjs's CPU backend prints a hint to install tfjs-node on stderr the first time it stores a
 * tensor in Node.js; that hint is the only stderr output a tfjs example may have.
 */
const TFJS_NODE_HINT =
  /^\n=+\nHi, looks like you are running TensorFlow\.js in Node\.js\.[^\n]*\n=+\n/;

/** Asserts that an example wrote nothing to stderr except, at most, tfjs's hint. */
function assertNoStderrBesidesTfjsHint(output: ExampleOutput): void {
  assert.equal(output.stderr.replace(TFJS_NODE_HINT, ''), '');
}

/** Asserts that exactly one printed line matches `pattern` and returns its captures. */
function line(output: ExampleOutput, pattern: RegExp): RegExpMatchArray {
  const matches = output.lines.map((l) => l.match(pattern)).filter((m) => m !== null);
  assert.equal(
    matches.length,
    1,
    `expected one line matching ${pattern} in:\n${output.lines.join('\n')}`,
  );
  return matches[0]!;
}

const EXAMPLES = [
  'distill-csv',
  'distill-image-folder',
  'distill-npy',
  'distill-own-loader',
  'fifo-delivery',
  'function-delivery',
  'graph-teacher',
  'kd-mnist',
  'manager-delivery',
  'method-delivery',
  'mixup-with-delivery',
  'mixup-with-manager',
  'mixup-without-delivery',
  'onnx-teacher',
  'partial-override',
  'scoped-delivery',
  'softmax-teachers',
  'teacher-worker',
];

/** The error count of a `<label>: N test errors of <count>` line, checked to be below chance. */
function errorsBelowChance(
  output: ExampleOutput,
  label: string,
  count: number,
  classes: number,
): number {
  const [, errors] = line(output, new RegExp(`^${label}: (\\d+) test errors of ${count}$`));
  const chance = count * (1 - 1 / classes);
  assert.ok(Number(errors) < chance, `${label}: ${errors} errors, chance is ${chance}`);
  return Number(errors);
}

describe('examples', () => {
  it('examples: every compiled example has a test here', () => {
    const compiled = readdirSync(examplesDir)
      .filter((f) => f.endsWith('.js'))
      .map((f) => f.slice(0, -'.js'.length))
      .sort();
    assert.deepEqual(compiled, EXAMPLES);
  });

  it('FunctionOutputsDelivery (function-delivery) replays one output in object and string form and rejects an ES module namespace', async () => {
    const out = await runExample('function-delivery');
    line(out, /^object form: teacher output === student output: true$/);
    line(out, /^string form: teacher output === student output: true$/);
    line(out, /^string form: toyFunc really ran 1 time\(s\)$/);
    line(out, /^ES module namespace: cannot be patched \(UNPATCHABLE_TARGET\)$/);
    assert.equal(out.stderr, '');
  });

  it('FunctionOutputsDelivery (fifo-delivery) replays two outputs first in first out, then throws QUEUE_EMPTY', async () => {
    const out = await runExample('fifo-delivery');
    const [, t1, t2] = line(out, /^teacher outputs: (\d+), (\d+) \(2 of 2 queued\)$/);
    const [, s1, s2] = line(out, /^student outputs: (\d+), (\d+) \(0 of 2 queued\)$/);
    assert.deepEqual([s1, s2], [t1, t2]);
    line(out, /^delivered first in first out: true$/);
    line(out, /^a third replay throws QUEUE_EMPTY$/);
    assert.equal(out.stderr, '');
  });

  it('MethodOutputsDelivery (method-delivery) makes two random augmentations equal that differ without it', async () => {
    const out = await runExample('method-delivery');
    line(out, /^without delivery: labels equal: false, imgs equal: false$/);
    line(out, /^with MethodOutputsDelivery: labels equal: true, imgs equal: true$/);
    line(out, /^ToyAugments.call really ran 1 time\(s\) for both models$/);
    assert.equal(out.stderr, '');
  });

  it('DistillDeliveryManager (manager-delivery) built from an array of configs aligns the augmented batches', async () => {
    const out = await runExample('manager-delivery');
    line(out, /^managed deliveries: \["0"\]$/);
    line(out, /^labels equal: true$/);
    line(out, /^imgs equal: true$/);
    assert.equal(out.stderr, '');
  });

  it('MethodOutputsDelivery with overrideKeys (partial-override) delivers one key and keeps the other keys of the student output', async () => {
    const out = await runExample('partial-override');
    const [, teacher] = line(out, /^teacher positives: \[([\d, ]*)\]$/);
    const [, student] = line(out, /^student positives: \[([\d, ]*)\]$/);
    assert.equal(student, teacher);
    line(out, /^positives delivered: true, student keeps its own lossWeight: 0.5$/);
    assert.equal(out.stderr, '');
  });

  it('DistillDelivery scopes (scoped-delivery) close with using, await async outputs and ignore calls outside the scope', async () => {
    const out = await runExample('scoped-delivery');
    line(out, /^using: inside the block, entered: true$/);
    line(out, /^using: teacher output === student output: true$/);
    line(out, /^using: after the block, entered: false$/);
    line(out, /^async run: teacher score === student score: true$/);
    line(out, /^scopes follow async context \(AsyncLocalStorage\): true$/);
    line(out, /^call outside the open scope: not recorded \(0 of 1 queued\)$/);
    line(out, /^call inside the scope after an await: recorded \(1 of 1 queued\)$/);
    assert.equal(out.stderr, '');
  });

  it('Augments (mixup-without-delivery) mixes the same batch differently for the teacher and the student', async () => {
    const out = await runExample('mixup-without-delivery');
    line(out, /^teacher mix: lambda 0\.\d{3}, perm \[[01], [01]\]$/);
    line(out, /^student mix: lambda 0\.\d{3}, perm \[[01], [01]\]$/);
    line(out, /^labels equal: false$/);
    line(out, /^imgs equal: false$/);
    line(out, /^tensors leaked: 0$/);
    assertNoStderrBesidesTfjsHint(out);
  });

  it('MethodOutputsDelivery (mixup-with-delivery) hands the student the teacher’s mixed tensors, by string path and by class', async () => {
    const out = await runExample('mixup-with-delivery');
    line(out, /^after the teacher: 1 of 1 queued$/);
    line(out, /^after the student: 0 of 1 queued$/);
    line(out, /^labels equal: true$/);
    line(out, /^imgs equal: true$/);
    line(out, /^object form: labels equal: true, imgs equal: true$/);
    line(out, /^tensors leaked: 0$/);
    assertNoStderrBesidesTfjsHint(out);
  });

  it('DistillDeliveryManager (mixup-with-manager) built from a string-path config aligns the mixed tensors', async () => {
    const out = await runExample('mixup-with-manager');
    line(out, /^labels equal: true$/);
    line(out, /^imgs equal: true$/);
    line(out, /^tensors leaked: 0$/);
    assertNoStderrBesidesTfjsHint(out);
  });

  it('SingleTeacherDistill (kd-mnist) distills a small MNIST student from a teacher without changing the teacher or leaking tensors', async () => {
    const out = await runExample('kd-mnist');
    const [, teacher] = line(out, /^teacher: (\d+) test errors of 1000$/);
    const [, student] = line(out, /^distilled student: (\d+) test errors of 1000$/);
    assert.ok(Number(teacher) < 500 && Number(student) < 500, `${teacher}, ${student}`);
    line(out, /^last step: distill\.loss_kd, loss, student\.loss$/);
    line(out, /^loss = student\.loss \+ distill\.loss_kd: true$/);
    line(out, /^teacher weights unchanged: true$/);
    line(out, /^tensors leaked: 0$/);
    assertNoStderrBesidesTfjsHint(out);
  });

  it('TeacherPrefetch (teacher-worker) trains with the teacher in a worker with exactly the losses of trainStep', async () => {
    const out = await runExample('teacher-worker');
    line(out, /^steps: 10 and 10$/);
    line(out, /^same losses: true$/);
    line(out, /^tensors leaked: 0$/);
    line(out, /^one thread \d+ ms, teacher in a worker \d+ ms \([\d.]+x\)$/);
    assertNoStderrBesidesTfjsHint(out);
  });

  it('runTraining (distill-image-folder) reads an image folder by name and gives the teacher and the student their own views', async () => {
    const out = await runExample('distill-image-folder');
    line(out, /^Data: image folder shapes \(3 classes, 390 PNG\/JPEG images, 32x32 RGB\)\.$/);
    // The views reach the models: each saved model takes what its view gives it.
    const [, teacher] = line(out, /^teacher sees \[32,32,3\]: (\d+) test errors of 90$/);
    const [, student] = line(out, /^distilled student sees \[16,16,1\]: (\d+) test errors of 90$/);
    assert.ok(Number(teacher) <= 90 && Number(student) <= 90, `${teacher}, ${student}`);
    // Images and labels stay together: the teacher fits its training images (with labels
    // shuffled apart from the images, the loss would stay near ln 3 = 1.10).
    const [, losses] = line(out, /^teacher train loss: ([\d.]+(?: -> [\d.]+)+)$/);
    const values = losses!.split(' -> ').map(Number);
    assert.ok(values.at(-1)! < 0.8 * values[0]!, losses);
    line(out, /^student train loss: [\d.]+(?: -> [\d.]+){3}$/);
    line(out, /^tensors leaked: 0$/);
    assertNoStderrBesidesTfjsHint(out);
  });

  it('runTraining (distill-csv) distills on a CSV file read by name, well below chance', async () => {
    const out = await runExample('distill-csv');
    line(out, /^Data: CSV blobs\.csv \(8 features, 3 classes\)\.$/);
    errorsBelowChance(out, 'teacher', 60, 3);
    errorsBelowChance(out, 'distilled student', 60, 3);
    line(out, /^tensors leaked: 0$/);
    assertNoStderrBesidesTfjsHint(out);
  });

  it('runTraining (distill-npy) distills on NPY files read by name, well below chance', async () => {
    const out = await runExample('distill-npy');
    line(out, /^Data: NPY blobs-npy\/x\.npy \(<f4, \[8\], 3 classes\)\.$/);
    errorsBelowChance(out, 'teacher', 60, 3);
    errorsBelowChance(out, 'distilled student', 60, 3);
    line(out, /^tensors leaked: 0$/);
    assertNoStderrBesidesTfjsHint(out);
  });

  it('runTraining (distill-own-loader) distills on an async generator and a tf.data.Dataset in a config object', async () => {
    const out = await runExample('distill-own-loader');
    line(out, /^Data: three rings, from a generator and a tf\.data\.Dataset\.$/);
    errorsBelowChance(out, 'teacher', 90, 3);
    errorsBelowChance(out, 'distilled student', 90, 3);
    line(out, /^tensors leaked: 0$/);
    assertNoStderrBesidesTfjsHint(out);
  });

  it('runTraining (graph-teacher) distills from a GraphModel, recording a hidden node by name for a feature loss', async () => {
    const out = await runExample('graph-teacher');
    line(out, /^hidden node: StatefulPartitionedCall\/sequential\/fc1\/Relu$/);
    const teacher = errorsBelowChance(out, 'teacher', 500, 10);
    assert.ok(teacher < 100, `the fixture teacher is about 87% right: ${teacher} errors`);
    errorsBelowChance(out, 'distilled student', 500, 10);
    line(out, /^tensors leaked: 0$/);
    assertNoStderrBesidesTfjsHint(out);
  });

  it('runTraining (onnx-teacher) distills from an ONNX CNN that takes NCHW batches, fed MNIST images', async () => {
    const out = await runExample('onnx-teacher');
    line(out, /^teacher takes \[28,28,1\] \(NCHW inside\), 10 classes$/);
    const teacher = errorsBelowChance(out, 'teacher', 500, 10);
    assert.ok(teacher < 100, `the fixture teacher is about 87% right: ${teacher} errors`);
    errorsBelowChance(out, 'distilled student', 500, 10);
    line(out, /^tensors leaked: 0$/);
    assertNoStderrBesidesTfjsHint(out);
  });

  it('runTraining (softmax-teachers) tells probability teachers from logit teachers and distills them alike', async () => {
    const out = await runExample('softmax-teachers');
    line(out, /^graph logits: logits: some outputs are negative \(smallest -[\d.]+\)\.$/);
    line(
      out,
      /^graph softmax: probabilities: the output op of layer "logits" is Softmax; distilled from their logarithms\.$/,
    );
    line(
      out,
      /^onnx logits: logits: the output "logits" is computed by a Gemm node, not Softmax\.$/,
    );
    line(
      out,
      /^onnx softmax: probabilities: the output "probs" is computed by a Softmax node; distilled from their logarithms\.$/,
    );
    // Log-probabilities are the logits shifted per row, which the softmax ignores: the same
    // student comes out of both variants of a teacher.
    for (const format of ['graph', 'onnx']) {
      const logits = errorsBelowChance(out, `${format} logits: distilled student`, 500, 10);
      const softmax = errorsBelowChance(out, `${format} softmax: distilled student`, 500, 10);
      assert.equal(softmax, logits, format);
    }
    line(out, /^tensors leaked: 0$/);
    assertNoStderrBesidesTfjsHint(out);
  });
});
