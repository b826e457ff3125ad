import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import * as browser from '../src/browser.js';
import * as root from '../src/index.js';
import { rootDir } from './helpers/paths.js';

/** Every module reachable from `entry` through relative imports of the compiled package. */
function moduleGraph(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    seen.set(file, text);
    for (const m of text.matchAll(
      /^(?:import|export)[^'"]*?from\s*['"](\.[^'"]+)['"]|^import\s*['"](\.[^'"]+)['"]/gm,
    )) {
      visit(resolve(dirname(file), m[1] ?? m[2]!));
    }
  };
  visit(entry);
  return seen;
}

describe('the browser entry point', () => {
  it('is what the exports map gives bundlers under the browser condition', () => {
    const pkg = JSON.parse(readFileSync(join(rootDir, 'package.json'), 'utf8')) as {
      exports: { '.': Record<string, string> };
    };
    assert.equal(pkg.exports['.'].browser, './dist/browser.js');
    assert.ok(
      Object.keys(pkg.exports['.']).indexOf('browser') <
        Object.keys(pkg.exports['.']).indexOf('default'),
    );
  });

  it('leaves out the Node.js-only parts and keeps the rest of the root', () => {
    for (const name of [
      'loadMnist',
      'saveCheckpoint',
      'loadCheckpoint',
      'fileSaver',
      'MetricsLog',
      'runTraining',
    ]) {
      assert.ok(name in root, `${name} should be in the root`);
      assert.ok(!(name in browser), `${name} should not be in the browser entry`);
    }
    const missing = Object.keys(root).filter(
      (k) =>
        !(k in browser) &&
        ![
          'loadMnist',
          'defaultMnistDir',
          'saveCheckpoint',
          'loadCheckpoint',
          'readCheckpointInfo',
          'fileSaver',
          'fileLoader',
          'MetricsLog',
          'readMetrics',
          'runTraining',
          'exportStudent',
          'writeExport',
          'EXPORT_REPORT_JSON',
          'checkRunConfig',
          'defineConfig',
          'MODEL_TYPES',
          'RUN_BACKENDS',
          'encodeOptimizerState',
          'restoreOptimizerState',
          'encodeConnectorState',
          'restoreConnectorState',
          'CHECKPOINT_FORMAT',
          'CHECKPOINT_FORMAT_VERSION',
          'CHECKPOINT_JSON',
          'OPTIMIZER_BIN',
          'CONNECTORS_BIN',
          'MODEL_JSON',
          'WEIGHTS_BIN',
          // Data sources and teachers that read files.
          'IMAGE_FOLDER_OPTION_KEYS',
          'checkImageFolderOptions',
          'openImageFolder',
          'looksLikeImageFolder',
          'openCsv',
          'openNpy',
          'openMnist',
          'looksLikeCsv',
          'looksLikeNpy',
          'looksLikeMnistDir',
          'openCsvFromConfig',
          'openNpyFromConfig',
          'openMnistFromConfig',
          'registerSourceOpener',
          'loadGraphTeacher',
          'readGraphModelArtifacts',
          'OnnxTeacher',
          'onnxRemoteTeacher',
          'loadOnnxRuntime',
          'ONNX_INSTALL_HINT',
          'ONNX_RUNTIME_PACKAGE',
          // The run config's names.
          'SOURCE_TYPES',
          'TEACHER_MODEL_TYPES',
          'TEACHER_OUTPUT_KINDS',
        ].includes(k),
    );
    assert.deepEqual(missing, []);
  });

  it('imports no node: module statically anywhere in its module graph, nor in the teacher worker', () => {
    const graph = moduleGraph(join(rootDir, 'dist', 'browser.js'));
    assert.ok(graph.size > 50, `only ${graph.size} modules found`);
    // The teacher's Web Worker is a module graph of its own.
    const worker = moduleGraph(join(rootDir, 'dist', 'worker', 'teacher-worker-main.js'));
    assert.ok(worker.size > 10, `only ${worker.size} worker modules found`);
    for (const [file, text] of worker) graph.set(file, text);
    for (const [file, text] of graph) {
      assert.doesNotMatch(
        text,
        /^(?:import|export)[^'"\n]*['"]node:/m,
        `${file} imports a node: module`,
      );
    }
  });
});
