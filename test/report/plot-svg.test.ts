import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeXml, niceScale, plotRunsSvg, type PlotRun } from '../../src/report/index.js';
import { distillError } from '../helpers/errors.js';

/** Checks that every tag is closed in order and no raw `<` or `&` hides in text or attributes. */
function assertWellFormed(svg: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(svg); m !== null; m = tag.exec(svg)) {
    const between = svg.slice(last, m.index);
    assert.doesNotMatch(between, /[<>]/, `stray angle bracket before offset ${m.index}`);
    last = tag.lastIndex;
    const [, closing, name, attrs, selfClosing] = m;
    for (const text of [between, attrs!]) {
      assert.doesNotMatch(text, /&(?!(#\d+|amp|lt|gt|quot|apos);)/, `raw & in ${text}`);
    }
    if (closing) assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    else if (!selfClosing) stack.push(name!);
  }
  assert.doesNotMatch(svg.slice(last), /[<>]/);
  assert.deepEqual(stack, [], 'unclosed elements');
}

/** The point lists of every polyline, by panel metric. */
function polylines(svg: string): Map<string, string[][]> {
  const panels = new Map<string, string[][]>();
  for (const panel of svg.split('<g class="panel"').slice(1)) {
    const metric = /data-metric="([^"]*)"/.exec(panel)![1]!;
    const lines = [...panel.matchAll(/<polyline points="([^"]*)"/g)].map((m) =>
      m[1] === '' ? [] : m[1]!.split(' '),
    );
    panels.set(metric, lines);
  }
  return panels;
}

const RUNS: PlotRun[] = [
  {
    name: 'teacher',
    epochs: [1, 2, 3, 4].map((epoch) => ({ epoch, loss: 1 / epoch, accuracy: 0.9 + epoch / 100 })),
  },
  {
    name: 'student',
    epochs: [1, 2, 3].map((epoch) => ({ epoch, loss: 1.5 / epoch, accuracy: 0.85 + epoch / 50 })),
  },
];

describe('plotRunsSvg', () => {
  it('plotRunsSvg draws a well-formed SVG with one panel per metric and one polyline per run', () => {
    const svg = plotRunsSvg(RUNS, { metrics: ['loss', 'accuracy'], title: 'MNIST' });
    assertWellFormed(svg);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+"/);
    assert.match(svg, />MNIST<\/text>/);
    const lines = polylines(svg);
    assert.deepEqual([...lines.keys()], ['loss', 'accuracy']);
    for (const panel of lines.values())
      assert.deepEqual(
        panel.map((points) => points.length),
        [4, 3],
      );
    assert.equal(svg.match(/<circle /g)!.length, 2 * 7 + 2, 'markers plus two legend markers');
  });

  it('plotRunsSvg places a lower loss higher up never, and later epochs further right', () => {
    const [teacher] = polylines(plotRunsSvg(RUNS, { metrics: ['loss'] })).get('loss')!;
    const points = teacher!.map((p) => p.split(',').map(Number) as [number, number]);
    for (let i = 1; i < points.length; i++) {
      assert.ok(points[i]![0] > points[i - 1]![0], 'x grows with the epoch');
      assert.ok(points[i]![1] > points[i - 1]![1], 'a falling loss is drawn lower (larger y)');
    }
  });

  it('plotRunsSvg escapes run names, titles and metric labels', () => {
    const svg = plotRunsSvg([{ name: 'a<b> & "c"', epochs: [{ epoch: 0, loss: 1 }] }], {
      title: 'x < y',
      metricLabels: { loss: "loss 'train' & val" },
    });
    assertWellFormed(svg);
    assert.ok(svg.includes(escapeXml('a<b> & "c"')));
    assert.ok(!svg.includes('a<b>'));
    assert.equal(escapeXml(`<&>"'`), '&#60;&#38;&#62;&#34;&#39;');
  });

  it('plotRunsSvg handles a single epoch without degenerate coordinates', () => {
    const svg = plotRunsSvg([{ name: 'one', epochs: [{ epoch: 3, loss: 0.5, accuracy: 0.5 }] }]);
    assertWellFormed(svg);
    assert.doesNotMatch(svg, /NaN|Infinity/);
    assert.deepEqual(
      [...polylines(svg).values()].map((p) => p[0]!.length),
      [1, 1],
    );
    assert.match(svg, />3<\/text>/, 'an x tick at the epoch');
  });

  it('plotRunsSvg leaves out NaN and missing values and labels a panel without data', () => {
    const svg = plotRunsSvg(
      [
        {
          name: 'diverged',
          epochs: [
            { epoch: 1, loss: 2, accuracy: Number.NaN },
            { epoch: 2, loss: Number.NaN, accuracy: Number.NaN },
            { epoch: 3, loss: 1 },
          ],
        },
      ],
      { metrics: ['loss', 'accuracy'] },
    );
    assertWellFormed(svg);
    assert.doesNotMatch(svg, /NaN/);
    const lines = polylines(svg);
    assert.equal(lines.get('loss')![0]!.length, 2);
    assert.equal(lines.get('accuracy')![0]!.length, 0);
    assert.match(svg, />no data<\/text>/);
  });

  it('plotRunsSvg plots every metric found when none are named', () => {
    const svg = plotRunsSvg([{ name: 'r', epochs: [{ epoch: 1, loss: 1, valAccuracy: 0.5 }] }]);
    assert.deepEqual([...polylines(svg).keys()], ['loss', 'valAccuracy']);
  });

  it('plotRunsSvg rejects malformed runs and an empty plot', () => {
    assert.throws(
      () => plotRunsSvg([{ name: 'r' } as unknown as PlotRun]),
      distillError('INVALID_ARGUMENT', /runs\[0\]/),
    );
    assert.throws(() => plotRunsSvg([]), distillError('INVALID_ARGUMENT', /nothing to plot/));
    assert.throws(
      () => plotRunsSvg(RUNS, { panelWidth: 10 }),
      distillError('INVALID_ARGUMENT', /panelWidth/),
    );
  });
});

describe('niceScale', () => {
  it('niceScale widens a value axis to round ticks', () => {
    const s = niceScale([0.05, 2.3]);
    assert.deepEqual([s.min, s.max], [0, 2.5]);
    assert.deepEqual(s.ticks.map(s.format), ['0.0', '0.5', '1.0', '1.5', '2.0', '2.5']);
    const acc = niceScale([0.912, 0.987]);
    assert.deepEqual(acc.ticks.map(acc.format), ['0.90', '0.92', '0.94', '0.96', '0.98', '1.00']);
  });

  it('niceScale keeps integer ticks for epochs and pads a single value', () => {
    const s = niceScale([1, 20], { integer: true });
    assert.deepEqual(s.ticks, [5, 10, 15, 20]);
    assert.ok(s.min < 1 && s.max > 20);
    const one = niceScale([3], { integer: true });
    assert.deepEqual(one.ticks, [2, 3, 4]);
    const none = niceScale([Number.NaN]);
    assert.deepEqual([none.min, none.max], [0, 1]);
  });
});
