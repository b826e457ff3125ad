/**
 * Running the `tfjs-distill` command line as users do, `node dist/cli/main.js` in a child
 * process, and checking its error output.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { rootDir } from './paths.js';

/** The built command line. */
export const MAIN = path.join(rootDir, 'dist', 'cli', 'main.js');

/** What a finished command printed, and how it ended. */
export interface CliResult {
  /** The exit code, or null when a signal ended the process. */
  readonly status: number | null;
  /** The signal that ended the process, if one did. */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** An environment without the switch that adds stack traces to error output. */
export function cliEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.TFJS_DISTILL_DEBUG;
  return env;
}

/** Starts the CLI in `cwd` with `args`; `result` settles when it exits. */
export function startCli(
  args: readonly string[],
  cwd: string,
): { child: ChildProcess; result: Promise<CliResult> } {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd, env: cliEnv() });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
  return { child, result };
}

/** Runs the CLI in `cwd` with `args` to the end. */
export function runCli(args: readonly string[], cwd: string): Promise<CliResult> {
  return startCli(args, cwd).result;
}

/** tfjs's hint to install tfjs-node, printed on stderr once a tensor is stored. */
const TFJS_NODE_HINT =
  /^\n=+\nHi, looks like you are running TensorFlow\.js in Node\.js\.[^\n]*\n=+\n/;

/** Asserts that stderr (besides tfjs's hint) is exactly one `tfjs-distill: ` line; returns it. */
export function errorLine(result: CliResult): string {
  const lines = result.stderr.replace(TFJS_NODE_HINT, '').split('\n');
  assert.equal(lines.at(-1), '', `stderr ends with a newline: ${JSON.stringify(result.stderr)}`);
  assert.equal(lines.length, 2, `one line on stderr, but got:\n${result.stderr}`);
  assert.match(lines[0]!, /^tfjs-distill: /);
  return lines[0]!;
}

/** A line of a JavaScript stack trace, such as `    at main (file.js:1:2)`. */
export const STACK_LINE = /^\s+at .*:\d+:\d+\)?$/m;

/**
 * Asserts that a failed command ended with one `tfjs-distill: <CODE>: message` line on stderr
 * and printed no stack trace; returns the message after the code. Without `afterProgress`, that
 * line must be all of stderr; with it, progress lines of a run that failed midway may precede it.
 */
export function failureMessage(
  result: CliResult,
  code: string | RegExp = /[A-Z_]+/,
  { afterProgress = false }: { afterProgress?: boolean } = {},
): string {
  let line: string;
  if (afterProgress) {
    const lines = result.stderr.replace(TFJS_NODE_HINT, '').split('\n');
    assert.equal(lines.pop(), '', `stderr ends with a newline: ${JSON.stringify(result.stderr)}`);
    const errors = lines.filter((l) => l.startsWith('tfjs-distill: '));
    assert.equal(errors.length, 1, `one error line, but got:\n${result.stderr}`);
    assert.equal(lines.at(-1), errors[0], `the error line comes last:\n${result.stderr}`);
    line = errors[0]!;
  } else {
    line = errorLine(result);
  }
  assert.doesNotMatch(result.stderr, STACK_LINE, `no stack trace:\n${result.stderr}`);
  const pattern = typeof code === 'string' ? code : code.source;
  const match = new RegExp(`^tfjs-distill: (?:${pattern}): (.+)$`).exec(line);
  assert.ok(match, `"tfjs-distill: <CODE>: ..." with code ${pattern}, but got: ${line}`);
  return match[1]!;
}
