import { useTranslation } from 'react-i18next';

/** Stars as shops show them (★★★★☆), with the number read out to screen readers. */
export function Stars({ value, size = 'small' }: { value: number; size?: 'small' | 'large' }) {
  const { t } = useTranslation('reviews');
  const full = Math.round(value);
  return (
    <span className={`stars stars--${size}`} role="img" aria-label={t('stars', { n: value })}>
      <span aria-hidden="true" className="stars__on">
        {'★'.repeat(full)}
      </span>
      <span aria-hidden="true" className="stars__off">
        {'★'.repeat(5 - full)}
      </span>
    </span>
  );
}

/** Five large radio buttons drawn as stars: a keyboard moves with the arrow keys, a thumb taps one. */
export function StarInput({ name, value, onChange }: { name: string; value: number; onChange: (n: number) => void }) {
  const { t } = useTranslation('reviews');
  return (
    <fieldset className="star-input">
      <legend className="star-input__legend">{t('write.rating')}</legend>
      {[1, 2, 3, 4, 5].map((n) => (
        <label key={n} className={`star-input__star${n <= value ? ' star-input__star--on' : ''}`}>
          <input
            type="radio"
            name={name}
            value={n}
            checked={value === n}
            onChange={() => onChange(n)}
            className="visually-hidden"
          />
          <span aria-hidden="true">★</span>
          <span className="visually-hidden">{t('stars', { n })}</span>
        </label>
      ))}
      <span className="star-input__word">{t(`ratingWord.${String(value) as '1' | '2' | '3' | '4' | '5'}`)}</span>
    </fieldset>
  );
}
