export * from './money';
export * from './allocation';
export * from './privacy';
