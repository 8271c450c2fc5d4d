import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { ReplayChapter, ShowProductDto, ShowReplay } from '@xiangbo/contracts';
import { formatFen } from '../../../format';
import { attachReplay } from './players';

/** 75 → "1:15", 3725 → "1:02:05". */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** The chapter playing at `t`: the last one that started, unless it has ended. */
export function chapterAt(chapters: readonly ReplayChapter[], t: number): ReplayChapter | null {
  let found: ReplayChapter | null = null;
  for (const c of chapters) if (c.startSeconds <= t + 0.25) found = c;
  return found && (found.endSeconds === null || t < found.endSeconds) ? found : null;
}

/**
 * The shoppable replay: the recording with the pin timeline as chapters. The product pinned at the moment
 * being watched appears under the video and can be bought or traced to its lot; tapping a chapter jumps to it.
 */
export function ReplayPlayer({ replay, products }: { replay: ShowReplay; products: ShowProductDto[] }) {
  const { t, i18n } = useTranslation('live');
  const ref = useRef<HTMLVideoElement>(null);
  const [time, setTime] = useState(0);
  const [unavailable, setUnavailable] = useState(false);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let detach: (() => void) | null = null;
    let cancelled = false;
    void attachReplay(el, replay.url).then((d) => {
      if (cancelled) return d?.();
      if (!d) setUnavailable(true);
      detach = d;
    });
    const onTime = () => setTime(el.currentTime);
    el.addEventListener('timeupdate', onTime);
    return () => {
      cancelled = true;
      el.removeEventListener('timeupdate', onTime);
      detach?.();
    };
  }, [replay.url]);

  const current = chapterAt(replay.chapters, time);
  const product = current ? products.find((p) => p.id === current.productId) : undefined;
  const seek = (c: ReplayChapter) => {
    const el = ref.current;
    if (!el) return;
    el.currentTime = c.startSeconds;
    void el.play().catch(() => undefined);
  };

  return (
    <section className="replay" aria-labelledby="replay-heading" data-testid="replay">
      <h2 id="replay-heading" className="section__heading">
        {t('replay.heading')} <span className="replay__length">{clock(replay.durationSeconds)}</span>
      </h2>
      <video
        ref={ref}
        className="replay__video"
        controls
        playsInline
        preload="metadata"
        aria-label={t('replay.heading')}
      />
      {unavailable && (
        <p role="alert" className="form-error">
          {t('replay.unsupported')}
        </p>
      )}
      {current && (
        <div className="replay__product" data-testid="replay-product" aria-live="polite">
          {product?.coverThumbUrl && <img src={product.coverThumbUrl} alt="" className="replay__thumb" />}
          <div className="replay__product-text">
            <strong>{current.productName}</strong>
            {product && <span>{formatFen(product.priceFen, i18n.language)}</span>}
          </div>
          <Link className="button button--primary" to={`/products/${current.productId}`}>
            {t('replay.buy')}
          </Link>
          <Link className="button" to={`/products/${current.productId}#trace`}>
            {t('replay.trace')}
          </Link>
        </div>
      )}
      {replay.chapters.length > 0 && (
        <ol className="chapters" aria-label={t('replay.chapters')} data-testid="replay-chapters">
          {replay.chapters.map((c) => (
            <li key={`${c.productId}-${c.startSeconds}`}>
              <button
                type="button"
                className={`chapters__item${current === c ? ' chapters__item--current' : ''}`}
                aria-current={current === c ? 'true' : undefined}
                onClick={() => seek(c)}
              >
                <time>{clock(c.startSeconds)}</time> <span>{c.productName}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
