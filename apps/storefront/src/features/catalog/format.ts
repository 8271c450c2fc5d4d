/**
 * Kept only for search (outside this change): it should import `formatFen` from `src/format/money` instead, and
 * this file then goes. Nothing else may import it.
 */
export { formatFen as formatPrice } from '../../format/money';
