import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ChildProcess, spawn } from 'node:child_process';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import {
  BROWSER_INGEST_PATH,
  browserIngestStartSchema,
  type BrowserIngestErrorCode,
  type BrowserIngestServerMessage,
} from '@xiangbo/contracts';
import { Principal } from '../auth/principal';
import { TokensService } from '../auth/tokens.service';
import { AppException } from '../common/app.exception';
import { APP_CONFIG, AppConfig } from '../config/config';
import { UsersService } from '../users/users.service';
import { EmbeddedMediaServer } from './embedded-media-server';
import { VideoService } from './video.service';

/** The first message must come this soon after the connection opens. */
const START_TIMEOUT_MS = 5000;
/** No media for this long: the browser is gone (its uplink died without closing the socket). */
const IDLE_MS = 8000;
const STATS_MS = 1000;
/** A chunk bigger than this is not a MediaRecorder timeslice. */
const MAX_CHUNK_BYTES = 4 * 1024 * 1024;

interface IngestSession {
  showId: string;
  ws: WebSocket;
  ffmpeg: ChildProcess;
  exited: Promise<void>;
}

/**
 * Going live from the phone's browser: the host console records the camera with MediaRecorder (H.264 + Opus in
 * WebM where the browser can, which Chrome on Android and desktop can; fragmented MP4 on Safari) and sends the
 * chunks over a WebSocket at /api/media/ingest. Here one ffmpeg per host connection re-wraps them as RTMP (video
 * copied, audio to AAC) and publishes to the media server's host app with the show's own stream key, so from
 * there on the stream is exactly an OBS stream: the same publish decision, relay, HTTP-FLV/HLS and recording, in
 * the embedded server (`npm start`) and in MediaMTX (docker compose, MEDIA_INGEST_RTMP_URL).
 *
 * The first text message carries the access token and the show (a WebSocket from a browser cannot send an
 * Authorization header, and a URL would put the token in logs); only the show's host or its coop_admins get its
 * key. A new connection of the same show replaces the previous one (a reconnect after a drop, or a lower quality
 * step), so the media server never sees two publishers.
 */
@Injectable()
export class BrowserIngest implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('BrowserIngest');
  private wss: WebSocketServer | null = null;
  private server: Server | null = null;
  private readonly sessions = new Map<string, IngestSession>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly video: VideoService,
    private readonly media: EmbeddedMediaServer,
    private readonly tokens: TokensService,
    private readonly users: UsersService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.MEDIA_SERVER === 'off') return;
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server) return;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CHUNK_BYTES, perMessageDeflate: false });
    this.wss.on('connection', (ws) => this.connected(ws));
    this.server = server;
    server.on('upgrade', this.onUpgrade);
  }

  async onApplicationShutdown(): Promise<void> {
    this.server?.off('upgrade', this.onUpgrade);
    const sessions = [...this.sessions.values()];
    for (const ws of this.wss?.clients ?? []) ws.terminate();
    await Promise.all(sessions.map((s) => this.stop(s)));
    this.wss?.close();
    this.wss = null;
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== BROWSER_INGEST_PATH || !this.wss) return; // socket.io's own upgrades
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss?.emit('connection', ws, req));
  };

  private connected(ws: WebSocket) {
    let session: IngestSession | null = null;
    let starting = false;
    let bytes = 0;
    let lastData = Date.now();
    const startTimer = setTimeout(
      () => refuse(ws, 'INVALID', 'the first message must say which show'),
      START_TIMEOUT_MS,
    );
    const stats = setInterval(() => {
      if (!session) return;
      if (Date.now() - lastData > IDLE_MS) return void ws.terminate();
      send(ws, { type: 'stats', bytes });
    }, STATS_MS);

    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) {
        if (session || starting) return;
        starting = true;
        clearTimeout(startTimer);
        void this.start(ws, data.toString())
          .then((s) => {
            if (ws.readyState !== WebSocket.OPEN) return void this.stop(s);
            session = s;
            lastData = Date.now();
            send(ws, { type: 'ready' });
          })
          .catch((e: unknown) => {
            if (!(e instanceof IngestRefusal || e instanceof AppException))
              this.log.error(`ingest start failed: ${(e as Error).message}`);
            const code = e instanceof IngestRefusal ? e.code : ingestCodeOf(e);
            refuse(ws, code, (e as Error).message);
          });
        return;
      }
      if (!session) return; // media before the show is known is dropped
      const chunk = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      bytes += chunk.length;
      lastData = Date.now();
      if (session.ffmpeg.stdin?.writable) session.ffmpeg.stdin.write(chunk);
    });
    ws.on('close', () => {
      clearTimeout(startTimer);
      clearInterval(stats);
      if (session) void this.stop(session);
    });
    ws.on('error', () => ws.terminate());
  }

  /** Who is asking, for which show, and the ffmpeg that publishes their stream. */
  private async start(ws: WebSocket, text: string): Promise<IngestSession> {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new IngestRefusal('INVALID', 'the first message must be JSON');
    }
    const parsed = browserIngestStartSchema.safeParse(json);
    if (!parsed.success) throw new IngestRefusal('INVALID', 'a token, a show id and the recording type are required');
    const { token, showId, mimeType } = parsed.data;
    const userId = await this.tokens.verifyAccessToken(token);
    const roles = userId ? await this.users.rolesOf(userId) : [];
    if (!userId || !roles.length) throw new IngestRefusal('NOT_SIGNED_IN', 'the access token is invalid or expired');
    const available = this.config.MEDIA_SERVER === 'external' || this.media.available;
    // The stream panel's own check: the show's host and its coop_admins only (404/403 for everybody else).
    const settings = await this.video.settings(new Principal(userId, roles), showId, 'localhost', available);
    if (!settings.available) throw new IngestRefusal('UNAVAILABLE', 'live video is off on this server');
    const decision = await this.video.authorisePublish(settings.streamKey, false);
    if (!decision.ok) throw new IngestRefusal('REFUSED', `publish refused: ${decision.reason}`);

    const previous = this.sessions.get(showId);
    if (previous) {
      previous.ws.close(4000, 'replaced by a newer connection');
      await this.stop(previous);
    }
    const base = (this.config.MEDIA_INGEST_RTMP_URL ?? `rtmp://127.0.0.1:${this.config.RTMP_PORT}/live`).replace(
      /\/$/,
      '',
    );
    const ffmpeg = spawn(this.config.FFMPEG_PATH, ffmpegArgs(mimeType, `${base}/${settings.streamKey}`), {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    ffmpeg.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    ffmpeg.stdin?.on('error', () => undefined); // EPIPE when ffmpeg has gone: its exit handler says why
    const session: IngestSession = {
      showId,
      ws,
      ffmpeg,
      exited: new Promise((resolve) => ffmpeg.once('exit', () => resolve())),
    };
    ffmpeg.once('exit', (code) => {
      if (this.sessions.get(showId) === session) this.sessions.delete(showId);
      if (ws.readyState === WebSocket.OPEN) {
        const said = stderr.replaceAll(settings.streamKey, '••••').trim().slice(-200);
        if (code !== 0) this.log.warn(`browser ingest of show ${showId} stopped (code ${code}): ${said}`);
        ws.close(1011, 'the media server stopped the stream');
      }
    });
    this.sessions.set(showId, session);
    this.log.log(`browser camera of show ${showId} publishing (${mimeType})`);
    return session;
  }

  private async stop(s: IngestSession) {
    if (this.sessions.get(s.showId) === s) this.sessions.delete(s.showId);
    if (s.ffmpeg.exitCode !== null || s.ffmpeg.signalCode !== null) return;
    s.ffmpeg.stdin?.end();
    const killer = setTimeout(() => s.ffmpeg.kill('SIGKILL'), 1500);
    await s.exited;
    clearTimeout(killer);
  }
}

class IngestRefusal extends Error {
  constructor(
    readonly code: BrowserIngestErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function ingestCodeOf(e: unknown): BrowserIngestErrorCode {
  if (e instanceof AppException) {
    if (e.status === 404) return 'NOT_FOUND';
    if (e.status === 403) return 'FORBIDDEN';
    if (e.status === 401) return 'NOT_SIGNED_IN';
  }
  return 'INTERNAL';
}

function send(ws: WebSocket, m: BrowserIngestServerMessage) {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(m));
}

function refuse(ws: WebSocket, code: BrowserIngestErrorCode, message: string) {
  send(ws, { type: 'error', code, message });
  ws.close(4001, code);
}

/**
 * Re-wrap, never re-encode H.264 (a 2-core machine serves many hosts): the recorder's video is copied, Opus
 * (which FLV cannot carry) becomes AAC. VP8/VP9 (a browser without an H.264 encoder) is encoded once, fast.
 */
export function ffmpegArgs(mimeType: string, output: string): string[] {
  const h264 = /avc1|h264/i.test(mimeType);
  return [
    ...['-hide_banner', '-loglevel', 'error', '-nostats'],
    // Start from the first chunk: no probing beyond the container's own header.
    ...['-fflags', '+nobuffer+genpts', '-probesize', '32768', '-analyzeduration', '0'],
    ...['-thread_queue_size', '64', '-i', 'pipe:0'],
    ...['-map', '0:v:0', '-map', '0:a:0?'],
    ...(h264
      ? ['-c:v', 'copy']
      : ['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '50', '-pix_fmt', 'yuv420p']),
    ...['-c:a', 'aac', '-b:a', '64k', '-ar', '44100'],
    ...['-flvflags', 'no_duration_filesize', '-f', 'flv', output],
  ];
}
