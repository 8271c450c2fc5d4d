import { z } from 'zod';

import type { Role } from './roles';

// Roles and hasRole live in their own module without zod, so a storefront's first bundle can check roles
// without carrying the schemas.
export * from './roles';

/** Mainland mobile numbers: 11 digits starting 13–19. */
export const MOBILE_PATTERN = /^1[3-9]\d{9}$/;

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: 'must be an e-mail address' }));
const mobile = z.string().trim().regex(MOBILE_PATTERN, { message: 'must be an 11-digit mainland mobile number' });
export const passwordSchema = z
  .string()
  .min(8, { message: 'must be at least 8 characters' })
  .max(128, { message: 'must be at most 128 characters' });

export const registerRequestSchema = z
  .object({
    email: email.optional(),
    mobile: mobile.optional(),
    password: passwordSchema,
    displayName: z
      .string()
      .trim()
      .min(1, { message: 'is required' })
      .max(40, { message: 'must be at most 40 characters' }),
  })
  .refine((v) => Boolean(v.email || v.mobile), {
    message: 'an e-mail address or a mobile number is required',
    path: ['email'],
  });
export type RegisterRequest = z.infer<typeof registerRequestSchema>;

export const signInRequestSchema = z.object({
  /** E-mail address or mobile number. */
  identifier: z.string().trim().min(1, { message: 'is required' }).max(254),
  password: z.string().min(1, { message: 'is required' }).max(128),
});
export type SignInRequest = z.infer<typeof signInRequestSchema>;

export interface RoleGrant {
  role: Role;
  /** null for platform-wide roles. */
  cooperativeId: string | null;
  /** Name of that cooperative (in /me, for people; not in every internal check). */
  cooperativeName?: string | null;
}

export interface Me {
  id: string;
  email: string | null;
  mobile: string | null;
  displayName: string;
  roles: RoleGrant[];
  createdAt: string;
}

export interface AuthResponse {
  accessToken: string;
  /** Seconds until the access token expires; refresh before then with the cookie. */
  expiresIn: number;
  user: Me;
}

export const REFRESH_COOKIE = 'xb_refresh';

export const userSearchQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type UserSearchQuery = z.infer<typeof userSearchQuerySchema>;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
