/**
 * The lines `tfjs-distill export` prints: what was written, its size against float32, test
 * errors before and after quantization, and latency per backend and batch size.
 */
import type { ExportReport } from '../export/export-student.js';

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const percent = (x: number): string => `${(x * 100).toFixed(2)}%`;

function latencyLines(report: ExportReport): string[] {
  const sizes = [...new Set(report.latency.map((r) => r.batchSize))];
  const places = [...new Set(report.latency.map((r) => `${r.runtime} ${r.backend}`))];
  const lines = [
    `  latency    ${'ms per batch of'.padEnd(16)}${sizes.map((s) => String(s).padStart(9)).join('')}`,
  ];
  for (const place of places) {
    const rows = report.latency.filter((r) => `${r.runtime} ${r.backend}` === place);
    const unavailable = rows.find((r) => r.unavailable !== undefined)?.unavailable;
    const cells = unavailable
      ? `  not measured: ${unavailable}`
      : sizes
          .map((s) => rows.find((r) => r.batchSize === s)?.ms)
          .map((ms) => (ms === undefined ? '-' : ms.toFixed(2)).padStart(9))
          .join('');
    lines.push(`             ${place.padEnd(16)}${cells}`);
  }
  return lines;
}

/**
 * The report as the command prints it.
 *
 * @param report - What {@link exportStudent} returned.
 * @param reportPath - Where the report's JSON was written, as the user should see it.
 */
export function exportTable(report: ExportReport, reportPath: string): string[] {
  const a = report.accuracy;
  const ratio = report.bytes / report.float32Bytes;
  return [
    `exported ${report.source} to ${report.out} (${report.quantize} weights)`,
    `  files      ${report.files.map((f) => f.name).join(', ')}`,
    `  size       ${kib(report.bytes)} on disk, ${kib(report.gzipBytes)} gzipped` +
      (report.quantize === 'float32'
        ? ''
        : `; float32 would be ${kib(report.float32Bytes)} (this is ${ratio.toFixed(2)}x)`),
    `  input      [${report.input.shape.join(', ')}] per example` +
      (report.input.view
        ? `, made from the data by the view ${JSON.stringify(report.input.view)}`
        : ''),
    ...(a
      ? [
          `  test       ${a.data}: ${a.count} examples`,
          `             float32 ${a.float32.errors} errors (${percent(a.float32.accuracy)}), ${report.quantize} ${a.exported.errors} errors (${percent(a.exported.accuracy)}): ${a.deltaErrors >= 0 ? '+' : ''}${a.deltaErrors} errors`,
          `             same prediction on ${percent(a.agreement)} of examples; largest output difference ${a.maxAbsDiff.toPrecision(3)}`,
        ]
      : []),
    ...report.notes.map((n) => `  note       ${n}`),
    ...latencyLines(report),
    `  report     ${reportPath}`,
    `load it in a page with: await tf.loadLayersModel('<url of ${report.out}>/model.json')`,
  ];
}
