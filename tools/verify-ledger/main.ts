/**
 * 乡播 ledger verifier — needs only Node (≥ 18) and the export file:
 *   node verify-ledger.cjs ledger.jsonl      (or, in this repo: npm run verify-ledger -- ledger.jsonl)
 * Recomputes the hash chain, every transaction's balance, every account balance and every settlement's split
 * against its policy version. Exit 0 when everything holds; exit 1 naming the first entry that breaks.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fenToYuanString, LedgerVerifier } from '@xiangbo/domain';

async function main() {
  const file = process.argv[2];
  if (!file || !existsSync(file)) {
    console.error('usage: verify-ledger <export.jsonl>');
    process.exit(2);
  }
  const started = process.hrtime.bigint();
  const verifier = new LedgerVerifier((canonical) => createHash('sha256').update(canonical, 'utf8').digest('hex'));
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of rl) {
    lineNo++;
    if (!verifier.push(line, lineNo)) break;
  }
  rl.close();
  const result = verifier.finish();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (!result.ok && result.error) {
    const e = result.error;
    console.error(
      `BROKEN at line ${e.line}${e.seq !== undefined ? ` (transaction #${e.seq}, ${e.idempotencyKey})` : ''}: ${e.message}`,
    );
    console.error(`${result.transactions} transactions verified before it.`);
    process.exit(1);
  }
  console.log(
    `OK: ${result.transactions} transactions, hash chain intact (last ${result.lastHash}), every transaction balances, every split follows its policy.`,
  );
  const households = Object.entries(result.balances).filter(([a]) => /:household:.+:payable$/.test(a));
  const owed = households.reduce((s, [, v]) => s - v, 0);
  console.log(
    `Households with a payable account: ${households.length}; still owed to them: ¥${fenToYuanString(owed)}.`,
  );
  console.log(`Verified in ${ms.toFixed(0)} ms.`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
});
