export * from './sharing-policy';
export * from './ledger';
export * from './verify';
