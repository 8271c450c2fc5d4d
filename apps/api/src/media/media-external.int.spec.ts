import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ShowDetail, StreamSettings } from '@xiangbo/contracts';
import { createTestApp, TestApp } from '../../test/test-app';
import { ask, bearer, joined, listen, liveShowFixture, sleep } from '../live/live.test-helpers';

const SECRET = 'media-hook-secret-0123456789';

/**
 * An external media server (docker compose: MediaMTX) calls the API's hooks: authentication of publishes and
 * reads, stream ready / not ready; the API cuts a publish off through the server's control API (a stand-in
 * here) and indexes the recording the server's relay wrote into the shared MEDIA_DIR.
 */
describe('external media server hooks (MediaMTX shape)', () => {
  let t: TestApp;
  let port: number;
  let mediaDir: string;
  let control: Server;
  const kicked: string[] = [];

  beforeAll(async () => {
    control = createServer((req, res) => {
      if (req.method === 'POST' && req.url?.startsWith('/v3/rtmpconns/kick/'))
        kicked.push(req.url.split('/').pop() ?? '');
      res.end();
    });
    await new Promise<void>((r) => control.listen(0, '127.0.0.1', r));
    mediaDir = mkdtempSync(join(tmpdir(), 'xiangbo-media-ext-'));
    t = await createTestApp({
      MEDIA_SERVER: 'external',
      MEDIA_DIR: mediaDir,
      MEDIA_HOOK_SECRET: SECRET,
      MEDIA_HLS_URL_TEMPLATE: 'https://media.xiangbo.example/play/{playbackId}/index.m3u8',
      MEDIA_API_URL: `http://127.0.0.1:${(control.address() as { port: number }).port}`,
      RTMP_PUBLIC_URL: 'rtmp://live.xiangbo.example/live',
    });
    port = await listen(t);
  });

  afterAll(async () => {
    await t?.close();
    await new Promise((r) => control.close(r));
    rmSync(mediaDir, { recursive: true, force: true });
  });

  const hook = (path: string, body: object, secret = SECRET) =>
    t.http.post(`/api/media/hooks/${path}?secret=${encodeURIComponent(secret)}`).send(body);

  it('refuses callers without the shared secret', async () => {
    await hook('auth', { action: 'publish', path: 'live/x' }, 'wrong-secret-wrong-secret').expect(403);
    await t.http.post('/api/media/hooks/auth').send({ action: 'publish', path: 'live/x' }).expect(403);
    await hook('auth', { action: 'publish' }).expect(400);
  });

  it('authorises publishes by key and keeps the hosts’ streams from viewers', async () => {
    const { host, show } = await liveShowFixture(t);
    const s = (await t.http.get(`/api/console/shows/${show.id}/stream`).set(bearer(host.token)).expect(200))
      .body as StreamSettings;
    expect(s.serverUrl).toBe('rtmp://live.xiangbo.example/live');
    expect(s.available).toBe(true);
    const ok = await hook('auth', { action: 'publish', path: `live/${s.streamKey}`, ip: '203.0.113.9' }).expect(200);
    expect(ok.body.playbackId).toMatch(/^[a-f0-9]{24}$/);
    await hook('auth', { action: 'publish', path: 'live/xb_unknownKeyUnknownKey00000000' }).expect(401);
    await hook('auth', { action: 'read', path: `live/${s.streamKey}`, ip: '203.0.113.9' }).expect(401);
    await hook('auth', { action: 'read', path: `live/${s.streamKey}`, ip: '127.0.0.1' }).expect(200);
    await hook('auth', { action: 'read', path: `play/${ok.body.playbackId}`, ip: '203.0.113.9' }).expect(200);
    await hook('auth', { action: 'publish', path: `play/${ok.body.playbackId}`, ip: '203.0.113.9' }).expect(401);
    await hook('auth', { action: 'publish', path: `play/${ok.body.playbackId}`, ip: '127.0.0.1' }).expect(200);

    const { host: h2, show: notLive } = await liveShowFixture(t, { live: false });
    const k2 = (await t.http.get(`/api/console/shows/${notLive.id}/stream`).set(bearer(h2.token)).expect(200)).body
      .streamKey as string;
    await hook('auth', { action: 'publish', path: `live/${k2}` }).expect(401);
  });

  it('turns the room’s video on and off, cuts the publish off when the show ends and indexes the recording', async () => {
    const { host, show, product } = await liveShowFixture(t);
    const { streamKey } = (await t.http.get(`/api/console/shows/${show.id}/stream`).set(bearer(host.token)).expect(200))
      .body as StreamSettings;
    const sessionId = '1f0e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b';
    const ready = await hook('ready', { path: `live/${streamKey}`, id: sessionId }).expect(200);
    const playbackId = ready.text;
    expect(playbackId).toMatch(/^[a-f0-9]{24}$/);

    const on = (await t.http.get(`/api/shows/${show.id}`).expect(200)).body as ShowDetail;
    expect(on.video).toEqual({
      state: 'on',
      flvUrl: null,
      hlsUrl: `https://media.xiangbo.example/play/${playbackId}/index.m3u8`,
    });
    const { s: viewer, state } = await joined(port, show.id);
    expect(state.video.state).toBe('on');

    // The relay's recording in the shared folder: two minutes of 2-second segments from now on.
    const dir = join(mediaDir, 'hls', playbackId);
    mkdirSync(dir, { recursive: true });
    const t0 = Date.now() - 20_000;
    const lines = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-TARGETDURATION:2'];
    for (let i = 0; i < 60; i++) {
      lines.push(
        `#EXT-X-PROGRAM-DATE-TIME:${new Date(t0 + i * 2000).toISOString()}`,
        '#EXTINF:2.0,',
        `seg${String(i).padStart(5, '0')}.ts`,
      );
    }
    writeFileSync(join(dir, 'index.m3u8'), `${lines.join('\n')}\n`);
    const { s: hostSocket } = await joined(port, show.id, { token: host.token });
    expect((await ask(hostSocket, 'pin:set', { productId: product.id })).ok).toBe(true);
    hostSocket.disconnect();

    await t.http.post(`/api/console/shows/${show.id}/end`).set(bearer(host.token)).expect(200);
    for (let i = 0; i < 40 && !kicked.includes(sessionId); i++) await sleep(250);
    expect(kicked).toContain(sessionId);
    let ended: ShowDetail | null = null;
    for (let i = 0; i < 40; i++) {
      ended = (await t.http.get(`/api/shows/${show.id}`).expect(200)).body as ShowDetail;
      if (ended.replay) break;
      await sleep(250);
    }
    expect(ended?.video.state).toBe('off');
    expect(ended?.replay?.durationSeconds).toBe(120);
    expect(ended?.replay?.chapters).toEqual([
      expect.objectContaining({ productId: product.id, endSeconds: expect.any(Number) }),
    ]); // unpinned when the show ended
    expect(ended?.replay?.chapters[0].startSeconds).toBeGreaterThan(15);
    expect(ended?.replay?.chapters[0].startSeconds).toBeLessThan(40);

    await hook('not-ready', { path: `live/${streamKey}`, id: sessionId }).expect(200);
    viewer.disconnect();
  });

  it('a stream that goes away turns the video back to waiting', async () => {
    const { host, show } = await liveShowFixture(t);
    const { streamKey } = (await t.http.get(`/api/console/shows/${show.id}/stream`).set(bearer(host.token)).expect(200))
      .body as StreamSettings;
    const id = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    await hook('ready', { path: `live/${streamKey}`, id }).expect(200);
    await hook('not-ready', { path: `live/${streamKey}`, id }).expect(200);
    const d = (await t.http.get(`/api/shows/${show.id}`).expect(200)).body as ShowDetail;
    expect(d.video.state).toBe('waiting');
  });
});
