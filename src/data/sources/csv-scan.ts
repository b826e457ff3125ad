/**
 * Low-level CSV reading: records with their byte extents (for later random access), RFC 4180
 * fields, delimiter detection and strict numbers. Node.js only (reads files with `node:fs`).
 */
import type * as NodeFs from 'node:fs';
import { fileError } from '../../file-errors.js';
import { requireNodeBuiltin } from '../../node-builtins.js';

/** One CSV record (a row, which may span lines when a quoted field holds a newline). */
export interface CsvRecord {
  /** The record's text, without its line break. */
  readonly text: string;
  /** 1-based line number where the record starts. */
  readonly line: number;
  /** Byte offset of the record's first byte. */
  readonly start: number;
  /** Number of bytes of the record, without its line break. */
  readonly length: number;
}

const QUOTE = 0x22;
const NEWLINE = 0x0a;
const CR = 0x0d;
const decoder = new TextDecoder('utf-8');

/**
 * Reads `path` sequentially and yields its non-blank records. Memory is one read chunk plus the
 * current record.
 *
 * @param path - The CSV file.
 * @throws DistillError `FILE_NOT_FOUND` or `IO_ERROR`.
 */
export async function* scanRecords(path: string): AsyncGenerator<CsvRecord, void, undefined> {
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'openCsv');
  const stream = fs.createReadStream(path, { highWaterMark: 256 * 1024 });
  let pending: Uint8Array[] = [];
  let recordStart = 0;
  let position = 0;
  let line = 1;
  let recordLine = 1;
  let inQuote = false;
  const take = (chunk: Uint8Array, from: number, to: number): CsvRecord | undefined => {
    pending.push(chunk.subarray(from, to));
    let bytes = pending.length === 1 ? pending[0]! : concat(pending);
    pending = [];
    let length = bytes.length;
    if (length > 0 && bytes[length - 1] === CR) length--;
    bytes = bytes.subarray(0, length);
    let start = recordStart;
    // A UTF-8 byte order mark at the very start is not part of the first field.
    if (start === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      bytes = bytes.subarray(3);
      start = 3;
      length -= 3;
    }
    const text = decoder.decode(bytes);
    return text.trim() === '' ? undefined : { text, line: recordLine, start, length };
  };
  try {
    for await (const raw of stream) {
      const chunk = raw as Uint8Array;
      let from = 0;
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i]!;
        if (b === QUOTE) inQuote = !inQuote;
        else if (b === NEWLINE) {
          line++;
          if (inQuote) continue;
          const record = take(chunk, from, i);
          if (record) yield record;
          from = i + 1;
          recordStart = position + i + 1;
          recordLine = line;
        }
      }
      if (from < chunk.length) pending.push(chunk.slice(from));
      position += chunk.length;
    }
    if (pending.length > 0) {
      const record = take(new Uint8Array(0), 0, 0);
      if (record) yield record;
    }
  } catch (error) {
    throw fileError(error, 'read CSV file', path);
  } finally {
    stream.destroy();
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Decodes the bytes of one record read back by random access. */
export function decodeRecord(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/**
 * Splits a record into fields (RFC 4180): a field in double quotes may hold the delimiter,
 * line breaks and `""` for a quote. Unquoted fields are returned as written.
 *
 * @param text - The record.
 * @param delimiter - One character.
 */
export function splitFields(text: string, delimiter: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    // Spaces before an opening quote are tolerated, as many writers emit `a, "b"`.
    let j = i;
    while (text[j] === ' ') j++;
    if (text[j] === '"') {
      let value = '';
      j++;
      for (;;) {
        const close = text.indexOf('"', j);
        if (close < 0) {
          value += text.slice(j);
          j = text.length;
          break;
        }
        value += text.slice(j, close);
        if (text[close + 1] === '"') {
          value += '"';
          j = close + 2;
        } else {
          j = close + 1;
          break;
        }
      }
      fields.push(value);
      const next = text.indexOf(delimiter, j);
      if (next < 0) return fields;
      i = next + 1;
    } else {
      const next = text.indexOf(delimiter, i);
      if (next < 0) {
        fields.push(text.slice(i));
        return fields;
      }
      fields.push(text.slice(i, next));
      i = next + 1;
    }
  }
}

/**
 * Guesses the delimiter from a record: whichever of `,` `;` and tab occurs most often outside
 * quotes (`,` on a tie or when none occurs).
 */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let inQuote = false;
  for (const c of text) {
    if (c === '"') inQuote = !inQuote;
    else if (!inQuote && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best = ',';
  for (const [c, n] of counts) if (n > counts.get(best)!) best = c;
  return best;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses a decimal number strictly (surrounding spaces allowed); `NaN` for anything else, so
 * that `""`, `NA` or `0x10` are reported rather than read as 0 or 16.
 */
export function parseNumber(field: string): number {
  const t = field.trim();
  return NUMBER.test(t) ? Number(t) : NaN;
}
