import { Elements, PaymentElement, useElements, useStripe } from '@stripe/react-stripe-js';
import { loadStripe, type Stripe } from '@stripe/stripe-js';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

// Stripe.js is fetched once per publishable key, and only when a Stripe payment is actually shown.
const stripes = new Map<string, Promise<Stripe | null>>();
function stripeFor(publishableKey: string): Promise<Stripe | null> {
  let p = stripes.get(publishableKey);
  if (!p) {
    p = loadStripe(publishableKey);
    stripes.set(publishableKey, p);
  }
  return p;
}

export interface StripePaymentProps {
  publishableKey: string;
  clientSecret: string;
  /** Where Stripe sends the buyer back after a redirect method (Alipay, WeChat Pay confirmations). */
  returnUrl: string;
  onPaid: () => void;
}

/** The Stripe Payment Element (card, Alipay, WeChat Pay as the account enables) for one PaymentIntent in CNY. */
export default function StripePayment({ publishableKey, clientSecret, returnUrl, onPaid }: StripePaymentProps) {
  const { i18n } = useTranslation();
  return (
    <Elements
      stripe={stripeFor(publishableKey)}
      options={{ clientSecret, locale: i18n.language.startsWith('en') ? 'en' : 'zh' }}
    >
      <PaymentForm returnUrl={returnUrl} onPaid={onPaid} />
    </Elements>
  );
}

function PaymentForm({ returnUrl, onPaid }: { returnUrl: string; onPaid: () => void }) {
  const { t } = useTranslation('orders');
  const stripe = useStripe();
  const elements = useElements();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!stripe || !elements) return;
    setBusy(true);
    setMessage(null);
    const result = await stripe.confirmPayment({
      elements,
      confirmParams: { return_url: returnUrl },
      redirect: 'if_required',
    });
    setBusy(false);
    if (result.error) {
      setMessage(result.error.message ?? t('pay.stripe.unavailable'));
      return;
    }
    if (result.paymentIntent.status === 'processing') setMessage(t('pay.stripe.processing'));
    onPaid();
  }

  return (
    <form onSubmit={(e) => void onSubmit(e)} className="form">
      <PaymentElement />
      {message && (
        <p role="alert" className="field__error">
          {message}
        </p>
      )}
      <button type="submit" className="button button--buy button--block" disabled={!stripe || busy}>
        {busy ? t('pay.stripe.paying') : t('pay.stripe.pay')}
      </button>
    </form>
  );
}
