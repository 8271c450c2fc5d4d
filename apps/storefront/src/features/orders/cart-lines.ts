import type { CartLineDto } from '@xiangbo/contracts';

/** A cart line as the cart page shows it; `missing` when the product no longer exists. */
export interface CartViewLine extends CartLineDto {
  missing?: boolean;
}

/** Why a line cannot be bought right now: off sale, sold out, or more in the cart than in stock. */
export type LineProblem = 'unavailable' | 'soldOut' | 'short' | null;

export function lineProblem(line: Pick<CartViewLine, 'published' | 'stock' | 'quantity' | 'missing'>): LineProblem {
  if (line.missing || !line.published) return 'unavailable';
  if (line.stock <= 0) return 'soldOut';
  if (line.quantity > line.stock) return 'short';
  return null;
}

export interface CooperativeGroup<L> {
  cooperative: { id: string; name: string };
  lines: L[];
}

/** Lines grouped by cooperative, in the order the cooperatives first appear (one order each at checkout). */
export function groupByCooperative<L extends { cooperative: { id: string; name: string } }>(
  lines: readonly L[],
): CooperativeGroup<L>[] {
  const groups = new Map<string, CooperativeGroup<L>>();
  for (const line of lines) {
    const g = groups.get(line.cooperative.id) ?? { cooperative: line.cooperative, lines: [] };
    g.lines.push(line);
    groups.set(line.cooperative.id, g);
  }
  return [...groups.values()];
}

/** Integer fen, exact: the sum of price × quantity of the lines that can be bought. */
export function buyableTotalFen(lines: readonly CartViewLine[]): number {
  return lines.filter((l) => lineProblem(l) === null).reduce((s, l) => s + l.priceFen * l.quantity, 0);
}
