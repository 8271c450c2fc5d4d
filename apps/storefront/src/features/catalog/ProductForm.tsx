import { PRODUCT_CATEGORIES, PRODUCT_UNITS, PROVINCES } from '@xiangbo/contracts';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../forms/Field';
import { FormError } from '../../forms/FormError';
import {
  productRequestFrom,
  type ProductFormField,
  type ProductFormProblem,
  type ProductFormValues,
} from './product-form-values';
import type { CreateProductRequest } from '@xiangbo/contracts';
import './console-strings'; // the console's Chinese strings, merged into `catalog` (see there)

/** Create/edit form of a product. The parent sends the body (POST or PATCH) and shows the server's answer. */
export function ProductForm({
  initial,
  mode,
  pending,
  serverError,
  serverFieldErrors = {},
  onSubmit,
  footer,
  photosUploading = false,
}: {
  initial: ProductFormValues;
  mode: 'create' | 'edit';
  pending: boolean;
  /** Photos of a new product still uploading: saving waits for them. */
  photosUploading?: boolean;
  serverError: string | null;
  serverFieldErrors?: Record<string, string>;
  onSubmit: (body: CreateProductRequest) => void;
  footer?: ReactNode;
}) {
  const { t } = useTranslation('catalog');
  const [v, setV] = useState<ProductFormValues>(initial);
  const [problems, setProblems] = useState<Partial<Record<ProductFormField, ProductFormProblem>>>({});
  const set =
    <K extends ProductFormField>(field: K) =>
    (value: ProductFormValues[K]) =>
      setV((old) => ({ ...old, [field]: value }));
  const error = (f: ProductFormField): string | undefined => {
    const p = problems[f];
    if (p) return t(`form.problems.${p}`);
    return serverFieldErrors[f === 'price' ? 'priceFen' : f];
  };
  const unitLabel = t(`unit.${v.unit}`);

  /** Checks and sends the form; a draft (存为草稿) is sent unpublished whatever the switch says. */
  function send(form: HTMLFormElement, draft: boolean) {
    if (photosUploading) return;
    const result = productRequestFrom(draft ? { ...v, published: false } : v, mode);
    if (!result.ok) {
      setProblems(result.problems);
      const first = Object.keys(result.problems)[0];
      form.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      return;
    }
    setProblems({});
    onSubmit(result.body);
  }
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    send(e.currentTarget, false);
  }
  const blocked = pending || photosUploading;

  return (
    <form className="form card product-form" onSubmit={submit} noValidate>
      <FormError message={serverError} />
      <Field
        name="nameZh"
        label={t('form.nameZh')}
        value={v.nameZh}
        onValueChange={set('nameZh')}
        error={error('nameZh')}
        maxLength={80}
        required
      />
      <Field
        name="nameEn"
        label={t('form.nameEn')}
        value={v.nameEn}
        onValueChange={set('nameEn')}
        error={error('nameEn')}
        maxLength={120}
        lang="en"
      />
      <div className="form-grid">
        <SelectField
          name="category"
          label={t('form.category')}
          value={v.category}
          onChange={(x) => set('category')(x as ProductFormValues['category'])}
        >
          {PRODUCT_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t(`category.${c}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          name="unit"
          label={t('form.unit')}
          value={v.unit}
          onChange={(x) => set('unit')(x as ProductFormValues['unit'])}
        >
          {PRODUCT_UNITS.map((u) => (
            <option key={u} value={u}>
              {t(`unit.${u}`)}
            </option>
          ))}
        </SelectField>
        <Field
          name="price"
          label={t('form.price')}
          hint={t('form.priceHint', { unit: unitLabel })}
          value={v.price}
          onValueChange={set('price')}
          error={error('price')}
          inputMode="decimal"
          autoComplete="off"
          required
        />
        <Field
          name="stock"
          label={t('form.stock')}
          value={v.stock}
          onValueChange={set('stock')}
          error={error('stock')}
          inputMode="numeric"
          required
        />
      </div>
      <div className="form-grid">
        <SelectField
          name="originProvince"
          label={t('form.originProvince')}
          value={v.originProvince}
          onChange={set('originProvince')}
          error={error('originProvince')}
          hint={mode === 'create' ? t('form.originHint') : undefined}
        >
          <option value="">{t('form.chooseProvince')}</option>
          {PROVINCES.map(([full]) => (
            <option key={full} value={full}>
              {full}
            </option>
          ))}
        </SelectField>
        <Field
          name="originCounty"
          label={t('form.originCounty')}
          value={v.originCounty}
          onValueChange={set('originCounty')}
          error={error('originCounty')}
          maxLength={30}
        />
        <Field
          name="originVillage"
          label={t('form.originVillage')}
          value={v.originVillage}
          onValueChange={set('originVillage')}
          error={error('originVillage')}
          maxLength={30}
        />
        <Field
          name="shelfLifeDays"
          label={t('form.shelfLife')}
          value={v.shelfLifeDays}
          onValueChange={set('shelfLifeDays')}
          error={error('shelfLifeDays')}
          inputMode="numeric"
        />
      </div>
      <Field
        name="storage"
        label={t('form.storage')}
        placeholder={t('form.storagePlaceholder')}
        value={v.storage}
        onValueChange={set('storage')}
        error={error('storage')}
        maxLength={100}
      />
      <Field
        name="shippingRegions"
        label={t('form.shipping')}
        hint={t('form.shippingHint')}
        value={v.shippingRegions}
        onValueChange={set('shippingRegions')}
        error={error('shippingRegions')}
      />
      <div className="field">
        <label className="field__label" htmlFor="field-descriptionZh">
          {t('form.descriptionZh')}
        </label>
        <textarea
          id="field-descriptionZh"
          name="descriptionZh"
          className="field__input field__textarea"
          rows={5}
          maxLength={5000}
          value={v.descriptionZh}
          onChange={(e) => set('descriptionZh')(e.target.value)}
        />
      </div>
      <label className="switch">
        <input
          type="checkbox"
          name="published"
          checked={v.published}
          onChange={(e) => set('published')(e.target.checked)}
          aria-describedby="published-hint"
        />
        <span className="switch__label">{t('form.published')}</span>
      </label>
      <p id="published-hint" className="field__hint">
        {mode === 'create' ? t('form.publishedHintNew') : t('form.publishedHint')}
      </p>
      {photosUploading && (
        <p role="status" className="field__hint">
          {t('form.waitPhotos')}
        </p>
      )}
      <button type="submit" className="button button--primary button--block" disabled={blocked} aria-busy={pending}>
        {mode === 'create' ? t('form.create') : t('form.save')}
      </button>
      {mode === 'create' && (
        <button
          type="button"
          className="button button--secondary button--block"
          disabled={blocked}
          onClick={(e) => e.currentTarget.form && send(e.currentTarget.form, true)}
        >
          {t('form.saveDraft')}
        </button>
      )}
      {footer}
    </form>
  );
}

function SelectField({
  name,
  label,
  value,
  onChange,
  children,
  error,
  hint,
}: {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  children: ReactNode;
  error?: string;
  hint?: string;
}) {
  const id = `field-${name}`;
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <select
        id={id}
        name={name}
        className="field__input"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
      >
        {children}
      </select>
      {error ? (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : (
        hint && (
          <p className="field__hint" id={`${id}-hint`}>
            {hint}
          </p>
        )
      )}
    </div>
  );
}
