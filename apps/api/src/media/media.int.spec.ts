import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ShowDetail, StreamSettings } from '@xiangbo/contracts';
import { createTestApp, insertCooperative, registerUser, TestApp, userWithRoles } from '../../test/test-app';
import { ask, bearer, joined, listen, liveShowFixture, sleep } from '../live/live.test-helpers';

/** A free TCP port for this file's RTMP server (jest runs files in parallel). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** OBS stand-in: ffmpeg's test pattern and a tone, H.264 + AAC over RTMP, in real time. */
function publish(url: string, seconds = 60): { proc: ChildProcess; exited: Promise<number | null> } {
  const proc = spawn(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-re'],
      ...[
        '-f',
        'lavfi',
        '-i',
        'testsrc=size=320x240:rate=25',
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=440:sample_rate=44100',
      ],
      ...['-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '25'],
      ...['-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '64k', '-f', 'flv', url],
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
  return { proc, exited };
}

/** Reads an HTTP body until `bytes` have arrived (or the server ends it); resolves with what came. */
function fetchBytes(url: string, bytes: number, ms = 15_000): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const req = get(url, (res) => {
      const done = () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) });
      };
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size >= bytes) done();
      });
      res.on('end', done);
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ status: -1, body: Buffer.concat(chunks) });
    }, ms);
    req.on('error', (e) => (size >= bytes ? undefined : reject(e)));
  });
}

async function until<T>(what: string, f: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** Within `ms`, or null if it is still running. */
async function exitWithin(p: Promise<number | null>, ms: number): Promise<number | null | 'running'> {
  let timer: NodeJS.Timeout | undefined;
  const running = new Promise<'running'>((resolve) => (timer = setTimeout(() => resolve('running'), ms)));
  try {
    return await Promise.race([p, running]);
  } finally {
    clearTimeout(timer);
  }
}

describe('live video (embedded RTMP server, ffmpeg relay, HTTP-FLV, HLS, recording)', () => {
  let t: TestApp;
  let port: number;
  let rtmpPort: number;
  let mediaDir: string;
  const publishers: ChildProcess[] = [];

  beforeAll(async () => {
    rtmpPort = await freePort();
    mediaDir = mkdtempSync(join(tmpdir(), 'xiangbo-media-'));
    t = await createTestApp({
      MEDIA_SERVER: 'embedded',
      RTMP_PORT: String(rtmpPort),
      MEDIA_DIR: mediaDir,
      MEDIA_BIND: '127.0.0.1',
    });
    port = await listen(t);
  });

  afterAll(async () => {
    for (const p of publishers) p.kill('SIGKILL');
    await t?.close();
    rmSync(mediaDir, { recursive: true, force: true });
  });

  const rtmp = (key: string) => `rtmp://127.0.0.1:${rtmpPort}/live/${key}`;
  const settingsOf = async (showId: string, token: string) =>
    (await t.http.get(`/api/console/shows/${showId}/stream`).set(bearer(token)).expect(200)).body as StreamSettings;
  const start = (url: string, seconds?: number) => {
    const p = publish(url, seconds);
    publishers.push(p.proc);
    return p;
  };

  it('shows the key only to the show’s host and coop_admin, and resets it', async () => {
    const { coop, host, show } = await liveShowFixture(t, { live: false });
    const s = await settingsOf(show.id, host.token);
    expect(s.serverUrl).toBe(`rtmp://127.0.0.1:${rtmpPort}/live`);
    expect(s.streamKey).toMatch(/^xb_[A-Za-z0-9]{32}$/);
    expect(s.publishUrl).toBe(`${s.serverUrl}/${s.streamKey}`);
    expect(s.available).toBe(true);
    expect((await settingsOf(show.id, host.token)).streamKey).toBe(s.streamKey); // stable until reset

    const admin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coop.id }]);
    expect((await settingsOf(show.id, admin.token)).streamKey).toBe(s.streamKey);
    const otherHost = await userWithRoles(t, [{ role: 'host', cooperativeId: coop.id }]);
    await t.http.get(`/api/console/shows/${show.id}/stream`).set(bearer(otherHost.token)).expect(403);
    const otherCoop = await insertCooperative(t);
    const foreign = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: otherCoop.id }]);
    await t.http.get(`/api/console/shows/${show.id}/stream`).set(bearer(foreign.token)).expect(404);
    const buyer = await registerUser(t);
    await t.http.get(`/api/console/shows/${show.id}/stream`).set(bearer(buyer.token)).expect(403);
    await t.http.post(`/api/console/shows/${show.id}/stream/reset-key`).set(bearer(foreign.token)).expect(404);

    const reset = (
      await t.http.post(`/api/console/shows/${show.id}/stream/reset-key`).set(bearer(host.token)).expect(200)
    ).body as StreamSettings;
    expect(reset.streamKey).not.toBe(s.streamKey);
    // The public show page never carries the key.
    const pub = await t.http.get(`/api/shows/${show.id}`).expect(200);
    expect(JSON.stringify(pub.body)).not.toContain(reset.streamKey);
  });

  it('refuses an unknown key and a show that is not live, and says why in the console', async () => {
    const bogus = start(rtmp('xb_thisKeyWasNeverIssuedByXiangbo00'), 20);
    expect(await exitWithin(bogus.exited, 15_000)).not.toBe('running');

    const { host, show } = await liveShowFixture(t, { live: false }); // scheduled an hour ahead
    const { streamKey } = await settingsOf(show.id, host.token);
    const early = start(rtmp(streamKey), 20);
    expect(await exitWithin(early.exited, 15_000)).not.toBe('running');
    const s = await settingsOf(show.id, host.token);
    expect(s.ingest.lastRefusal).toBe('SHOW_NOT_LIVE');
    expect(s.ingest.receiving).toBe(false);
  });

  it('relays a live show to HTTP-FLV and HLS, cuts off a reset key, and records the show for the replay with chapters', async () => {
    const { host, show, product } = await liveShowFixture(t);
    const { streamKey } = await settingsOf(show.id, host.token);
    const pub = start(rtmp(streamKey), 90);

    const detail = await until('the stream to be on', async () => {
      const d = (await t.http.get(`/api/shows/${show.id}`).expect(200)).body as ShowDetail;
      return d.video.state === 'on' && d;
    });
    expect(detail.video.flvUrl).toMatch(/^\/api\/media\/live\/[a-f0-9]{24}\.flv$/);
    expect(detail.video.hlsUrl).toMatch(/^\/api\/media\/hls\/[a-f0-9]{24}\/index\.m3u8$/);
    expect(detail.video.flvUrl).not.toContain(streamKey);

    // The room says so too (named-event and patch clients alike get it in show:state).
    const { s: socket, state } = await joined(port, show.id);
    expect(state.video).toEqual(detail.video);
    socket.disconnect();

    // HTTP-FLV: the FLV signature and then media, on the API's port.
    const flv = await fetchBytes(`http://127.0.0.1:${port}${detail.video.flvUrl}`, 60_000);
    expect(flv.status).toBe(200);
    expect(flv.body.subarray(0, 3).toString('latin1')).toBe('FLV');
    expect(flv.body.length).toBeGreaterThanOrEqual(60_000);

    // HLS: a playlist with segments that can be fetched.
    const playlist = await until('HLS segments', async () => {
      const r = await t.http.get(detail.video.hlsUrl!);
      return r.status === 200 && (r.text.match(/seg\d{5}\.ts/g) ?? []).length >= 2 && r.text;
    });
    expect(playlist).toContain('#EXT-X-PROGRAM-DATE-TIME');
    const seg = playlist.match(/seg\d{5}\.ts/)![0];
    const segment = await t.http.get(detail.video.hlsUrl!.replace('index.m3u8', seg)).buffer(true).expect(200);
    expect(segment.headers['content-type']).toBe('video/mp2t');
    await t.http.get(detail.video.hlsUrl!.replace('index.m3u8', '..%2F..%2Fetc%2Fpasswd')).expect(404);

    // Ingest figures in the console.
    const ingest = await until('ingest figures', async () => {
      const s = await settingsOf(show.id, host.token);
      return s.ingest.receiving && s.ingest.bitrateKbps > 0 && s.ingest.fps > 0 && s.ingest;
    });
    expect(ingest.video).toBe('H.264 320×240');

    // A second encoder with the same key is refused; the first keeps streaming.
    const twin = start(rtmp(streamKey), 20);
    expect(await exitWithin(twin.exited, 15_000)).not.toBe('running');
    expect((await settingsOf(show.id, host.token)).ingest).toMatchObject({
      receiving: true,
      lastRefusal: 'ALREADY_PUBLISHING',
    });
    expect(((await t.http.get(`/api/shows/${show.id}`).expect(200)).body as ShowDetail).video.state).toBe('on');

    // A pin while the stream runs becomes a chapter of the replay.
    const { s: hostSocket } = await joined(port, show.id, { token: host.token });
    expect((await ask(hostSocket, 'pin:set', { productId: product.id })).ok).toBe(true);
    await sleep(3000);

    // A reset key cuts the publisher off; the old key is refused from then on.
    await t.http.post(`/api/console/shows/${show.id}/stream/reset-key`).set(bearer(host.token)).expect(200);
    expect(await exitWithin(pub.exited, 15_000)).not.toBe('running');
    await until('the room to show the stream off', async () => {
      const d = (await t.http.get(`/api/shows/${show.id}`).expect(200)).body as ShowDetail;
      return d.video.state === 'waiting';
    });
    const stale = start(rtmp(streamKey), 20);
    expect(await exitWithin(stale.exited, 15_000)).not.toBe('running');

    // The host comes back with the new key; then the show ends and the publisher is cut off.
    const fresh = await settingsOf(show.id, host.token);
    const again = start(rtmp(fresh.streamKey), 90);
    await until('the stream to be back', async () => {
      const d = (await t.http.get(`/api/shows/${show.id}`).expect(200)).body as ShowDetail;
      return d.video.state === 'on';
    });
    await sleep(3000);
    hostSocket.disconnect();
    await t.http.post(`/api/console/shows/${show.id}/end`).set(bearer(host.token)).expect(200);
    expect(await exitWithin(again.exited, 15_000)).not.toBe('running');

    const ended = await until('the replay', async () => {
      const d = (await t.http.get(`/api/shows/${show.id}`).expect(200)).body as ShowDetail;
      return d.replay && d;
    });
    expect(ended.video).toEqual({ state: 'off', flvUrl: null, hlsUrl: null });
    expect(ended.replay!.url).toBe(detail.video.hlsUrl);
    expect(ended.replay!.durationSeconds).toBeGreaterThan(6);
    expect(ended.replay!.chapters).toEqual([
      expect.objectContaining({ productId: product.id, startSeconds: expect.any(Number) }),
    ]);
    expect(ended.replay!.chapters[0].startSeconds).toBeGreaterThan(0);
    expect(ended.replay!.chapters[0].startSeconds).toBeLessThan(ended.replay!.durationSeconds);
    const vod = await t.http.get(ended.replay!.url).expect(200);
    expect(vod.text).toContain('#EXT-X-ENDLIST');
    expect(vod.text).toContain('#EXT-X-DISCONTINUITY'); // the reconnect

    // Its key is dead now.
    const late = start(rtmp(fresh.streamKey), 20);
    expect(await exitWithin(late.exited, 15_000)).not.toBe('running');
    expect((await settingsOf(show.id, host.token)).ingest.lastRefusal).toBe('SHOW_NOT_LIVE');
  });

  it('a second process on the same RTMP port keeps serving, without video', async () => {
    const second = await createTestApp({
      MEDIA_SERVER: 'embedded',
      RTMP_PORT: String(rtmpPort),
      MEDIA_DIR: mediaDir,
      MEDIA_BIND: '127.0.0.1',
    });
    try {
      await second.http.get('/api/health').expect(200);
      const { host, show } = await liveShowFixture(second, { live: false });
      const s = (await second.http.get(`/api/console/shows/${show.id}/stream`).set(bearer(host.token)).expect(200))
        .body as StreamSettings;
      expect(s.available).toBe(false);
    } finally {
      await second.close();
    }
  });

  it('answers 404 for streams that are not on and for names that are not playback ids', async () => {
    await t.http.get('/api/media/live/0123456789abcdef01234567.flv').expect(404);
    await t.http.get('/api/media/live/xb_someStreamKey.flv').expect(404);
    await t.http.get('/api/media/hls/0123456789abcdef01234567/index.m3u8').expect(404);
  });
});
