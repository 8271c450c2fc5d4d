import type { RecordPayoutResponse } from '@xiangbo/contracts';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatFen } from './format';

/** The household's page address from the path the API returned (`/h/<token>`). */
export function absoluteLink(path: string, origin: string = window.location.origin): string {
  return `${origin}${path}`;
}

/**
 * Shown once after a payment is recorded: the household's one-time link (text + QR code), the 6-digit code and
 * a message ready to send by SMS or WeChat, or to print. Neither can be shown again: only hashes are stored.
 */
export function OneTimeLink({
  result,
  cooperativeName,
  onDone,
}: {
  result: RecordPayoutResponse;
  cooperativeName: string;
  onDone: () => void;
}) {
  const { t, i18n } = useTranslation('money');
  const url = absoluteLink(result.link);
  const codeUrl = absoluteLink(`/h/code?p=${result.payout.id}`);
  const [qr, setQr] = useState<string | null>(null);
  const [copied, setCopied] = useState<'link' | 'message' | null>(null);
  const amount = formatFen(result.payout.amountFen, i18n.language);
  const message = t('payouts.oneTime.message', {
    coop: cooperativeName,
    amount,
    channel: result.payout.channel ? t(`payouts.channels.${result.payout.channel}`) : '',
    url,
    codeUrl,
    code: result.code,
  });

  useEffect(() => {
    let live = true;
    QRCode.toDataURL(url, { margin: 1, width: 220, errorCorrectionLevel: 'M' })
      .then((data) => live && setQr(data))
      .catch(() => live && setQr(null));
    return () => {
      live = false;
    };
  }, [url]);

  const copy = async (what: 'link' | 'message') => {
    try {
      await navigator.clipboard.writeText(what === 'link' ? url : message);
      setCopied(what);
    } catch {
      setCopied(null);
    }
  };

  return (
    <section className="one-time card" aria-labelledby="one-time-title" data-testid="one-time-link">
      <h3 id="one-time-title" className="card__heading">
        {t('payouts.oneTime.title', { name: result.payout.householdNameMasked, amount })}
      </h3>
      <p className="one-time__warning" role="note">
        {t('payouts.oneTime.warning')}
      </p>
      <div className="one-time__grid">
        {qr && <img className="one-time__qr" src={qr} width={220} height={220} alt={t('payouts.oneTime.qrAlt')} />}
        <dl className="one-time__facts">
          <dt>{t('payouts.oneTime.link')}</dt>
          <dd>
            <code className="one-time__url">{url}</code>
          </dd>
          <dt>{t('payouts.oneTime.code')}</dt>
          <dd>
            <strong className="one-time__code" data-testid="one-time-code">
              {result.code}
            </strong>
            <span className="field__hint">{t('payouts.oneTime.codeHint', { url: codeUrl })}</span>
          </dd>
        </dl>
      </div>
      <label className="field">
        <span className="field__label">{t('payouts.oneTime.messageLabel')}</span>
        <textarea className="field__input one-time__message" readOnly rows={4} value={message} />
      </label>
      <div className="button-row no-print">
        <button type="button" className="button button--secondary" onClick={() => void copy('link')}>
          {copied === 'link' ? t('payouts.oneTime.copied') : t('payouts.oneTime.copyLink')}
        </button>
        <button type="button" className="button button--secondary" onClick={() => void copy('message')}>
          {copied === 'message' ? t('payouts.oneTime.copied') : t('payouts.oneTime.copyMessage')}
        </button>
        <button type="button" className="button button--secondary" onClick={() => window.print()}>
          {t('payouts.oneTime.print')}
        </button>
        <button type="button" className="button button--primary" onClick={onDone}>
          {t('payouts.oneTime.done')}
        </button>
      </div>
    </section>
  );
}
