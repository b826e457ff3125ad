import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeXml, niceScale, plotRunsSvg, type PlotRun } from '../../src/report/index.js';
import type { PlotPanel } from '../../src/report/plot-svg.js';
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

/** The attribute values of `<svg width height>`. */
function size(svg: string): [number, number] {
  const [, w, h] = /^<svg [^>]*width="([\d.]+)" height="([\d.]+)"/.exec(svg)!;
  return [Number(w), Number(h)];
}

describe('plotRunsSvg with panels', () => {
  const TERMS: PlotPanel = {
    title: 'loss terms',
    metrics: ['student', 'kd'],
    labels: { student: 'student.loss', kd: 'distill.loss_kd' },
  };
  const AGREE: PlotPanel = {
    title: 'agreement',
    metrics: ['agree'],
    references: ['teacher accuracy'],
  };
  const KD_RUNS: PlotRun[] = [
    {
      name: 'kd',
      epochs: [1, 2, 3].map((epoch) => ({
        epoch,
        student: 1 / epoch,
        kd: 0.5 / epoch,
        agree: 0.8 + epoch / 100,
      })),
      references: { 'teacher accuracy': 0.95 },
    },
    {
      name: 'alone',
      epochs: [1, 2].map((epoch) => ({ epoch, student: 1.2 / epoch })),
    },
  ];

  it('plotRunsSvg draws a line per run and metric of a panel, each metric dashed its own way and named in its legend', () => {
    const svg = plotRunsSvg(KD_RUNS, { panels: [TERMS] });
    assertWellFormed(svg);
    const lines = polylines(svg).get('student kd')!;
    // Metrics outside, runs inside: the second run has no kd values.
    assert.deepEqual(
      lines.map((points) => points.length),
      [3, 2, 3, 0],
    );
    const dashes = [...svg.matchAll(/<polyline [^>]*?(?:stroke-dasharray="([^"]*)")?\/>/g)].map(
      (m) => m[1] ?? 'solid',
    );
    assert.equal(dashes[0], 'solid');
    assert.equal(dashes[1], 'solid');
    assert.notEqual(dashes[2], 'solid');
    assert.equal(dashes[2], dashes[3]);
    const legend = /<g class="panel-legend">(.*?)<\/g>/.exec(svg)![1]!;
    assert.match(legend, />student\.loss<\/text>.*>distill\.loss_kd<\/text>/);
    assert.match(svg, /<title>kd, epoch 2: distill\.loss_kd 0\.25<\/title>/);
  });

  it('plotRunsSvg draws a reference as a horizontal line in its run colour, inside the value axis', () => {
    const svg = plotRunsSvg(KD_RUNS, { panels: [AGREE], colors: ['#111111', '#222222'] });
    assertWellFormed(svg);
    const refs = [...svg.matchAll(/<line class="reference" ([^>]*)>/g)].map((m) => m[1]!);
    assert.equal(refs.length, 1, 'only the run with the value');
    const ref = refs[0]!;
    assert.match(ref, /data-run="kd" data-reference="teacher accuracy"/);
    assert.match(ref, /stroke="#111111"/);
    const y1 = Number(/y1="([\d.]+)"/.exec(ref)![1]);
    assert.equal(Number(/y2="([\d.]+)"/.exec(ref)![1]), y1, 'horizontal');
    // Above every point of the curve (0.81..0.83 < 0.95), and within the plot area.
    const points = polylines(svg)
      .get('agree')![0]!
      .map((p) => Number(p.split(',')[1]));
    assert.ok(points.every((y) => y > y1));
    const [, frameTop] = /<rect x="[\d.]+" y="([\d.]+)"/.exec(svg.split('<g class="panel"')[1]!)!;
    assert.ok(y1 >= Number(frameTop));
    assert.match(svg, />teacher accuracy<\/text>/, 'the panel legend names the reference');
  });

  it('plotRunsSvg lays panels out in rows of columns, taller for panels with a legend', () => {
    const one = plotRunsSvg(KD_RUNS, { metrics: ['student', 'kd', 'agree'] });
    const grid = plotRunsSvg(KD_RUNS, { metrics: ['student', 'kd', 'agree'], columns: 2 });
    const [w1, h1] = size(one);
    const [w2, h2] = size(grid);
    assert.ok(w2 < w1 && h2 > h1, `${w1}x${h1} then ${w2}x${h2}`);
    const withLegend = plotRunsSvg(KD_RUNS, { panels: [TERMS], columns: 1 });
    const without = plotRunsSvg(KD_RUNS, { metrics: ['student'], columns: 1 });
    assert.ok(size(withLegend)[1] > size(without)[1]);
  });

  it('plotRunsSvg rejects metrics together with panels, bad panels, columns and references', () => {
    assert.throws(
      () => plotRunsSvg(KD_RUNS, { metrics: ['agree'], panels: [AGREE] }),
      distillError('INVALID_ARGUMENT', /both options\.metrics and options\.panels/),
    );
    assert.throws(
      () =>
        plotRunsSvg(KD_RUNS, {
          panels: [{ title: 'x', metrics: 'agree' } as unknown as PlotPanel],
        }),
      distillError('INVALID_ARGUMENT', /options\.panels\[0\]/),
    );
    assert.throws(
      () => plotRunsSvg(KD_RUNS, { columns: 0 }),
      distillError('INVALID_ARGUMENT', /columns/),
    );
    assert.throws(
      () =>
        plotRunsSvg([{ name: 'r', epochs: [], references: 3 } as unknown as PlotRun], {
          metrics: ['a'],
        }),
      distillError('INVALID_ARGUMENT', /runs\[0\]/),
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
