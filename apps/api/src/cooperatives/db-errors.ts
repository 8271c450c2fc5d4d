import { QueryFailedError } from 'typeorm';

/** True when `e` is PostgreSQL's unique violation (23505) of the named index or constraint. */
export function isUniqueViolation(e: unknown, constraint: string): boolean {
  if (!(e instanceof QueryFailedError)) return false;
  const d = (e as QueryFailedError & { driverError?: { code?: string; constraint?: string } }).driverError;
  return d?.code === '23505' && d.constraint === constraint;
}

/** Today's date in China (YYYY-MM-DD): dates of joining and leaving are local calendar dates. */
export function todayInChina(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);
}
