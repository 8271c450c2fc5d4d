import type { VerifyBreak } from '@xiangbo/domain';

/**
 * A break in plain words: the verifier's message (English, for auditors and the CLI) mapped to a translation key of
 * the `verify` namespace with its values. Unknown messages get `other` (the original is shown beside it).
 */
export type BreakKey =
  | 'changed'
  | 'chain'
  | 'sequence'
  | 'unbalanced'
  | 'split'
  | 'unpaidSettlement'
  | 'settledTwice'
  | 'settlementAmount'
  | 'refundAbovePaid'
  | 'reversalRule'
  | 'payoutAboveOwed'
  | 'payoutRedirected'
  | 'dividendAbovePool'
  | 'dividendSplit'
  | 'dividendInputs'
  | 'registryStatus'
  | 'refundFeeNotRefunded'
  | 'refundFeeSettled'
  | 'refundFeeAbovePaid'
  | 'paymentReference'
  | 'duplicateKey'
  | 'duplicateMember'
  | 'extraMember'
  | 'droppedTail'
  | 'afterHead'
  | 'headMismatch'
  | 'footerMissing'
  | 'footerCount'
  | 'balance'
  | 'notJson'
  | 'header'
  | 'otherCooperative'
  | 'policyMissing'
  | 'shape'
  | 'other';

const RULES: [RegExp, BreakKey][] = [
  [/hash does not match the content/, 'changed'],
  [/prevHash does not match/, 'chain'],
  [/^sequence (\d+) where (\d+) was expected/, 'sequence'],
  [/does not balance/, 'unbalanced'],
  [/does not follow policy|posts to .* which policy|split cannot be recomputed/, 'split'],
  [/settlement without payment|which has no payment before it/, 'unpaidSettlement'],
  [/was already settled/, 'settledTwice'],
  [/shares out/, 'settlementAmount'],
  [/refunds above what was paid/, 'refundAbovePaid'],
  [/reversal does not follow the rule/, 'reversalRule'],
  [/payout above what was owed/, 'payoutAboveOwed'],
  [/payout redirected|a payout debits the payable/, 'payoutRedirected'],
  [/dividend above the pool/, 'dividendAbovePool'],
  [/dividend split does not follow its inputs: household (\S+) receives (-?\d+) fen/, 'dividendSplit'],
  [
    /reference\.members|member .*'s (shareUnits|status)|nothing could be split|dividend names policy version/,
    'dividendInputs',
  ],
  [/reference\.statuses/, 'registryStatus'],
  [/booked as refunded before settlement, but only (¥[\d.,]+) of (¥[\d.,]+) was refunded/, 'refundFeeNotRefunded'],
  [
    /booked as refunded before settlement, but it was settled|which was refunded in full before settlement/,
    'refundFeeSettled',
  ],
  [/^the fee of order .* is above what was paid/, 'refundFeeAbovePaid'],
  [/paymentReference, when present/, 'paymentReference'],
  [/duplicate idempotency key|a second payment/, 'duplicateKey'],
  [/appears twice in one object/, 'duplicateMember'],
  [/not part of the format/, 'extraMember'],
  [/published head is transaction #(\d+), but this chain ends at #(\d+)/, 'droppedTail'],
  [/^(\d+) transaction\(s\) after the published head #(\d+)/, 'afterHead'],
  [/has hash .* the published head says/, 'headMismatch'],
  [/footer is missing/, 'footerMissing'],
  [/footer counts|footer lastHash/, 'footerCount'],
  [/stated balance|missing from the stated balances/, 'balance'],
  [/not valid JSON|not a JSON object/, 'notJson'],
  [/first line must be/, 'header'],
  [/another cooperative/, 'otherCooperative'],
  [/policy version .* is not in the export/, 'policyMissing'],
  [
    /idempotency key must be|must name|debits .* and credits|a dividend|a reversal|unknown kind|reference is not/,
    'shape',
  ],
];

export function plainBreak(b: VerifyBreak): { key: BreakKey; values: Record<string, string | number> } {
  for (const [re, key] of RULES) {
    const m = re.exec(b.message);
    if (m) return { key, values: { a: m[1] ?? '', b: m[2] ?? '' } };
  }
  return { key: 'other', values: { a: '', b: '' } };
}
