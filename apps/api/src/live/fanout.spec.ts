import ws from 'ws';
import { textFrame } from './fanout';

/** Reads frames back with the `ws` library's own receiver (the parser every ws-based client uses). */
function readBack(frame: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    // the receiver is part of ws's CommonJS exports, not of its type definitions
    const { Receiver } = ws as unknown as {
      Receiver: new (o: { isServer: boolean }) => NodeJS.EventEmitter & { write(b: Buffer): void };
    };
    const r = new Receiver({ isServer: false });
    r.on('message', (data: Buffer, isBinary: boolean) =>
      isBinary ? reject(new Error('binary')) : resolve(data.toString()),
    );
    r.on('error', reject);
    r.write(frame);
  });
}

describe('textFrame', () => {
  it.each([0, 1, 125, 126, 127, 65_535, 65_536, 200_000])('a %i-byte text is one valid final text frame', async (n) => {
    const text = '直'.repeat(Math.floor(n / 3)) + 'x'.repeat(n % 3);
    const data = Buffer.from(text, 'utf8');
    expect(data.length).toBe(n);
    const frame = textFrame(data);
    expect(frame[0]).toBe(0x81); // FIN + text
    expect(frame[1] & 0x80).toBe(0); // server frames are not masked
    expect(await readBack(frame)).toBe(text);
  });
});
