/// <reference lib="webworker" />
/**
 * Verifies a ledger export in the browser, in this worker (the page stays responsive): the same domain code as the
 * CLI (`LedgerVerifier` of @xiangbo/domain, lines taken as bytes), the file read from disk in slices. Nothing is
 * sent anywhere: the worker has no network code at all; it posts progress and the result to the page.
 */
import { LedgerVerifier, parseHeadArgument } from '@xiangbo/domain';
import type { VerifyRequest, VerifyMessage } from './verify-protocol';

const scope = globalThis as unknown as DedicatedWorkerGlobalScope;
const post = (m: VerifyMessage) => scope.postMessage(m);

scope.onmessage = async (event: MessageEvent<VerifyRequest>) => {
  const { file, heads } = event.data;
  try {
    const verifier = new LedgerVerifier();
    heads.forEach((h, i) => verifier.expectHead(parseHeadArgument(h), i === heads.length - 1));
    const reader = file.stream().getReader();
    let carry = new Uint8Array(0);
    let read = 0;
    let lineNo = 0;
    let lastPost = 0;
    for (;;) {
      const { done, value } = await reader.read();
      const buf = done ? carry : concat(carry, value);
      // lines end at LF, CRLF or a lone CR (as the CLI reads them); a CR at the end may be the first half of CRLF
      let start = 0;
      const limit = buf.length;
      for (let i = 0; i < limit; i++) {
        const c = buf[i];
        if (c !== 10 && c !== 13) continue;
        if (c === 13 && i + 1 === limit && !done) break;
        verifier.pushBytes(buf, start, i, ++lineNo);
        if (c === 13 && buf[i + 1] === 10) i++;
        start = i + 1;
      }
      if (done) {
        if (start < buf.length) verifier.pushBytes(buf, start, buf.length, ++lineNo);
        break;
      }
      carry = buf.slice(start);
      read += value.length;
      const now = Date.now();
      if (now - lastPost > 100) {
        lastPost = now;
        post({ type: 'progress', read, total: file.size });
      }
      if (verifier.full) break;
    }
    post({ type: 'progress', read: file.size, total: file.size });
    post({ type: 'result', result: verifier.finish() });
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
};

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (!a.length) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
