import { z } from 'zod';

/** A string that is an http or https URL (endpoints of providers, their offline stand-ins, the site's address). */
export const httpUrl = () =>
  z.string().refine((v) => {
    try {
      return ['http:', 'https:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'must be an http or https URL');
