import { useTranslation } from 'react-i18next';
import { formatFen } from '../../../format';

export interface SplitPart {
  key: 'fees' | 'purchase' | 'dividend' | 'wages' | 'retained' | 'pending' | 'refunded';
  fen: number;
  label: string;
}

/** Where the money went, as one stacked bar with a legend (the amounts are in the legend, not only in colour). */
export function SplitBar({ parts }: { parts: SplitPart[] }) {
  const { i18n } = useTranslation('money');
  const shown = parts.filter((p) => p.fen > 0);
  const total = shown.reduce((s, p) => s + p.fen, 0);
  if (!total) return null;
  return (
    <figure className="split-bar">
      <div className="split-bar__track" aria-hidden="true">
        {shown.map((p) => (
          <span
            key={p.key}
            className={`split-bar__seg split-bar__seg--${p.key}`}
            style={{ width: `${(p.fen * 100) / total}%` }}
          />
        ))}
      </div>
      <figcaption>
        <ul className="split-bar__legend">
          {shown.map((p) => (
            <li key={p.key}>
              <span className={`split-bar__dot split-bar__seg--${p.key}`} aria-hidden="true" />
              <span>{p.label}</span> <strong>{formatFen(p.fen, i18n.language)}</strong>
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
