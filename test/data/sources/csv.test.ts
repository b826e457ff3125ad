import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { openCsv } from '../../../src/data/sources/csv.js';
import { looksLikeCsv } from '../../../src/data/sources/detect.js';
import { distillError } from '../../helpers/errors.js';
import { fixturesDir } from '../../helpers/paths.js';
import { collect, countBy, countingOpener, tempDir, tempFile } from '../../helpers/sources.js';
import { expectNoLeaks } from '../../helpers/tensors.js';

before(async () => {
  await tf.setBackend('cpu');
});

const blobs = path.join(fixturesDir, 'tabular', 'blobs.csv');

/** The fixture's rows as written: features (rounded as float32) -> label name. */
function blobRows(): Map<string, string> {
  const lines = fs.readFileSync(blobs, 'utf8').trim().split('\n').slice(1);
  return new Map(
    lines.map((line) => {
      const fields = line.split(',');
      return [
        fields
          .slice(0, 8)
          .map((v) => Math.fround(Number(v)))
          .join(','),
        fields[8]!,
      ];
    }),
  );
}

const key = (x: number[]): string => x.join(',');

describe('openCsv', () => {
  it('reads the features and named labels of every row, split 80/20 by class', async () => {
    await expectNoLeaks(async () => {
      const data = await openCsv({ path: blobs, seed: 1 });
      assert.deepEqual(data.classNames, ['amber', 'cobalt', 'olive']);
      assert.equal(data.numClasses, 3);
      assert.deepEqual(data.inputShape, [8]);
      assert.equal(data.labelColumn, 'species');
      assert.deepEqual(data.featureNames, ['f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8']);
      assert.equal(data.inMemory, true);
      assert.equal(data.validation, undefined);
      assert.equal(data.train.count, 240);
      assert.equal(data.test.count, 60);
      const rows = blobRows();
      const train = await collect(data.train, { batchSize: 50 });
      const test = await collect(data.test);
      assert.deepEqual(train.sizes, [50, 50, 50, 50, 40]);
      assert.deepEqual(train.shapes[0], [50, 8]);
      const seen = new Set<string>();
      for (const part of [train, test]) {
        part.xs.forEach((x, i) => {
          assert.equal(data.classNames[part.ys[i]!], rows.get(key(x)), `row ${key(x)}`);
          seen.add(key(x));
        });
      }
      assert.equal(seen.size, 300);
      assert.deepEqual([...countBy(test.ys)].sort(), [
        [0, 20],
        [1, 20],
        [2, 20],
      ]);
    });
  });

  it('draws the same splits for a seed, other splits for another, and a stratified validation split', async () => {
    const testSet = async (seed: number): Promise<string[]> =>
      (await collect((await openCsv({ path: blobs, seed })).test, { shuffle: false })).xs.map(key);
    assert.deepEqual(await testSet(3), await testSet(3));
    assert.notDeepEqual(await testSet(3), await testSet(4));
    const data = await openCsv({ path: blobs, seed: 3, validationFraction: 0.25 });
    assert.equal(data.train.count, 180);
    assert.equal(data.validation?.count, 60);
    const validation = await collect(data.validation);
    assert.deepEqual([...countBy(validation.ys)].sort(), [
      [0, 20],
      [1, 20],
      [2, 20],
    ]);
    const train = new Set((await collect(data.train)).xs.map(key));
    const test = (await collect(data.test)).xs.map(key);
    for (const x of [...validation.xs.map(key), ...test]) assert.ok(!train.has(x));
  });

  it('orders integer labels numerically and reads headerless files with the label last', async () => {
    const file = tempFile('numbers.csv', '1,2,10\n3,4,2\n5,6,1\n7,8,10\n9,10,2\n11,12,1\n');
    const data = await openCsv({ path: file, testFraction: 0.5 });
    assert.deepEqual(data.classNames, ['1', '2', '10']);
    assert.equal(data.labelColumn, 'column 2');
    const all = [...(await collect(data.train)).xs, ...(await collect(data.test)).xs];
    assert.equal(all.length, 6);
    const both = [await collect(data.train), await collect(data.test)];
    const labelOf = new Map(both.flatMap((c) => c.xs.map((x, i) => [x[0], c.ys[i]] as const)));
    assert.deepEqual(
      [1, 3, 5, 7, 9, 11].map((f) => labelOf.get(f)),
      [2, 1, 0, 2, 1, 0],
    );
  });

  it('reads train and test files, a label column by index, ";" delimiters, quotes and declared classes', async () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'train.csv'),
      'kind;a;b\n"x; y";1,5;2\r\nz;3;4\r\n"x; y";5;6\r\n',
    );
    fs.writeFileSync(path.join(dir, 'test.csv'), 'kind;a;b\nz;7;8\n');
    await assert.rejects(
      openCsv({
        train: path.join(dir, 'train.csv'),
        test: path.join(dir, 'test.csv'),
        labelColumn: 0,
      }),
      distillError('DATA_CORRUPT', /train\.csv:2/, /column 1 "a"/, /"1,5"/),
    );
    fs.writeFileSync(
      path.join(dir, 'train.csv'),
      'kind;a;b\n"x; y";1.5;2\r\nz;3;4\r\n"x; y";5;6\r\n',
    );
    const data = await openCsv({
      train: path.join(dir, 'train.csv'),
      test: path.join(dir, 'test.csv'),
      labelColumn: 0,
      classes: ['z', 'x; y'],
    });
    assert.deepEqual(data.classNames, ['z', 'x; y']);
    assert.deepEqual(data.featureNames, ['a', 'b']);
    const train = await collect(data.train, { shuffle: false });
    assert.deepEqual(train.xs, [
      [1.5, 2],
      [3, 4],
      [5, 6],
    ]);
    assert.deepEqual(train.ys, [1, 0, 1]);
    assert.deepEqual((await collect(data.test)).ys, [0]);
  });

  it('reads tab-separated files and quoted labels spanning lines, counting lines for messages', async () => {
    const good = tempFile(
      'q.tsv',
      'a\tb\tlabel\n1\t2\t"two\nlines"\n3\t4\tone\n5\t6\tone\n7\t8\t"two\nlines"\n',
    );
    const data = await openCsv({ path: good, testFraction: 0.5 });
    assert.deepEqual(data.classNames, ['one', 'two\nlines']);
    const both = [await collect(data.train), await collect(data.test)];
    const labelOf = new Map(both.flatMap((c) => c.xs.map((x, i) => [x[0], c.ys[i]] as const)));
    assert.deepEqual(
      [1, 3, 5, 7].map((f) => labelOf.get(f)),
      [1, 0, 0, 1],
    );
    const bad = tempFile('q.tsv', 'a\tb\tlabel\n1\t2\t"two\nlines"\n3\tx\tone\n');
    await assert.rejects(openCsv({ path: bad }), distillError('DATA_CORRUPT', /q\.tsv:4/, /"x"/));
  });

  it('finds a column named label, class, target or y, wherever it is', async () => {
    const file = tempFile('t.csv', 'a,Target,b\n1,cat,2\n3,dog,4\n5,cat,6\n7,dog,8\n');
    const data = await openCsv({ path: file, testFraction: 0.5, seed: 2 });
    assert.equal(data.labelColumn, 'Target');
    assert.deepEqual(data.featureNames, ['a', 'b']);
    const test = await collect(data.test);
    assert.deepEqual([...test.ys].sort(), [0, 1]);
  });

  it('standardizes features with the training rows’ statistics', async () => {
    const data = await openCsv({ path: blobs, seed: 1, standardize: true });
    const train = await collect(data.train);
    for (let k = 0; k < 8; k++) {
      const column = train.xs.map((x) => x[k]!);
      const mean = column.reduce((a, b) => a + b, 0) / column.length;
      const sd = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / column.length);
      assert.ok(Math.abs(mean) < 1e-4, `mean ${mean}`);
      assert.ok(Math.abs(sd - 1) < 1e-3, `sd ${sd}`);
    }
    assert.equal(data.standardization?.mean.length, 8);
  });

  it('streams rows from the file by random access when they do not fit inMemoryLimit', async () => {
    const counter = countingOpener();
    const streamed = await openCsv({
      path: blobs,
      seed: 5,
      inMemoryLimit: 0,
      openFile: counter.openFile,
      standardize: true,
    });
    const held = await openCsv({ path: blobs, seed: 5, standardize: true });
    assert.equal(streamed.inMemory, false);
    const afterOpen = { opens: counter.opens, reads: counter.reads };
    await expectNoLeaks(async () => {
      for await (const batch of streamed.train.batches({ batchSize: 4, seed: 1, epoch: 0 })) {
        tf.dispose([batch.x, batch.y]);
        break; // early exit must still close the file
      }
    });
    assert.equal(counter.opens, afterOpen.opens + 1);
    assert.equal(counter.closes, counter.opens);
    assert.ok(
      counter.reads - afterOpen.reads <= 4,
      `one batch of 4 rows took ${counter.reads - afterOpen.reads} reads`,
    );
    const a = await collect(streamed.train, { batchSize: 32 });
    const b = await collect(held.train, { batchSize: 32 });
    assert.deepEqual(a.ys, b.ys);
    a.xs.forEach((x, i) => x.forEach((v, k) => assert.ok(Math.abs(v - b.xs[i]![k]!) < 1e-5)));
  });

  it('reads a streamed batch with a few small reads, not the whole file', async () => {
    const rows = Array.from({ length: 20000 }, (_, i) => `${i},${i + 0.25},${i % 3}`);
    const file = tempFile('big.csv', `a,b,label\n${rows.join('\n')}\n`);
    const counter = countingOpener();
    const data = await openCsv({ path: file, inMemoryLimit: 0, openFile: counter.openFile });
    assert.equal(counter.reads, 0, 'opening indexes the file sequentially, without random reads');
    for await (const batch of data.train.batches({ batchSize: 2, seed: 3, epoch: 0 })) {
      const x = batch.x.arraySync() as number[][];
      const y = Array.from(batch.y.dataSync());
      tf.dispose([batch.x, batch.y]);
      x.forEach((row, i) => {
        assert.equal(row[1], row[0]! + 0.25);
        assert.equal(y[i], row[0]! % 3);
      });
      break;
    }
    assert.ok(counter.reads <= 2, `${counter.reads} reads`);
    assert.ok(counter.bytes < fs.statSync(file).size / 10, `${counter.bytes} bytes read`);
  });

  it('reports a row with the wrong column count, with file, line, expected and got', async () => {
    const file = tempFile('bad.csv', 'a,b,label\n1,2,x\n3,4,y\n5,y\n');
    await assert.rejects(
      openCsv({ path: file }),
      distillError('DATA_CORRUPT', /bad\.csv:4/, /expected 3 columns/, /got 2/),
    );
  });

  it('reports a non-numeric feature with its value and column name', async () => {
    const file = tempFile('bad.csv', 'a,b,label\n1,2,x\n3,NA,y\n');
    await assert.rejects(
      openCsv({ path: file }),
      distillError('DATA_CORRUPT', /bad\.csv:3/, /column 1 "b"/, /"NA"/),
    );
  });

  it('reports empty files and files with only a header', async () => {
    await assert.rejects(
      openCsv({ path: tempFile('e.csv', '\n\n') }),
      distillError('DATA_CORRUPT', /e\.csv:1/, /empty/),
    );
    await assert.rejects(
      openCsv({ path: tempFile('h.csv', 'a,b,label\n') }),
      distillError('DATA_CORRUPT', /h\.csv:2/, /no data rows/),
    );
  });

  it('reports a label outside the declared classes, an unknown label column and a single class', async () => {
    const file = tempFile('c.csv', 'a,b,label\n1,2,x\n3,4,y\n5,6,w\n');
    await assert.rejects(
      openCsv({ path: file, classes: ['x', 'y'] }),
      distillError('DATA_CORRUPT', /c\.csv:4/, /"w"/, /x, y/),
    );
    await assert.rejects(
      openCsv({ path: file, labelColumn: 'kind' }),
      distillError('INVALID_ARGUMENT', /c\.csv:1/, /"kind"/, /a, b, label/),
    );
    await assert.rejects(
      openCsv({ path: file, labelColumn: 3 }),
      distillError('INVALID_ARGUMENT', /3 columns/),
    );
    const one = tempFile('one.csv', '1,2,x\n3,4,x\n');
    await assert.rejects(
      openCsv({ path: one }),
      distillError('INVALID_ARGUMENT', /one\.csv/, /1 class \("x"\)/, /at least 2/),
    );
  });

  it('reports a missing file and bad options', async () => {
    await assert.rejects(
      openCsv({ path: path.join(tempDir(), 'nope.csv') }),
      distillError('FILE_NOT_FOUND', /nope\.csv/),
    );
    await assert.rejects(
      openCsv({ path: blobs, testFraction: 1 }),
      distillError('INVALID_ARGUMENT', /testFraction/),
    );
    await assert.rejects(
      openCsv({ train: blobs }),
      distillError('INVALID_ARGUMENT', /train and test/),
    );
    await assert.rejects(
      openCsv({ path: blobs, delimiter: '::' }),
      distillError('INVALID_ARGUMENT', /delimiter/),
    );
  });
});

describe('looksLikeCsv', () => {
  it('accepts delimited text and rejects binary files, single columns and folders', async () => {
    assert.equal(await looksLikeCsv(blobs), true);
    assert.equal(await looksLikeCsv(tempFile('t.tsv', 'a\tb\n1\t2\n')), true);
    assert.equal(await looksLikeCsv(tempFile('b.bin', new Uint8Array([1, 0, 2, 44]))), false);
    assert.equal(await looksLikeCsv(tempFile('w.txt', 'just words\nmore words\n')), false);
    assert.equal(await looksLikeCsv(tempDir()), false);
    assert.equal(await looksLikeCsv(path.join(tempDir(), 'missing.csv')), false);
  });
});
