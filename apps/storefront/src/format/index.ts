/**
 * The storefront's one way to write money, dates (China time) and units. Pages on the first-load budget (home)
 * import the file they need (`format/time`, `format/units`) rather than this index.
 */
export * from './money';
export * from './date';
export * from './time';
export * from './units';
