export * from './token-bucket';
export * from './chat';
export * from './deals';
export * from './ticker';
export * from './coalesce';
export * from './replay';
export * from './rolling';
