import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import type { BrowserIngestServerMessage, ShowDetail } from '@xiangbo/contracts';
import { createTestApp, insertCooperative, registerUser, TestApp, userWithRoles } from '../../test/test-app';
import { listen, liveShowFixture, sleep } from '../live/live.test-helpers';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/**
 * What a phone’s MediaRecorder sends: H.264 + Opus in a Matroska stream (Chrome labels it video/webm), produced in real time by ffmpeg
 * (test pattern and a tone) and cut into chunks as they come.
 */
function recorder(seconds: number, onChunk: (b: Buffer) => void) {
  const p = spawn(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-re'],
      ...['-f', 'lavfi', '-i', 'testsrc=size=360x640:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440'],
      ...['-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '25'],
      ...['-pix_fmt', 'yuv420p', '-c:a', 'libopus', '-f', 'matroska', '-cluster_time_limit', '200', 'pipe:1'],
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  p.stdout.on('data', onChunk);
  return p;
}

async function until<T>(what: string, f: () => Promise<T | null | undefined | false>, ms = 25_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** Opens the ingest socket and sends the start message; resolves with the first answer and the socket. */
function openIngest(port: number, start: object): Promise<{ ws: WebSocket; first: BrowserIngestServerMessage }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/media/ingest`);
    ws.once('open', () => ws.send(JSON.stringify(start)));
    ws.once('message', (d) => resolve({ ws, first: JSON.parse(d.toString()) as BrowserIngestServerMessage }));
    ws.once('error', reject);
  });
}

describe('going live from the browser camera (WebSocket → ffmpeg → the embedded RTMP server)', () => {
  let t: TestApp;
  let port: number;
  let mediaDir: string;

  beforeAll(async () => {
    mediaDir = mkdtempSync(join(tmpdir(), 'xiangbo-ingest-'));
    t = await createTestApp({
      MEDIA_SERVER: 'embedded',
      RTMP_PORT: String(await freePort()),
      MEDIA_DIR: mediaDir,
      MEDIA_BIND: '127.0.0.1',
    });
    port = await listen(t);
  });

  afterAll(async () => {
    await t?.close();
    rmSync(mediaDir, { recursive: true, force: true });
  });

  const mimeType = 'video/webm;codecs=h264,opus';

  it('publishes the host’s camera chunks as the show’s stream, and a reconnect replaces the first connection', async () => {
    const { host, show } = await liveShowFixture(t);
    const { ws, first } = await openIngest(port, { type: 'start', token: host.token, showId: show.id, mimeType });
    expect(first).toEqual({ type: 'ready' });
    const stats: number[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as BrowserIngestServerMessage;
      if (m.type === 'stats') stats.push(m.bytes);
    });
    const rec = recorder(40, (c) => ws.readyState === WebSocket.OPEN && ws.send(c));
    try {
      const detail = await until('the stream to be on', async () => {
        const d = (await t.http.get(`/api/shows/${show.id}`).expect(200)).body as ShowDetail;
        return d.video.state === 'on' && d;
      });
      expect(detail.video.flvUrl).toMatch(/^\/api\/media\/live\/[a-f0-9]{24}\.flv$/);
      const flv = await fetch(`http://127.0.0.1:${port}${detail.video.flvUrl}`);
      expect(flv.status).toBe(200);
      const reader = flv.body!.getReader();
      const { value } = await reader.read();
      expect(Buffer.from(value!).subarray(0, 3).toString('latin1')).toBe('FLV');
      await reader.cancel();
      // The server tells the browser what arrived (its measure of the uplink).
      await until('stats', async () => stats.length >= 2 && stats.at(-1)! > 0);

      // The phone's connection drops and it reconnects: the new connection takes over the show's stream.
      const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
      const second = await openIngest(port, { type: 'start', token: host.token, showId: show.id, mimeType });
      expect(second.first).toEqual({ type: 'ready' });
      expect(await closed).toBe(4000);
      second.ws.close();
    } finally {
      rec.kill('SIGKILL');
      ws.terminate();
    }
  }, 90_000);

  it('refuses a buyer, a host of another cooperative, another host of the same one, and a bad token', async () => {
    const { coop, show } = await liveShowFixture(t);
    const buyer = await registerUser(t);
    const refused = async (token: string) => {
      const { ws, first } = await openIngest(port, { type: 'start', token, showId: show.id, mimeType });
      const code = await new Promise<number>((r) => ws.once('close', (c) => r(c)));
      return { first, code };
    };
    expect((await refused(buyer.token)).first).toMatchObject({ type: 'error', code: 'NOT_FOUND' });
    const foreignCoop = await insertCooperative(t);
    const foreign = await userWithRoles(t, [{ role: 'host', cooperativeId: foreignCoop.id }]);
    expect((await refused(foreign.token)).first).toMatchObject({ type: 'error', code: 'NOT_FOUND' });
    const otherHost = await userWithRoles(t, [{ role: 'host', cooperativeId: coop.id }]);
    expect((await refused(otherHost.token)).first).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
    const bad = await refused('not-a-token');
    expect(bad.first).toMatchObject({ type: 'error', code: 'NOT_SIGNED_IN' });
    expect(bad.code).toBe(4001);
    // Nothing was published for the show.
    const d = (await t.http.get(`/api/shows/${show.id}`).expect(200)).body as ShowDetail;
    expect(d.video.state).toBe('waiting');
  });

  it('refuses a show that is not live yet beyond the preview window, and a malformed start', async () => {
    const { host, show } = await liveShowFixture(t, { live: false }); // an hour ahead
    const { first } = await openIngest(port, { type: 'start', token: host.token, showId: show.id, mimeType });
    expect(first).toMatchObject({ type: 'error', code: 'REFUSED' });
    const bad = await openIngest(port, { type: 'start', token: host.token, showId: show.id, mimeType: 'text/html' });
    expect(bad.first).toMatchObject({ type: 'error', code: 'INVALID' });
  });
});
