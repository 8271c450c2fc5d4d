import { CsvError, parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { missingRegistryHeaders, normaliseHeader } from '@xiangbo/domain';
import { REGISTRY_IMPORT_MAX_ROWS } from '@xiangbo/contracts';
import { HouseholdErrorCodes, HouseholdException } from './households.exception';

/**
 * Turning an uploaded registry file into rows of cells: the byte-level work (encoding, CSV syntax) that the pure
 * row rules in @xiangbo/domain (registry-csv) do not do. County offices save from Excel or WPS as "CSV UTF-8"
 * (with a BOM) or plain "CSV", which on Chinese Windows is GBK.
 */

export interface DecodedCsv {
  text: string;
  encoding: 'utf-8' | 'gbk';
}

export interface CsvTable {
  headers: string[];
  /** Data rows keyed by normalised header; `line` is the 1-based line in the file where the row starts. */
  rows: { line: number; cells: Record<string, string> }[];
}

const SIGNATURES: { bytes: number[]; what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'an Excel workbook (.xlsx) or another zip file' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Excel workbook (.xls)' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
];

const notCsv = (what: string) =>
  new HouseholdException(
    HouseholdErrorCodes.NOT_CSV,
    `the file is ${what}, not a CSV file: in Excel or WPS use "Save as" → CSV`,
    { field: 'file' },
  );

/** UTF-8 (with or without BOM) when the bytes are valid UTF-8, otherwise GBK (read as GB18030, its superset). */
export function decodeCsvBytes(bytes: Buffer): DecodedCsv {
  const signature = SIGNATURES.find((s) => s.bytes.every((b, i) => bytes[i] === b));
  if (signature) throw notCsv(signature.what);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new HouseholdException(
      HouseholdErrorCodes.UNSUPPORTED_ENCODING,
      'the file is UTF-16 ("Unicode text"): save it as "CSV UTF-8" or plain "CSV"',
      { field: 'file' },
    );
  }
  if (bytes.includes(0)) throw notCsv('binary data');

  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  let decoded: DecodedCsv;
  try {
    decoded = { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    const text = iconv.decode(body, 'gb18030');
    if (text.includes('\uFFFD')) {
      throw new HouseholdException(
        HouseholdErrorCodes.UNSUPPORTED_ENCODING,
        'the file is neither UTF-8 nor GBK text: save it as "CSV UTF-8"',
        { field: 'file' },
      );
    }
    decoded = { text, encoding: 'gbk' };
  }
  // Text files have no control characters besides tab and line ends.
  if (hasControlCharacters(decoded.text)) throw notCsv('binary data');
  if (decoded.text.trim() === '') {
    throw new HouseholdException(HouseholdErrorCodes.EMPTY_FILE, 'the file is empty', { field: 'file' });
  }
  return decoded;
}

function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return true;
  }
  return false;
}

/** Splits CSV text (comma- or, from "Text (tab-delimited)" exports, tab-separated) into header and data rows. */
export function parseCsvTable(text: string): CsvTable {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      bom: true,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    if (e instanceof CsvError) {
      const line = (e as CsvError & { lines?: number }).lines;
      throw new HouseholdException(
        HouseholdErrorCodes.MALFORMED_CSV,
        `the CSV cannot be read${line ? ` at line ${line}` : ''}: ${e.message.replace(/^[^:]*:\s*/, '')}`,
        { field: 'file', details: { line } },
      );
    }
    throw e;
  }
  if (records.length === 0) {
    throw new HouseholdException(HouseholdErrorCodes.EMPTY_FILE, 'the file is empty', { field: 'file' });
  }

  const headers = records[0].record.map(normaliseHeader);
  const missing = missingRegistryHeaders(headers);
  if (missing.length) {
    throw new HouseholdException(
      HouseholdErrorCodes.MISSING_HEADERS,
      `the header row lacks ${missing.join('、')} (the first line must name the columns)`,
      { field: 'file', details: { missing } },
    );
  }

  const rows: CsvTable['rows'] = [];
  for (const { record, info } of records.slice(1)) {
    // Excel writes blank rows as a line of commas.
    if (record.every((c) => c === '')) continue;
    const cells: Record<string, string> = {};
    headers.forEach((h, i) => {
      if (h && !(h in cells)) cells[h] = record[i] ?? '';
    });
    // info.lines is where the record ends; a quoted cell may span several lines.
    const inner = record.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0);
    rows.push({ line: info.lines - inner, cells });
  }
  if (rows.length > REGISTRY_IMPORT_MAX_ROWS) {
    throw new HouseholdException(
      HouseholdErrorCodes.TOO_MANY_ROWS,
      `the file has ${rows.length} rows; import at most ${REGISTRY_IMPORT_MAX_ROWS} at a time`,
      { field: 'file' },
    );
  }
  return { headers, rows };
}
