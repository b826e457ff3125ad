/**
 * The layout of a run directory:
 *
 * ```
 * <runsDir>/<name>/
 *   config.json        the checked config
 *   metrics.jsonl      one line per completed epoch
 *   checkpoints/       step-<8 digits>/ (model, optimizer state, connector weights,
 *                      checkpoint.json), latest.json
 *   model/             the final model.json + weights.bin
 *   summary.json       final figures
 *   plot.svg           loss and accuracy per epoch
 * ```
 */
import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import { requireNodeBuiltin } from '../node-builtins.js';
import { fileError } from '../file-errors.js';
import { TEMP_PREFIX, writeFilesAtomically } from '../train/atomic-write.js';

/** Paths inside one run directory. */
export class RunFiles {
  private readonly path: typeof NodePath;

  /** @param dir - The run directory. */
  constructor(readonly dir: string) {
    this.path = requireNodeBuiltin<typeof NodePath>('node:path', 'run directories');
  }

  /** The copy of the config. */
  get config(): string {
    return this.path.join(this.dir, 'config.json');
  }
  /** The metrics log. */
  get metrics(): string {
    return this.path.join(this.dir, 'metrics.jsonl');
  }
  /** The checkpoints folder. */
  get checkpoints(): string {
    return this.path.join(this.dir, 'checkpoints');
  }
  /** The pointer to the newest complete checkpoint. */
  get latest(): string {
    return this.path.join(this.checkpoints, 'latest.json');
  }
  /** The final model. */
  get model(): string {
    return this.path.join(this.dir, 'model');
  }
  /** The final figures. */
  get summary(): string {
    return this.path.join(this.dir, 'summary.json');
  }
  /** The plot. */
  get plot(): string {
    return this.path.join(this.dir, 'plot.svg');
  }

  /** The folder of the checkpoint taken after `step` steps. */
  checkpoint(step: number): string {
    return this.path.join(this.checkpoints, `step-${String(step).padStart(8, '0')}`);
  }

  /** The newest complete checkpoint's folder, if any. */
  readLatest(): string | undefined {
    const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'run directories');
    if (!fs.existsSync(this.latest)) return undefined;
    const { dir } = JSON.parse(fs.readFileSync(this.latest, 'utf8')) as { dir: string };
    return this.path.join(this.checkpoints, dir);
  }

  /**
   * Removes the temporary files of atomic writes that a crash (a kill, a power cut) cut short:
   * in the run directory, `checkpoints/`, every checkpoint and `model/`. A write in progress has
   * such files too, so call it only while no other process writes to this run.
   *
   * @returns The paths removed.
   * @throws DistillError `IO_ERROR` when a folder cannot be read or a file removed.
   */
  removeTempFiles(): string[] {
    const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'run directories');
    const removed: string[] = [];
    const sweep = (dir: string): void => {
      if (!fs.existsSync(dir)) return;
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = this.path.join(dir, entry.name);
        if (entry.isFile() && entry.name.startsWith(TEMP_PREFIX)) {
          fs.rmSync(full, { force: true });
          removed.push(full);
        } else if (entry.isDirectory() && dir === this.checkpoints) {
          sweep(full);
        }
      }
    };
    try {
      for (const dir of [this.dir, this.checkpoints, this.model]) sweep(dir);
    } catch (error) {
      throw fileError(error, 'clean up the temporary files of', this.dir);
    }
    return removed;
  }

  /** Points `latest.json` at `dir` (atomically), then removes all but the newest `keep` checkpoints. */
  async commitLatest(dir: string, keep = 2): Promise<void> {
    const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'run directories');
    const data = new TextEncoder().encode(`${JSON.stringify({ dir: this.path.basename(dir) })}\n`);
    await writeFilesAtomically(
      this.checkpoints,
      [{ name: 'latest.json', data }],
      'run directories',
    );
    const all = fs
      .readdirSync(this.checkpoints)
      .filter((n) => n.startsWith('step-'))
      .sort();
    for (const old of all.slice(0, Math.max(0, all.length - keep))) {
      fs.rmSync(this.path.join(this.checkpoints, old), { recursive: true, force: true });
    }
  }
}
