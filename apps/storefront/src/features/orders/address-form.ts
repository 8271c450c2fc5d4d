import { addressSchema, type AddressInput } from '@xiangbo/contracts';
import { fieldProblems, type FieldProblem } from '../../forms/validation';

/** The address form's fields, in form order (the first invalid one gets focus). */
export const ADDRESS_FIELDS = ['recipient', 'mobile', 'province', 'city', 'district', 'detail'] as const;
export type AddressField = (typeof ADDRESS_FIELDS)[number];
export type AddressValues = Record<AddressField, string>;

export const EMPTY_ADDRESS: AddressValues = {
  recipient: '',
  mobile: '',
  province: '',
  city: '',
  district: '',
  detail: '',
};

export type AddressCheck =
  { ok: true; address: AddressInput } | { ok: false; problems: Partial<Record<AddressField, FieldProblem>> };

/** Checks a typed address with the same zod schema the API uses; trimmed values on success. */
export function validateAddress(values: AddressValues): AddressCheck {
  const parsed = addressSchema.safeParse(values);
  if (parsed.success) return { ok: true, address: parsed.data };
  return { ok: false, problems: fieldProblems(parsed.error.issues) as Partial<Record<AddressField, FieldProblem>> };
}

/** "贵州省 黔东南州 雷山县 西江镇羊排村 12 号" */
export function addressLine(a: Pick<AddressInput, 'province' | 'city' | 'district' | 'detail'>): string {
  return [a.province, a.city, a.district, a.detail].filter(Boolean).join(' ');
}
