import { useTranslation } from 'react-i18next';
import { useCartCount } from './cart';
import './orders.css';

/** The number on the 购物车 tab; nothing when the cart is empty. Mounting it also merges a guest cart on sign in. */
export function CartBadge() {
  const { t } = useTranslation('orders');
  const count = useCartCount();
  if (count <= 0) return null;
  return (
    <span className="cart-badge" data-testid="cart-badge">
      <span aria-hidden="true">{count > 99 ? '99+' : count}</span>
      <span className="visually-hidden">{t('cart.badge', { n: count })}</span>
    </span>
  );
}
