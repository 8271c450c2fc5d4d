import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import NodeMediaServer from 'node-media-server';
import Context, { type NmsSession } from 'node-media-server/src/core/context.js';
import nmsLogger from 'node-media-server/src/core/logger.js';
import FlvSession from 'node-media-server/src/session/flv_session.js';
import { APP_CONFIG, AppConfig } from '../config/config';
import { isLoopback } from './net';
import { Relay } from './relay';
import { VideoService } from './video.service';

/** How often relayed shows are checked against the database (show over, key reset) and their ingest sampled. */
const RECONCILE_MS = 2000;
const VIDEO_CODECS: Record<number, string> = { 7: 'H.264', 12: 'H.265', 13: 'AV1' };

interface ActiveStream {
  showId: string;
  playbackId: string;
  streamKey: string;
  session: NmsSession;
  relay: Relay;
  lastBytes: number;
  lastAt: number;
  fps: number;
  droppedFrames: number;
  stopping: boolean;
}

/**
 * The media server the start command brings up with the API: node-media-server's RTMP ingest, where every
 * publish is authorised by the API (VideoService) before anything is relayed. Hosts publish to
 * rtmp://…/live/<stream key>; an ffmpeg relay per show copies the stream to the public app
 * (/play/<playback id>, served to viewers as HTTP-FLV on the API's own port) and to HLS files, which are also
 * the recording. Viewers never see the key: /live may only be read from this machine, /play only be
 * published to by the relays (they carry a per-process token).
 * With MEDIA_SERVER=external it runs no server and only supervises: it cuts off publishes that must stop through
 * the external server's control API and indexes the recordings that server's relay writes into MEDIA_DIR.
 */
@Injectable()
export class EmbeddedMediaServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('MediaServer');
  private nms: NodeMediaServer | null = null;
  private readonly streams = new Map<string, ActiveStream>();
  private readonly finishing = new Set<string>();
  private readonly relayToken = randomBytes(16).toString('hex');
  private timer: NodeJS.Timeout | null = null;
  private readonly hlsRoot: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly video: VideoService,
  ) {
    this.hlsRoot = resolve(config.MEDIA_DIR, 'hls');
  }

  /** Whether this process serves video (embedded mode, ffmpeg found, RTMP listening). */
  get available(): boolean {
    return this.nms !== null;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.MEDIA_SERVER === 'external') {
      // Another server relays and records (into the shared MEDIA_DIR); this process only supervises.
      mkdirSync(this.hlsRoot, { recursive: true });
      this.timer = setInterval(() => void this.reconcileExternal(), RECONCILE_MS);
      return;
    }
    if (this.config.MEDIA_SERVER !== 'embedded') return;
    const probe = spawnSync(this.config.FFMPEG_PATH, ['-hide_banner', '-version'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      this.log.error(
        `ffmpeg was not found at "${this.config.FFMPEG_PATH}": live video is off. Install it (apt-get install ffmpeg) or set FFMPEG_PATH.`,
      );
      return;
    }
    // node-media-server ends the whole process when its port is taken; a second API process on this machine
    // (left at the default MEDIA_SERVER) must keep serving everything else instead.
    if (!(await portIsFree(this.config.MEDIA_BIND, this.config.RTMP_PORT))) {
      this.log.error(
        `RTMP port ${this.config.MEDIA_BIND}:${this.config.RTMP_PORT} is in use: live video is off in this process. Only one process may run MEDIA_SERVER=embedded; set MEDIA_SERVER=off (or external) on the others.`,
      );
      return;
    }
    mkdirSync(this.hlsRoot, { recursive: true });
    // Its constructor prints a banner with console.log at debug level; the API's own log says what matters.
    const consoleLog = console.log;
    console.log = () => undefined;
    let nms: NodeMediaServer;
    try {
      nms = new NodeMediaServer({
        bind: this.config.MEDIA_BIND,
        rtmp: { port: this.config.RTMP_PORT },
        record: { auto: false, path: resolve(this.config.MEDIA_DIR, 'nms-record') },
        store: { path: resolve(this.config.MEDIA_DIR, 'nms-store') },
        webadmin: { enable: false },
      });
    } finally {
      console.log = consoleLog;
    }
    // node-media-server logs every session at info level, stream keys included; only its errors are kept.
    nmsLogger.level = 'error';
    nms.on('prePublish', (s) => this.onPrePublish(s));
    nms.on('prePlay', (s) => this.onPrePlay(s));
    await nms.run();
    this.nms = nms;
    this.timer = setInterval(() => void this.reconcile(), RECONCILE_MS);
    this.log.log(`RTMP ingest on ${this.config.MEDIA_BIND}:${this.config.RTMP_PORT} (rtmp://…/live/<stream key>)`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const streams = [...this.streams.values()];
    for (const s of streams) s.stopping = true;
    await Promise.all(streams.map((s) => s.relay.stop()));
    await this.nms?.stop();
    this.nms = null;
  }

  /** GET /api/media/live/<playbackId>.flv — HTTP-FLV of a show that is on (404 otherwise). */
  playFlv(playbackId: string, req: IncomingMessage, res: ServerResponse): boolean {
    if (!this.nms || !/^[a-f0-9]{24}$/.test(playbackId)) return false;
    if (!Context.broadcasts.get(`/play/${playbackId}`)?.publisher) return false;
    res.setHeader('Content-Type', 'video/x-flv');
    res.setHeader('Cache-Control', 'no-store');
    Object.assign(req, { params: { app: 'play', name: playbackId } });
    const session = new FlvSession(req, res);
    session.run();
    Context.sessions.set(session.id, session as unknown as NmsSession);
    return true;
  }

  hlsDir(playbackId: string): string {
    return join(this.hlsRoot, playbackId);
  }

  // ---- publish and play decisions --------------------------------------------------------------------------

  private onPrePlay(s: NmsSession) {
    // The hosts' app is read by the relays only; the public app is open (its names are public playback ids).
    if (s.streamApp === 'play') return;
    if (s.streamApp === 'live' && isLoopback(addressOf(s.ip))) return;
    s.close();
  }

  private onPrePublish(s: NmsSession) {
    if (s.streamApp === 'play') {
      if (!(isLoopback(addressOf(s.ip)) && s.streamQuery?.relay === this.relayToken)) s.close();
      return;
    }
    if (s.streamApp !== 'live') return s.close();
    const current = Context.broadcasts.get(s.streamPath)?.publisher;
    const alreadyPublishing = Boolean(current && current !== s && !current.endTime);
    void this.video
      .authorisePublish(s.streamName, alreadyPublishing)
      .then(async (d) => {
        if (!d.ok) {
          this.log.warn(`publish refused (${d.reason})${d.showId ? ` for show ${d.showId}` : ''} from ${s.ip}`);
          s.close();
          return;
        }
        await this.startRelay(d.showId, d.playbackId, s);
      })
      .catch((e: unknown) => {
        this.log.error(`publish check failed: ${(e as Error).message}`);
        s.close();
      });
  }

  // ---- relays ----------------------------------------------------------------------------------------------

  private async startRelay(showId: string, playbackId: string, session: NmsSession) {
    const previous = this.streams.get(showId);
    if (previous) {
      previous.stopping = true;
      await previous.relay.stop();
    }
    // The relay reads the stream from its start: wait for the encoder's headers (at most 5 s).
    const path = session.streamPath;
    for (let i = 0; i < 50 && !Context.broadcasts.get(path)?.flvVideoHeader && !session.endTime; i++) {
      await sleep(100);
    }
    if (session.endTime) return;
    const port = this.config.RTMP_PORT;
    const relay = new Relay({
      ffmpeg: this.config.FFMPEG_PATH,
      input: `rtmp://127.0.0.1:${port}${path}`,
      flvOutput: `rtmp://127.0.0.1:${port}/play/${playbackId}?relay=${this.relayToken}`,
      hlsDir: this.hlsDir(playbackId),
      onProgress: (p) => {
        entry.fps = p.fps;
        entry.droppedFrames = p.droppedFrames;
      },
      onExit: (code, stderr) => void this.relayExited(entry, code, stderr),
    });
    const entry: ActiveStream = {
      showId,
      playbackId,
      streamKey: session.streamName,
      session,
      relay,
      lastBytes: session.inBytes,
      lastAt: Date.now(),
      fps: 0,
      droppedFrames: 0,
      stopping: false,
    };
    this.streams.set(showId, entry);
    await this.launch(entry);
  }

  /**
   * Starts (or restarts) the relay and tells viewers "on" once its public stream exists (HTTP-FLV answers from
   * then on). A relay that has produced nothing in 10 s is stopped, and so restarted while the host publishes.
   */
  private async launch(entry: ActiveStream) {
    entry.relay.start();
    const path = `/play/${entry.playbackId}`;
    for (let i = 0; i < 100 && !Context.broadcasts.get(path)?.publisher; i++) {
      if (!entry.relay.running || entry.stopping || this.streams.get(entry.showId) !== entry) return;
      await sleep(100);
    }
    if (!Context.broadcasts.get(path)?.publisher) {
      this.log.warn(`relay of show ${entry.showId} produced no stream in 10 s; restarting it`);
      void entry.relay.stop();
      return;
    }
    const { session } = entry;
    const codec = VIDEO_CODECS[session.videoCodec];
    const video = codec ? `${codec} ${session.videoWidth}×${session.videoHeight}` : null;
    await this.video.publishStarted(entry.showId, session.id, session.streamName, video);
  }

  private async relayExited(entry: ActiveStream, code: number | null, stderr: string) {
    if (this.streams.get(entry.showId) !== entry) return; // replaced by a newer publish
    const publisherAlive = !entry.session.endTime && Context.sessions.has(entry.session.id);
    if (!entry.stopping && publisherAlive) {
      const said = stderr.replaceAll(entry.streamKey, '••••').slice(-300); // ffmpeg names its input URL, key included
      this.log.warn(`relay of show ${entry.showId} stopped (code ${code}): ${said}; restarting`);
      await sleep(1000);
      if (this.streams.get(entry.showId) === entry && !entry.stopping) return this.launch(entry);
    }
    this.streams.delete(entry.showId);
    if (publisherAlive) entry.session.close();
    await this.video.publishEnded(entry.showId, entry.session.id).catch(() => undefined);
  }

  /** Cuts off publishers whose show is over or whose key was reset; samples ingest; closes finished recordings. */
  private async reconcile() {
    try {
      const entries = [...this.streams.values()].filter((e) => !e.stopping);
      const allowed = await this.video.stillAllowed(entries);
      const now = Date.now();
      for (const e of entries) {
        if (!allowed.has(e.showId)) {
          e.stopping = true;
          e.session.close();
          void e.relay.stop();
          continue;
        }
        const seconds = Math.max((now - e.lastAt) / 1000, 0.001);
        const bitrateKbps = Math.round(((e.session.inBytes - e.lastBytes) * 8) / 1000 / seconds);
        e.lastBytes = e.session.inBytes;
        e.lastAt = now;
        await this.video.ingestSample(e.showId, e.session.id, {
          receiving: true,
          bitrateKbps,
          fps: Math.round(e.fps * 10) / 10,
          droppedFrames: e.droppedFrames,
        });
      }
      await this.finishRecordings();
    } catch (e) {
      this.log.error(`media reconcile failed: ${(e as Error).message}`);
    }
  }

  /** External media server: cut off publishes that must stop (through its control API), close recordings. */
  private async reconcileExternal() {
    try {
      for (const p of await this.video.publishesToCut()) {
        if (this.config.MEDIA_API_URL) {
          const kick = new URL(`v3/rtmpconns/kick/${encodeURIComponent(p.sessionId)}`, `${this.config.MEDIA_API_URL}/`);
          await fetch(kick, { method: 'POST', signal: AbortSignal.timeout(3000) }).catch((e: unknown) =>
            this.log.warn(`could not cut off publish ${p.sessionId}: ${(e as Error).message}`),
          );
        }
        await this.video.publishEnded(p.showId, p.sessionId);
      }
      await this.finishRecordings();
    } catch (e) {
      this.log.error(`media reconcile failed: ${(e as Error).message}`);
    }
  }

  private async finishRecordings() {
    const done = await this.video.recordingsToFinish([...this.streams.keys()]);
    for (const r of done) {
      if (this.finishing.has(r.showId)) continue;
      this.finishing.add(r.showId);
      try {
        await this.video.recordingFinished(r.showId, this.closePlaylist(r.playbackId));
      } finally {
        this.finishing.delete(r.showId);
      }
    }
  }

  /** The recording's playlist, closed with EXT-X-ENDLIST if ffmpeg could not write it (killed). */
  private closePlaylist(playbackId: string): string | null {
    const file = join(this.hlsDir(playbackId), 'index.m3u8');
    if (!existsSync(file)) return null;
    let text = readFileSync(file, 'utf8');
    if (!text.includes('#EXT-X-ENDLIST')) {
      appendFileSync(file, `${text.endsWith('\n') ? '' : '\n'}#EXT-X-ENDLIST\n`);
      text = readFileSync(file, 'utf8');
    }
    return text;
  }
}

/** node-media-server's session ip is "address:port". */
const addressOf = (ip: string) => ip.replace(/:\d+$/, '');

function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
      .once('error', () => resolve(false))
      .listen(port, host, () => probe.close(() => resolve(true)));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
