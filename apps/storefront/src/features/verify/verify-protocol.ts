import type { VerifyResult } from '@xiangbo/domain';

/** The page → worker request: the file (never uploaded) and the published heads to check it against. */
export interface VerifyRequest {
  file: File;
  /** `SEQ:HASH`, oldest first; the last is the newest head. */
  heads: string[];
}

export type VerifyMessage =
  | { type: 'progress'; read: number; total: number }
  | { type: 'result'; result: VerifyResult }
  | { type: 'error'; message: string };
