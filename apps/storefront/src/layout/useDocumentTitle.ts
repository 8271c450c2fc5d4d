import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** Sets `document.title` to "<page> · 乡播 Xiangbo"; `page` is already translated. */
export function useDocumentTitle(page: string): void {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = t('brand.documentTitle', { page });
  }, [page, t]);
}
