import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { isProductUnit } from '../../format/units';

/** 斤 / 公斤 / 盒 / 箱 / 袋 for a unit code; anything else is shown as stored. */
export function useUnitLabel(): (unit: string) => string {
  const { t } = useTranslation('orders');
  return useCallback((unit: string) => (isProductUnit(unit) ? t(`unit.${unit}`) : unit), [t]);
}
