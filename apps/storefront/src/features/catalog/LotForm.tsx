import { lotSupplyProblem, type CreateLotRequest, type MemberHousehold } from '@xiangbo/contracts';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../forms/Field';
import { FormError } from '../../forms/FormError';
import { StatusBadge } from './StatusBadge';
import './console-strings'; // the console's Chinese strings, merged into `catalog` (see there)

interface Row {
  key: number;
  householdId: string;
  quantity: string;
}

const toInt = (s: string): number | null => (/^\s*\d{1,9}\s*$/.test(s) ? Number(s) : null);

/** What the sum line says: the supplies against the lot quantity, and whether a household is listed twice. */
export function lotSumStatus(quantityText: string, rows: { householdId: string; quantity: string }[]) {
  const quantity = toInt(quantityText) ?? 0;
  const supplies = rows
    .filter((r) => r.householdId)
    .map((r) => ({ householdId: r.householdId, quantity: toInt(r.quantity) ?? 0 }));
  const total = rows.reduce((acc, r) => acc + (toInt(r.quantity) ?? 0), 0);
  const problem = lotSupplyProblem(quantity, supplies);
  const duplicate = problem?.kind === 'duplicate';
  const diff = quantity - total;
  const complete =
    quantity > 0 &&
    rows.length > 0 &&
    rows.every((r) => r.householdId && (toInt(r.quantity) ?? 0) > 0) &&
    !duplicate &&
    diff === 0;
  return { total, quantity, diff, duplicate, complete };
}

let nextKey = 1;
const today = () => new Date().toISOString().slice(0, 10);

/**
 * Records a lot: code, date, quantity, and the member households that supplied it with how much each.
 * The sum line checks live that the supplies add up to the lot; the server checks again.
 */
export function LotForm({
  households,
  unitLabel,
  pending,
  serverError,
  onSubmit,
}: {
  households: MemberHousehold[];
  unitLabel: string;
  pending: boolean;
  serverError: string | null;
  onSubmit: (body: CreateLotRequest) => void;
}) {
  const { t } = useTranslation('catalog');
  const formId = useId();
  const [code, setCode] = useState('');
  const [harvestDate, setHarvestDate] = useState(today());
  const [quantity, setQuantity] = useState('');
  const [note, setNote] = useState('');
  const [rows, setRows] = useState<Row[]>([{ key: nextKey++, householdId: '', quantity: '' }]);
  const [tried, setTried] = useState(false);
  const sum = lotSumStatus(quantity, rows);

  const setRow = (key: number, changes: Partial<Row>) =>
    setRows((old) => old.map((r) => (r.key === key ? { ...r, ...changes } : r)));

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setTried(true);
    if (!code.trim() || !harvestDate || !sum.complete) return;
    onSubmit({
      code: code.trim(),
      harvestDate,
      quantity: sum.quantity,
      note: note.trim(),
      supplies: rows.map((r) => ({ householdId: r.householdId, quantity: toInt(r.quantity) ?? 0 })),
    });
  }

  const sumClass = sum.complete ? 'lot-sum lot-sum--ok' : 'lot-sum lot-sum--bad';
  return (
    <form className="form card lot-form" onSubmit={submit} noValidate aria-labelledby={`${formId}-heading`}>
      <h2 id={`${formId}-heading`} className="card__heading">
        {t('lots.newLot')}
      </h2>
      <FormError message={serverError} />
      <div className="form-grid">
        <Field
          name="code"
          label={t('lots.code')}
          hint={t('lots.codeHint')}
          value={code}
          onValueChange={setCode}
          maxLength={40}
          error={tried && !code.trim() ? t('form.problems.required') : undefined}
          required
        />
        <Field
          name="harvestDate"
          label={t('lots.harvestDate')}
          type="date"
          max={today()}
          value={harvestDate}
          onValueChange={setHarvestDate}
          error={tried && !harvestDate ? t('form.problems.required') : undefined}
          required
        />
        <Field
          name="quantity"
          label={t('lots.quantity', { unit: unitLabel })}
          value={quantity}
          onValueChange={setQuantity}
          inputMode="numeric"
          error={tried && !(sum.quantity > 0) ? t('form.problems.stock') : undefined}
          required
        />
        <Field name="note" label={t('lots.note')} value={note} onValueChange={setNote} maxLength={300} />
      </div>

      <fieldset className="supplies">
        <legend className="field__label">{t('lots.supplies')}</legend>
        {rows.map((r, i) => {
          const picked = households.find((h) => h.id === r.householdId);
          return (
            <div key={r.key} className="supply-row" data-testid="supply-row">
              <div className="field">
                <label className="field__label" htmlFor={`${formId}-h-${r.key}`}>
                  {t('lots.household')} {i + 1}
                </label>
                <select
                  id={`${formId}-h-${r.key}`}
                  className="field__input"
                  value={r.householdId}
                  onChange={(e) => setRow(r.key, { householdId: e.target.value })}
                  aria-invalid={tried && !r.householdId ? true : undefined}
                >
                  <option value="">{t('lots.chooseHousehold')}</option>
                  {households.map((h) => (
                    <option key={h.id} value={h.id}>
                      {h.maskedName} · {h.village} · {t(`status.${h.status}`)}
                    </option>
                  ))}
                </select>
                {picked && <StatusBadge status={picked.status} />}
              </div>
              <div className="field supply-row__qty">
                <label className="field__label" htmlFor={`${formId}-q-${r.key}`}>
                  {t('lots.supplyQuantity', { unit: unitLabel })}
                </label>
                <input
                  id={`${formId}-q-${r.key}`}
                  className="field__input"
                  inputMode="numeric"
                  value={r.quantity}
                  onChange={(e) => setRow(r.key, { quantity: e.target.value })}
                />
              </div>
              <button
                type="button"
                className="button button--secondary button--small supply-row__remove"
                onClick={() => setRows((old) => old.filter((x) => x.key !== r.key))}
                disabled={rows.length === 1}
              >
                {t('lots.removeSupplier')}
              </button>
            </div>
          );
        })}
        <button
          type="button"
          className="button button--secondary"
          onClick={() => setRows((old) => [...old, { key: nextKey++, householdId: '', quantity: '' }])}
          disabled={rows.length >= households.length}
        >
          + {t('lots.addSupplier')}
        </button>
      </fieldset>

      <div className={sumClass} role="status" aria-live="polite" data-testid="lot-sum">
        <span>{t('lots.sum', { total: sum.total, quantity: sum.quantity })}</span>
        <strong>
          {sum.duplicate
            ? t('lots.duplicate')
            : sum.diff === 0 && sum.quantity > 0
              ? t('lots.sumOk')
              : sum.diff > 0
                ? t('lots.sumShort', { n: sum.diff })
                : sum.diff < 0
                  ? t('lots.sumOver', { n: -sum.diff })
                  : ''}
        </strong>
      </div>

      <button
        type="submit"
        className="button button--primary button--block"
        disabled={pending || !sum.complete}
        aria-busy={pending}
      >
        {t('lots.create')}
      </button>
    </form>
  );
}
