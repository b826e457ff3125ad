#!/usr/bin/env node
/**
 * The `tfjs-distill` command line: init, train, eval, export, report, demo.
 */
import type * as NodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { closest } from '../config/validate.js';
import { requireNodeBuiltin } from '../node-builtins.js';
import { describeFailure, UsageError } from './cli-error.js';
import { demoCommand } from './demo-command.js';
import { compareCommand } from './compare-command.js';
import { evalCommand, evalOnDataCommand } from './eval-command.js';
import { exportCommand } from './export-command.js';
import { initCommand } from './init-command.js';
import { loadConfigFile } from './load-config.js';
import { reportCommand } from './report-command.js';
import { skipTfjsNodeHint } from './tfjs-node-hint.js';
import { formatSummary, trainCommand } from './train-command.js';

const USAGE = `Usage: tfjs-distill <command> [options]

Commands:
  init --teacher <model> --data <data> [--out <file>]
                          inspect a teacher (model.json of a LayersModel or GraphModel, or .onnx)
                          and data (image folder, .csv, x.npy + y.npy, MNIST IDX files), and write
                          a distillation config for them (default distill.json)
  train <config>          train a model, or distill a student from a teacher, as the config says;
                          with "baseline": true, also the student alone, and a table of the three
  eval <path>             test errors of a config's run, a run directory, a checkpoint or a model.json
  eval --model <model> --data <data>
                          test errors of any model (LayersModel, GraphModel, ONNX) on any data
  export <run-dir|model> --out <dir> [--quantize float16|uint8|uint16] [--shard-mb <n>]
                          write the student for the web (model.json + weight shards, quantized
                          on request, loadable by a stock tf.loadLayersModel) and report its size,
                          test errors before and after quantization, and latency per backend
  report <run-dir...>     plot loss and accuracy per epoch of one or several runs (SVG)
  demo                    teacher vs student alone vs distilled student on MNIST (a few minutes)

Options:
  --runs-dir <dir>        where run directories go (default: runs)
  --resume                train: continue from the run's newest checkpoint
  --seed <n>              train: override the config's seed
  --epochs <n>            train, demo: override the number of epochs
  --backend <name>        train: auto, cpu, wasm or tensorflow (needs @tensorflow/tfjs-node)
  --name <name>           train: override the run's name
  --export <dir>          train: also copy the final model (model.json + weights.bin) to <dir>
  --teacher-in-worker     train: run the teacher one batch ahead in a worker thread (same results)
  --no-baseline           train: skip the baseline runs of a config with "baseline": true
  --quantize <dtype>      export: float16, uint8 or uint16 weights (default float32)
  --shard-mb <n>          export: largest weight file in MiB (default 4)
  --teacher <model>       init: the teacher
  --data <data>           init, eval, export: the data (export: default the run's own)
  --model <model>         eval: the model
  --out <file>            init: where to write the config; report: where to write the SVG;
                          export: the directory to write
  --force                 train: start over, deleting an existing run of the same name;
                          init, export: replace an existing file or directory
  -h, --help              show this help`;

const COMMANDS = ['init', 'train', 'eval', 'export', 'report', 'demo'] as const;

/** " Perhaps you meant "train"?" for a near miss, else nothing. */
function suggestion(command: string): string {
  const near = closest(command, COMMANDS);
  return near === undefined ? '' : ` Perhaps you meant "${near}"?`;
}

function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new UsageError(`${flag} expects a non-negative integer, but got "${value}".`);
  return n;
}

async function main(argv: readonly string[]): Promise<number> {
  // Before any tensor exists: tfjs prints its banner on the cpu backend's first write.
  await skipTfjsNodeHint();
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        'runs-dir': { type: 'string', default: 'runs' },
        resume: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        seed: { type: 'string' },
        epochs: { type: 'string' },
        backend: { type: 'string' },
        name: { type: 'string' },
        export: { type: 'string' },
        'teacher-in-worker': { type: 'boolean', default: false },
        out: { type: 'string' },
        'no-baseline': { type: 'boolean', default: false },
        teacher: { type: 'string' },
        data: { type: 'string' },
        model: { type: 'string' },
        quantize: { type: 'string' },
        'shard-mb': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(
      `${error instanceof Error ? error.message : String(error)}. Run tfjs-distill --help.`,
    );
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    console.log(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  const runsDir = values['runs-dir'];
  switch (command) {
    case 'train': {
      if (rest.length > 1)
        throw new UsageError(
          `train takes one config file, but got ${rest.length}: ${rest.join(' ')}.`,
        );
      const trainOptions = {
        runsDir,
        resume: values.resume,
        force: values.force,
        overrides: {
          seed: integer(values.seed, '--seed'),
          epochs: integer(values.epochs, '--epochs'),
          backend: values.backend,
          name: values.name,
          teacherInWorker: values['teacher-in-worker'],
        },
      };
      if (rest[0] === undefined)
        throw new UsageError(
          'train needs a config file: tfjs-distill train <config.json|.mjs|.ts>',
        );
      const loaded = await loadConfigFile(rest[0]);
      const wantsBaseline =
        !values['no-baseline'] && (loaded.raw as { baseline?: unknown } | null)?.baseline === true;
      if (wantsBaseline) {
        if (values.resume || values.export !== undefined)
          throw new UsageError(
            '--resume and --export train one run: pass --no-baseline with them for a config with "baseline": true.',
          );
        console.log(await compareCommand(loaded, trainOptions));
        return 0;
      }
      const summary = await trainCommand(loaded, trainOptions);
      if (values.export !== undefined) {
        const path = requireNodeBuiltin<typeof NodePath>('node:path', 'export');
        const fs = await import('node:fs');
        fs.mkdirSync(values.export, { recursive: true });
        for (const f of fs.readdirSync(path.join(summary.runDir, 'model'))) {
          fs.copyFileSync(path.join(summary.runDir, 'model', f), path.join(values.export, f));
        }
      }
      console.log(formatSummary(summary));
      return 0;
    }
    case 'init': {
      if (rest.length > 0)
        throw new UsageError(`init takes no positional arguments, but got: ${rest.join(' ')}.`);
      const result = await initCommand({
        teacher: values.teacher,
        data: values.data,
        out: values.out,
        force: values.force,
      });
      console.log(
        [
          ...result.notes.map((n) => `- ${n}`),
          '',
          `config written to ${result.file}; run it with: tfjs-distill train ${values.out ?? 'distill.json'}`,
        ].join('\n'),
      );
      return 0;
    }
    case 'eval': {
      if (values.model !== undefined || values.data !== undefined) {
        console.log(await evalOnDataCommand(values.model, values.data, rest));
        return 0;
      }
      const r = await evalCommand(rest[0], { runsDir });
      console.log(
        `${r.modelPath}: ${r.errors} test errors of ${r.count} (${(r.accuracy * 100).toFixed(2)}%), loss ${r.loss.toFixed(4)}, ${r.params.toLocaleString('en-US')} parameters, ${r.inferenceMsPerBatch.toFixed(1)} ms per 1000 predictions`,
      );
      return 0;
    }
    case 'export':
      console.log(
        await exportCommand({
          targets: rest,
          out: values.out,
          quantize: values.quantize,
          shardMb: values['shard-mb'],
          data: values.data,
          force: values.force,
        }),
      );
      return 0;
    case 'report':
      console.log(`plot written to ${await reportCommand(rest, { out: values.out })}`);
      return 0;
    case 'demo': {
      const root = fileURLToPath(new URL('../../', import.meta.url));
      console.log(
        await demoCommand(root, {
          runsDir: values['runs-dir'] === 'runs' ? 'runs/demo' : runsDir,
          epochs: integer(values.epochs, '--epochs'),
        }),
      );
      return 0;
    }
    default:
      throw new UsageError(
        `Unknown command "${command}"; the commands are init, train, eval, export, report and demo.${suggestion(command)} Run tfjs-distill --help.`,
      );
  }
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    const { status, message } = describeFailure(error);
    console.error(`tfjs-distill: ${message.split('\n')[0]}`);
    if (process.env.TFJS_DISTILL_DEBUG && error instanceof Error) console.error(error.stack);
    process.exitCode = status;
  },
);
