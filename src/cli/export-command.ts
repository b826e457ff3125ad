/**
 * `tfjs-distill export RUN_DIR|MODEL --out DIR [--quantize ...] [--shard-mb N] [--data PATH]
 * [--browser] [--force]`: a student for the web, measured as written.
 */
import type * as NodePath from 'node:path';
import {
  EXPORT_REPORT_JSON,
  exportStudent,
  type BrowserLatency,
} from '../export/export-student.js';
import { checkQuantize } from '../export/quantize.js';
import { shardBytesFromMb } from '../export/shards.js';
import { requireNodeBuiltin } from '../node-builtins.js';
import { selectBackend } from '../train/backend.js';
import { UsageError } from './cli-error.js';
import { exportTable } from './export-table.js';

/** The arguments of `export`, as parsed. */
export interface ExportArguments {
  /** Positional arguments: the run directory or model. */
  readonly targets: readonly string[];
  /** `--out`. */
  readonly out: string | undefined;
  /** `--quantize`. */
  readonly quantize: string | undefined;
  /** `--shard-mb`. */
  readonly shardMb: string | undefined;
  /** `--data`. */
  readonly data: string | undefined;
  /** `--force`. */
  readonly force: boolean;
  /** Measures latency in a browser, for `--browser`. */
  readonly browserLatency?: BrowserLatency;
}

/** Runs `export` and returns what it prints. */
export async function exportCommand(args: ExportArguments): Promise<string> {
  const path = requireNodeBuiltin<typeof NodePath>('node:path', 'export');
  if (args.targets.length !== 1) {
    throw new UsageError(
      `export takes one run directory or model, but got ${args.targets.length === 0 ? 'none' : args.targets.join(' ')}: tfjs-distill export <run-dir|model.json> --out <dir>`,
    );
  }
  if (args.out === undefined) {
    throw new UsageError(
      'export needs --out <dir>, the directory to write model.json and its weight files into.',
    );
  }
  let quantize, shardBytes;
  try {
    quantize = checkQuantize(args.quantize, '--quantize');
    shardBytes =
      args.shardMb === undefined ? undefined : shardBytesFromMb(args.shardMb, '--shard-mb');
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  // Test errors on wasm (inference has every kernel there, convolutions too), else cpu.
  await selectBackend('wasm').catch(() => selectBackend('cpu'));
  const report = await exportStudent(args.targets[0]!, {
    out: args.out,
    quantize,
    shardBytes,
    data: args.data,
    force: args.force,
    browserLatency: args.browserLatency,
  });
  return exportTable(report, path.join(args.out, EXPORT_REPORT_JSON)).join('\n');
}
