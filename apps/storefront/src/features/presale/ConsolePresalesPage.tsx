import { hasRole, type ConsolePresale } from '@xiangbo/contracts';
import { parseYuan } from '@xiangbo/domain';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { useAuth } from '../../auth/auth-context';
import { apiFieldErrors } from '../../i18n/api-errors';
import { Field } from '../../forms/Field';
import { FormError } from '../../forms/FormError';
import { EmptyState, Loading } from '../../layout/common';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { useConsoleProducts } from '../catalog/hooks';
import { ConsoleShell } from '../console/ConsoleShell';
import { useMembers } from '../cooperatives/api';
import { formatDateTime, formatDay, formatFen } from '../../format';
import {
  useConsolePresaleOrders,
  useConsolePresales,
  useCreatePresale,
  usePresaleActions,
  useShipPresaleOrder,
} from './api';
import { presaleErrorMessage } from './errors';
import './presale.css';

/**
 * /console/:coopId/presales: the cooperative's pre-sales with their households' promises and orders; a new one
 * (product, deposit, balance, guaranteed purchase price, shipping window, each household's promise); 宣布丰收 (the
 * balance becomes due) and 取消预售 (every deposit refunded). Hosts read; admins act (the API checks both).
 */
export function ConsolePresalesPage() {
  const { t } = useTranslation('presale');
  useDocumentTitle(t('console.title'));
  return (
    <ConsoleShell section="presales" title={t('console.title')}>
      <Presales />
    </ConsoleShell>
  );
}

function Presales() {
  const { t } = useTranslation('presale');
  const { t: tc } = useTranslation();
  const { coopId = '' } = useParams();
  const { user } = useAuth();
  const canEdit = hasRole(user, 'coop_admin', coopId);
  const list = useConsolePresales(coopId);
  const [creating, setCreating] = useState(false);
  if (list.isPending) return <Loading />;
  if (list.isError)
    return (
      <p role="alert" className="form-error">
        {presaleErrorMessage(t, tc, list.error)}
      </p>
    );
  return (
    <div className="ps-console">
      {canEdit && !creating && (
        <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
          {t('console.new')}
        </button>
      )}
      {creating && <CreateForm coopId={coopId} onDone={() => setCreating(false)} />}
      {list.data.length === 0 ? (
        !creating && <EmptyState title={t('console.empty')} headingLevel={2} />
      ) : (
        <ul className="ps-console__list">
          {list.data.map((p) => (
            <PresaleItem key={p.id} p={p} coopId={coopId} canEdit={canEdit} />
          ))}
        </ul>
      )}
      <p className="muted">{t('console.shipHint')}</p>
    </div>
  );
}

function PresaleItem({ p, coopId, canEdit }: { p: ConsolePresale; coopId: string; canEdit: boolean }) {
  const { t, i18n } = useTranslation('presale');
  const { t: tc } = useTranslation();
  const lang = i18n.language;
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const { harvest, cancel } = usePresaleActions(coopId, p.id);
  const error = harvest.error ?? cancel.error;
  return (
    <li className="card ps-console__item" data-testid="console-presale">
      <h2 className="card__heading">
        <span className="ps-badge">{t(`console.status.${p.status}`)}</span> {p.productName}
      </h2>
      <p>
        {t('console.summary', {
          deposit: formatFen(p.depositFen, lang),
          balance: formatFen(p.balanceFen, lang),
          guaranteed: formatFen(p.guaranteedFen, lang),
          units: p.orders.units,
          cap: p.promisedUnits,
        })}
      </p>
      <p className="muted">
        {t('product.window', { from: formatDay(p.shipFrom, lang), to: formatDay(p.shipTo, lang) })}
        {p.balanceDueAt && ` · ${t('console.dueAt', { date: formatDateTime(p.balanceDueAt, lang) })}`}
      </p>
      <p className="muted">
        {t('product.promises')}：
        {p.promisedBy.map((x) => t('product.promise', { name: x.name, n: x.quantity })).join('、')}
      </p>
      <p>
        {t('console.orders', {
          deposit: p.orders.depositPaid,
          balance: p.orders.balancePaid,
          refunded: p.orders.refunded,
        })}
      </p>
      <FormError message={error ? presaleErrorMessage(t, tc, error) : null} />
      {canEdit && p.status === 'harvested' && <ShipList coopId={coopId} presaleId={p.id} />}
      {canEdit && p.status === 'open' && (
        <div className="ps-console__actions">
          <button
            type="button"
            className="button button--primary"
            data-testid="presale-harvest"
            disabled={harvest.isPending}
            onClick={() => {
              if (window.confirm(t('console.harvestConfirm', { days: p.balanceDays }))) harvest.mutate();
            }}
          >
            {t('console.harvest')}
          </button>
          {!cancelling ? (
            <button type="button" className="button button--secondary" onClick={() => setCancelling(true)}>
              {t('console.cancel')}
            </button>
          ) : (
            <form
              className="ps-form"
              onSubmit={(e) => {
                e.preventDefault();
                if (reason.trim()) cancel.mutate(reason);
              }}
            >
              <Field
                name={`cancel-${p.id}`}
                label={t('console.cancelReason')}
                value={reason}
                onValueChange={setReason}
                hint={t('console.cancelHint')}
                required
                maxLength={200}
              />
              <button type="submit" className="button button--secondary" disabled={cancel.isPending}>
                {t('console.cancelConfirm')}
              </button>
            </form>
          )}
        </div>
      )}
    </li>
  );
}

/** The pre-sale's orders ready to ship (harvest in, balance paid): both orders go out in one parcel. */
function ShipList({ coopId, presaleId }: { coopId: string; presaleId: string }) {
  const { t } = useTranslation('presale');
  const orders = useConsolePresaleOrders(coopId);
  const ready = [...(orders.data?.values() ?? [])].filter(
    (o) => o.presaleId === presaleId && o.role === 'deposit' && o.shippable,
  );
  // Shipped from here: kept in the list with 已发货 (the refetch no longer lists them as ready to ship), so the
  // admin sees the parcel went out instead of the form vanishing.
  const [shipped, setShipped] = useState<typeof ready>([]);
  const rows = [...ready, ...shipped.filter((s) => !ready.some((r) => r.orderId === s.orderId))];
  if (!rows.length) return null;
  return (
    <section aria-label={t('consoleOrder.shipHeading')}>
      <h3 className="ps-sheet__subhead">{t('consoleOrder.shipHeading')}</h3>
      <ul className="ps-console__list">
        {rows.map((o) => (
          <li key={o.orderId}>
            <ShipForm
              orderId={o.orderId}
              label={`${o.orderNumber} · ${o.productName} ×${o.quantity}`}
              onShipped={() => setShipped((list) => [...list, o])}
            />
          </li>
        ))}
      </ul>
    </section>
  );
}

function ShipForm({ orderId, label, onShipped }: { orderId: string; label: string; onShipped: () => void }) {
  const { t } = useTranslation('presale');
  const { t: to } = useTranslation('orders');
  const { t: tc } = useTranslation();
  const [carrier, setCarrier] = useState('');
  const [tracking, setTracking] = useState('');
  const ship = useShipPresaleOrder(orderId, { onSuccess: onShipped });
  const fields = ship.isError ? apiFieldErrors(ship.error) : {};
  return (
    <form
      className="ps-form"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        ship.mutate({ carrier, trackingNumber: tracking });
      }}
    >
      <p className="ps-sheet__subhead">{label}</p>
      <Field
        name={`carrier-${orderId}`}
        label={to('console.carrier')}
        value={carrier}
        onValueChange={setCarrier}
        maxLength={40}
        error={fields.carrier}
      />
      <Field
        name={`tracking-${orderId}`}
        label={to('console.tracking')}
        value={tracking}
        onValueChange={setTracking}
        maxLength={60}
        error={fields.trackingNumber}
      />
      <FormError
        message={ship.isError && !Object.keys(fields).length ? presaleErrorMessage(t, tc, ship.error) : null}
      />
      <button type="submit" className="button button--primary" disabled={ship.isPending || ship.isSuccess}>
        {ship.isSuccess ? t('consoleOrder.shipped') : t('consoleOrder.ship')}
      </button>
    </form>
  );
}

interface PromiseRow {
  householdId: string;
  quantity: string;
}

function CreateForm({ coopId, onDone }: { coopId: string; onDone: () => void }) {
  const { t } = useTranslation('presale');
  const { t: tc } = useTranslation();
  const products = useConsoleProducts(coopId);
  const members = useMembers(coopId, 'active', 1);
  const [productId, setProductId] = useState('');
  const [deposit, setDeposit] = useState('');
  const [balance, setBalance] = useState('');
  const [guaranteed, setGuaranteed] = useState('');
  const [shipFrom, setShipFrom] = useState('');
  const [shipTo, setShipTo] = useState('');
  const [balanceDays, setBalanceDays] = useState('7');
  const [promises, setPromises] = useState<PromiseRow[]>([{ householdId: '', quantity: '' }]);
  const [problems, setProblems] = useState<Record<string, string>>({});

  const create = useCreatePresale({ onSuccess: onDone, onError: (e) => setProblems(apiFieldErrors(e)) });

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const found: Record<string, string> = {};
    const fen = (name: string, text: string, min: number) => {
      const v = parseYuan(text);
      if (v === null || v < min) found[name] = tc('validation.required');
      return v ?? 0;
    };
    const depositFen = fen('depositFen', deposit, 1);
    const balanceFen = fen('balanceFen', balance || '0', 0);
    const guaranteedFen = fen('guaranteedFen', guaranteed, 0);
    if (!productId) found.productId = tc('validation.required');
    if (!shipFrom) found.shipFrom = tc('validation.required');
    if (!shipTo) found.shipTo = tc('validation.required');
    const rows = promises
      .filter((p) => p.householdId || p.quantity)
      .map((p) => ({ householdId: p.householdId, quantity: Number(p.quantity) }));
    if (!rows.length || rows.some((r) => !r.householdId || !Number.isInteger(r.quantity) || r.quantity < 1))
      found.promises = tc('validation.required');
    setProblems(found);
    if (Object.keys(found).length) return;
    create.mutate({
      productId,
      depositFen,
      balanceFen,
      guaranteedFen,
      shipFrom,
      shipTo,
      balanceDays: Number(balanceDays) || 7,
      promises: rows,
    });
  }

  const households = members.data?.items ?? [];
  return (
    <form className="card ps-form" onSubmit={onSubmit} noValidate aria-labelledby="ps-new-heading">
      <h2 id="ps-new-heading" className="card__heading">
        {t('console.new')}
      </h2>
      <div className="field">
        <label className="field__label" htmlFor="ps-product">
          {t('console.product')}
        </label>
        <select
          id="ps-product"
          className="field__input"
          value={productId}
          onChange={(e) => setProductId(e.target.value)}
          aria-invalid={problems.productId ? true : undefined}
        >
          <option value="">{t('console.chooseProduct')}</option>
          {(products.data ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.nameZh}
            </option>
          ))}
        </select>
        {problems.productId && <p className="field__error">{problems.productId}</p>}
      </div>
      <Field
        name="depositFen"
        label={t('console.deposit')}
        value={deposit}
        onValueChange={setDeposit}
        inputMode="decimal"
        error={problems.depositFen}
      />
      <Field
        name="balanceFen"
        label={t('console.balance')}
        value={balance}
        onValueChange={setBalance}
        inputMode="decimal"
        error={problems.balanceFen}
      />
      <Field
        name="guaranteedFen"
        label={t('console.guaranteed')}
        value={guaranteed}
        onValueChange={setGuaranteed}
        inputMode="decimal"
        error={problems.guaranteedFen}
      />
      <Field
        name="shipFrom"
        type="date"
        label={t('console.shipFrom')}
        value={shipFrom}
        onValueChange={setShipFrom}
        error={problems.shipFrom}
      />
      <Field
        name="shipTo"
        type="date"
        label={t('console.shipTo')}
        value={shipTo}
        onValueChange={setShipTo}
        error={problems.shipTo}
      />
      <Field
        name="balanceDays"
        label={t('console.balanceDays')}
        value={balanceDays}
        onValueChange={setBalanceDays}
        inputMode="numeric"
        error={problems.balanceDays}
      />
      <fieldset className="ps-form">
        <legend>{t('console.promises')}</legend>
        {promises.map((row, i) => (
          <div key={i} className="ps-form__promise">
            <div className="field">
              <label className="field__label" htmlFor={`ps-household-${i}`}>
                {t('console.household')}
              </label>
              <select
                id={`ps-household-${i}`}
                className="field__input"
                value={row.householdId}
                onChange={(e) =>
                  setPromises((old) => old.map((r, j) => (j === i ? { ...r, householdId: e.target.value } : r)))
                }
              >
                <option value="">{t('console.chooseHousehold')}</option>
                {households.map((h) => (
                  <option key={h.householdId} value={h.householdId}>
                    {h.headName} · {h.village}
                  </option>
                ))}
              </select>
            </div>
            <Field
              name={`promise-${i}`}
              label={t('console.quantity')}
              value={row.quantity}
              inputMode="numeric"
              onValueChange={(v) => setPromises((old) => old.map((r, j) => (j === i ? { ...r, quantity: v } : r)))}
            />
            <button
              type="button"
              className="button button--secondary"
              disabled={promises.length === 1}
              onClick={() => setPromises((old) => old.filter((_, j) => j !== i))}
            >
              {t('console.remove')}
            </button>
          </div>
        ))}
        {problems.promises && <p className="field__error">{problems.promises}</p>}
        <button
          type="button"
          className="button button--secondary"
          onClick={() => setPromises((old) => [...old, { householdId: '', quantity: '' }])}
        >
          {t('console.addPromise')}
        </button>
      </fieldset>
      <FormError message={create.isError ? presaleErrorMessage(t, tc, create.error) : null} />
      <button type="submit" className="button button--primary" disabled={create.isPending}>
        {create.isPending ? t('console.creating') : t('console.create')}
      </button>
    </form>
  );
}
