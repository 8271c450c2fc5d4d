import type { MigrationInterface } from 'typeorm';
import { Orders1795384072347 } from './1795384072347-Orders';
import { Init1795382902816 } from './1795382902816-Init';
import { CooperativesRegistryCatalog1795383312373 } from './1795383312373-CooperativesRegistryCatalog';

/** Every migration in order; the list is explicit so the bundled API and the tests run exactly these. */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  Init1795382902816,
  CooperativesRegistryCatalog1795383312373,
  Orders1795384072347,
];
