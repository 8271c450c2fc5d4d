export * from './sharing-policy';
export * from './ledger';
export * from './verify';
export * from './head';
export * from './money-rules';
export * from './registry';
