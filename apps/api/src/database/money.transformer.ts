import { ValueTransformer } from 'typeorm';
import { assertMinorUnits } from '@xiangbo/domain';

/**
 * The one transformer for money and other bigint counters: PostgreSQL bigint (node-postgres returns it as a
 * string) ⇄ a JavaScript safe integer. A value outside the safe range is refused rather than rounded.
 */
export const bigintTransformer: ValueTransformer = {
  to(value: number | null | undefined): string | null | undefined {
    if (value === null || value === undefined) return value;
    return String(assertMinorUnits(value));
  },
  from(value: string | number | null): number | null {
    if (value === null || value === undefined) return null;
    const n = typeof value === 'number' ? value : Number(value);
    return assertMinorUnits(n, 'bigint column');
  },
};

/** Column options for an amount in fen: `@Column(fenColumn())`. */
export const fenColumn = (options: { nullable?: boolean; name?: string; default?: number } = {}) => ({
  type: 'bigint' as const,
  transformer: bigintTransformer,
  nullable: options.nullable ?? false,
  ...(options.name ? { name: options.name } : {}),
  ...(options.default !== undefined ? { default: options.default } : {}),
});
