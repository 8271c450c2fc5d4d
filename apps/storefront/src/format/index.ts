/**
 * The storefront's one way to write money, dates (China time) and units. Pages on the first-load budget (home)
 * import the file they need (`format/show-time`, `format/place`, `format/money`) rather than this index.
 */
export * from './money';
export * from './date';
export * from './time';
export * from './units';
export * from './place';
