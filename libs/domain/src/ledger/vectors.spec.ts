import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseHeadArgument } from './head';
import { ledgerVectors } from './testing/vectors';
import type { RegistrySummaryRow } from './registry';
import { verifyExport } from './verify';

/**
 * The committed test vectors (docs/ledger-vectors/, described in docs/ledger.md): each export is exactly what the
 * builder writes, and the verifier reaches exactly the committed verdict. UPDATE_VECTORS=1 rewrites them.
 */
const DIR = resolve(__dirname, '../../../../docs/ledger-vectors');

interface Expected {
  file: string;
  what: string;
  heads: string[];
  ok: boolean;
  transactions: number;
  lastHash: string;
  breaks: { line: number; seq?: number; idempotencyKey?: string; message: string }[];
  /** The good export: every transaction's seq and hash. */
  hashes?: Record<string, string>;
  /** good-registry: the registry summary (per status: credited, reversed, paid out, owed). */
  registry?: RegistrySummaryRow[];
}

function verdict(lines: string[], heads: string[]) {
  const r = verifyExport(
    lines,
    undefined,
    heads.map((h, i) => ({ head: parseHeadArgument(h), last: i === heads.length - 1 })),
  );
  return {
    ok: r.ok,
    transactions: r.transactions,
    lastHash: r.lastHash,
    breaks: r.breaks.map((b) => ({ line: b.line, seq: b.seq, idempotencyKey: b.idempotencyKey, message: b.message })),
  };
}

describe('the committed test vectors (docs/ledger-vectors)', () => {
  const vectors = ledgerVectors();
  if (process.env.UPDATE_VECTORS) {
    const expected: Expected[] = vectors.map((v) => {
      writeFileSync(join(DIR, `${v.name}.jsonl`), v.lines.join('\n') + '\n');
      const hashes =
        v.name === 'good'
          ? Object.fromEntries(
              v.lines
                .filter((l) => l.startsWith('{"type":"transaction"'))
                .map((l) => JSON.parse(l))
                .map((t) => [String(t.seq), t.hash]),
            )
          : undefined;
      const registry = v.name === 'good-registry' ? verifyExport(v.lines).registry.rows : undefined;
      return { file: `${v.name}.jsonl`, what: v.what, heads: v.heads, ...verdict(v.lines, v.heads), hashes, registry };
    });
    writeFileSync(join(DIR, 'expected.json'), JSON.stringify(expected, null, 2) + '\n');
  }
  const expected: Expected[] = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8'));

  it('are exactly what the builder writes, one file per case, good and broken', () => {
    expect(expected.map((e) => e.file)).toEqual(vectors.map((v) => `${v.name}.jsonl`));
    for (const v of vectors) {
      const file = join(DIR, `${v.name}.jsonl`);
      expect(existsSync(file)).toBe(true);
      expect({ file: v.name, text: readFileSync(file, 'utf8') }).toEqual({
        file: v.name,
        text: v.lines.join('\n') + '\n',
      });
    }
  });

  it('the verifier reaches the committed verdict on each (good passes; each broken one names its break)', () => {
    for (const e of expected) {
      const lines = readFileSync(join(DIR, e.file), 'utf8').trimEnd().split('\n');
      const { hashes: _h, file: _f, what: _w, heads: _heads, registry, ...want } = e;
      if (registry)
        expect({ file: e.file, registry: verifyExport(lines).registry.rows }).toEqual({ file: e.file, registry });
      void _h;
      void _f;
      void _w;
      void _heads;
      expect({ file: e.file, ...verdict(lines, e.heads) }).toEqual({
        file: e.file,
        ...JSON.parse(JSON.stringify(want)),
      });
      expect({ file: e.file, ok: e.ok }).toEqual({ file: e.file, ok: e.file.startsWith('good') });
    }
  });
});
