import { useQueryClient } from '@tanstack/react-query';
import type { AddressDto, AddressInput } from '@xiangbo/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiClient } from '../../auth/auth-context';
import { Field } from '../../forms/Field';
import { focusFirstInvalid, type FieldProblem } from '../../forms/validation';
import {
  addressLine,
  ADDRESS_FIELDS,
  EMPTY_ADDRESS,
  validateAddress,
  type AddressField,
  type AddressValues,
} from './address-form';
import { ADDRESS_BOOK_KEY } from './address-book-key';
import { ordersApi, useAddressBook } from './api';

/** What a checkout's address section holds when the buyer submits. */
export type AddressChosen = { kind: 'saved'; address: AddressDto } | { kind: 'new'; address: AddressInput };

/**
 * The delivery address of a checkout (the cart's, a group's, a pre-sale's): the address book with its default
 * chosen, or the fields of a new address when the book is empty or the buyer adds one. `read` returns what to
 * send (null when the new address is invalid: its problems are shown and the first invalid field is focused);
 * `save` puts a new address in the book (the default when asked, or when it is the first) and selects it, so a
 * retry after a refusal does not save it twice.
 */
export function useAddressChoice() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  const addresses = useAddressBook();
  const [mode, setMode] = useState<'saved' | 'new' | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [values, setValues] = useState<AddressValues>(EMPTY_ADDRESS);
  const [makeDefault, setMakeDefault] = useState(false);
  const [problems, setProblems] = useState<Partial<Record<AddressField, FieldProblem>>>({});

  // Once the address book is known: its default (else its first), or the form when it is empty.
  useEffect(() => {
    if (!addresses.data || mode !== null) return;
    const first = addresses.data.find((a) => a.isDefault) ?? addresses.data[0];
    setMode(first ? 'saved' : 'new');
    setSelectedId(first?.id ?? null);
    if (!first) setMakeDefault(true);
  }, [addresses.data, mode]);

  const saved = addresses.data ?? [];

  function read(form: HTMLFormElement): AddressChosen | null {
    if (mode === 'saved') {
      const address = saved.find((a) => a.id === selectedId);
      return address ? { kind: 'saved', address } : null;
    }
    const check = validateAddress(values);
    if (!check.ok) {
      setProblems(check.problems);
      focusFirstInvalid(form, Object.keys(check.problems));
      return null;
    }
    setProblems({});
    return { kind: 'new', address: check.address };
  }

  async function save(address: AddressInput): Promise<AddressDto> {
    const stored = await ordersApi.saveAddress(client, { ...address, isDefault: makeDefault || !saved.length });
    void queryClient.invalidateQueries({ queryKey: ADDRESS_BOOK_KEY });
    setMode('saved');
    setSelectedId(stored.id);
    return stored;
  }

  return {
    isPending: addresses.isPending,
    ready: mode !== null,
    saved,
    mode,
    setMode,
    selectedId,
    setSelectedId,
    values,
    setValues,
    problems,
    makeDefault,
    setMakeDefault,
    read,
    save,
  };
}

export type AddressChoiceState = ReturnType<typeof useAddressChoice>;

/** The fields of a saved address a checkout sends (the order keeps its own copy). */
export function addressInputOf(a: AddressDto): AddressInput {
  return {
    recipient: a.recipient,
    mobile: a.mobile,
    province: a.province,
    city: a.city,
    district: a.district,
    detail: a.detail,
  };
}

/**
 * The section itself: the picker and 新增收货地址, or the fields (with 设为默认地址 where the checkout offers it)
 * and 使用已保存的地址. `serverErrors` are the API's field errors of the last attempt.
 */
export function AddressChoice({
  choice,
  addLabel,
  defaultToggle = false,
  serverErrors,
}: {
  choice: AddressChoiceState;
  addLabel: string;
  defaultToggle?: boolean;
  serverErrors?: Partial<Record<string, string>>;
}) {
  const { t } = useTranslation('orders');
  const { t: tc } = useTranslation();
  if (choice.mode === null) return null;
  if (choice.mode === 'saved' && choice.saved.length > 0) {
    return (
      <>
        <AddressPicker addresses={choice.saved} selectedId={choice.selectedId} onSelect={choice.setSelectedId} />
        <button type="button" className="button button--secondary" onClick={() => choice.setMode('new')}>
          {addLabel}
        </button>
      </>
    );
  }
  return (
    <>
      <AddressFields
        values={choice.values}
        onChange={(field, v) => choice.setValues((old) => ({ ...old, [field]: v }))}
        errorFor={(field) => {
          const p = choice.problems[field];
          return p ? tc(`validation.${p.key}`, p.values) : serverErrors?.[field];
        }}
      />
      {defaultToggle && (
        <label className="check-row">
          <input
            type="checkbox"
            checked={choice.makeDefault}
            onChange={(e) => choice.setMakeDefault(e.target.checked)}
          />
          <span>{t('checkout.setDefault')}</span>
        </label>
      )}
      {choice.saved.length > 0 && (
        <button type="button" className="button button--secondary" onClick={() => choice.setMode('saved')}>
          {t('checkout.useSaved')}
        </button>
      )}
    </>
  );
}

export function AddressPicker({
  addresses,
  selectedId,
  onSelect,
}: {
  addresses: AddressDto[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}) {
  const { t } = useTranslation('orders');
  return (
    <fieldset className="address-picker">
      <legend className="visually-hidden">{t('checkout.addressBook')}</legend>
      {addresses.map((a) => (
        <label key={a.id} className={`address-option${a.id === selectedId ? ' address-option--selected' : ''}`}>
          <input
            type="radio"
            name="addressId"
            value={a.id}
            checked={a.id === selectedId}
            onChange={() => onSelect(a.id)}
          />
          <span className="address-option__text">
            <span className="address-option__who">
              {a.recipient} <span className="muted">{a.mobile}</span>
              {a.isDefault && <span className="pill-default">{t('checkout.default')}</span>}
            </span>
            <span className="address-option__line">{addressLine(a)}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

const FIELD_INPUT: Record<
  AddressField,
  {
    autoComplete: string;
    inputMode?: 'tel';
    placeholder?: 'provincePlaceholder' | 'cityPlaceholder' | 'districtPlaceholder' | 'detailPlaceholder';
  }
> = {
  recipient: { autoComplete: 'name' },
  mobile: { autoComplete: 'tel-national', inputMode: 'tel' },
  province: { autoComplete: 'address-level1', placeholder: 'provincePlaceholder' },
  city: { autoComplete: 'address-level2', placeholder: 'cityPlaceholder' },
  district: { autoComplete: 'address-level3', placeholder: 'districtPlaceholder' },
  detail: { autoComplete: 'street-address', placeholder: 'detailPlaceholder' },
};

/** 收货人, 手机号, 省份, 城市, 区/县, 详细地址 with their errors. */
export function AddressFields({
  values,
  onChange,
  errorFor,
}: {
  values: AddressValues;
  onChange: (field: AddressField, value: string) => void;
  errorFor: (field: AddressField) => string | undefined;
}) {
  const { t } = useTranslation('orders');
  return (
    <div className="address-fields">
      {ADDRESS_FIELDS.map((field) => {
        const cfg = FIELD_INPUT[field];
        return (
          <div key={field} className={`address-fields__${field}`}>
            <Field
              name={field}
              label={t(`checkout.${field}`)}
              value={values[field]}
              onValueChange={(v) => onChange(field, v)}
              error={errorFor(field)}
              autoComplete={cfg.autoComplete}
              inputMode={cfg.inputMode}
              type={field === 'mobile' ? 'tel' : 'text'}
              placeholder={cfg.placeholder ? t(`checkout.${cfg.placeholder}`) : undefined}
            />
          </div>
        );
      })}
    </div>
  );
}
