/**
 * The corpus of malformed configs in test/fixtures/bad-configs: each goes through
 * `tfjs-distill train` and must be refused before anything is written, with one line that names
 * the offending key. `expected.json` maps every file to that key's path.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { failureMessage, runCli } from '../helpers/cli.js';
import { fixturesDir } from '../helpers/paths.js';

const corpus = path.join(fixturesDir, 'bad-configs');
const expected = JSON.parse(fs.readFileSync(path.join(corpus, 'expected.json'), 'utf8')) as Record<
  string,
  string
>;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-bad-configs-'));
after(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether `message` names the config key `keyPath` (e.g. `distill.distillLosses.loss_kd.tau`).
 * Messages spell a key path in one of these ways, or several combined:
 *
 * - literally: `Expected model.hidden[0] to be ...`;
 * - relative to the parts added by enclosing sections, outermost last:
 *   `Expected tau to be ... (at distillLosses.loss_kd) (at distill)`;
 * - as an unknown key and its parent: `Unknown key "epochz" at train; ...`, with `config` as the
 *   parent of a top-level key.
 */
function namesKeyPath(message: string, keyPath: string): boolean {
  let rest = message;
  const sections: string[] = [];
  for (
    let m = /^(.*) \(at ([^()]+)\)\.?$/.exec(rest);
    m;
    m = /^(.*) \(at ([^()]+)\)\.?$/.exec(rest)
  ) {
    sections.push(m[2]!);
    rest = m[1]!;
  }
  const prefix = sections.join('.');
  if (prefix !== '' && keyPath !== prefix && !keyPath.startsWith(`${prefix}.`)) return false;
  const tail = keyPath.slice(prefix.length).replace(/^\./, '');
  if (tail === '') return true;
  if (new RegExp(`(^|[^\\w.$])${escapeRegExp(tail)}(?![\\w$])`).test(rest)) return true;
  const [, parent = '', key = ''] = /^(?:(.*)\.)?([\w$]+)$/.exec(tail) ?? [];
  return rest.includes(`Unknown key "${key}" at ${parent === '' ? 'config' : parent};`);
}

describe('the corpus of bad configs', () => {
  it('namesKeyPath accepts the three spellings of a key path and nothing else', () => {
    assert.ok(namesKeyPath('Expected model.hidden[0] to be an integer', 'model.hidden[0]'));
    assert.ok(
      namesKeyPath('Expected tau to be > 0. (at losses.kd) (at distill)', 'distill.losses.kd.tau'),
    );
    assert.ok(namesKeyPath('Unknown key "epochz" at train; allowed keys', 'train.epochz'));
    assert.ok(namesKeyPath('Unknown key "modle" at config; allowed keys', 'modle'));
    assert.ok(!namesKeyPath('Expected model.hidden[0] to be an integer', 'model.hidden[1]'));
    assert.ok(!namesKeyPath('Expected teacher.model to be an object', 'model'));
    assert.ok(!namesKeyPath('Expected tau to be > 0. (at losses.kd)', 'distill.losses.kd.tau'));
  });

  it('expected.json lists every file of the corpus, each with a key path', () => {
    const files = fs.readdirSync(corpus).filter((f) => f !== 'expected.json');
    assert.deepEqual(Object.keys(expected).sort(), files.sort());
    assert.ok(files.length >= 100, `${files.length} files`);
    for (const [file, keyPath] of Object.entries(expected)) {
      assert.match(keyPath, /^[\w$]+(\.[\w$]+|\[\d+\])*$/, file);
    }
  });
});

// Three children at a time: two cores, and each child spends part of its time loading files.
describe('tfjs-distill train on a bad config', { concurrency: 3 }, () => {
  for (const [file, keyPath] of Object.entries(expected)) {
    it(
      `tfjs-distill train ${file} exits 2 with one line naming ${keyPath} and writes nothing`,
      {
        timeout: 30_000,
      },
      async () => {
        const runsDir = path.join(work, file);
        const r = await runCli(['train', path.join(corpus, file), '--runs-dir', runsDir], work);
        assert.equal(r.status, 2, r.stderr);
        assert.equal(r.stdout, '');
        const message = failureMessage(r);
        assert.ok(namesKeyPath(message, keyPath), `the message names ${keyPath}: ${message}`);
        assert.ok(
          !fs.existsSync(runsDir) || fs.readdirSync(runsDir).length === 0,
          `no run directory in ${runsDir}: ${fs.existsSync(runsDir) ? fs.readdirSync(runsDir).join(', ') : ''}`,
        );
      },
    );
  }
});
