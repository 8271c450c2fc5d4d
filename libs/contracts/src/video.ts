import { z } from 'zod';

/**
 * Live video of a show: RTMP ingest with a per-show stream key, low-latency HTTP-FLV playback with HLS as the
 * fallback, and the recording (the show's HLS playlist, closed when the show ends) played back as the replay.
 * Video never travels over socket.io; the room only says whether the stream is on (`ShowState.video`).
 */
/** What a viewer needs to play the show. URLs are same-origin paths unless an external media server is used. */
export interface ShowVideo {
  /** `waiting`: live show, the host's stream has not arrived (or dropped); `on`: playable now; `off`: not live. */
  state: 'waiting' | 'on' | 'off';
  /** HTTP-FLV (mpegts.js), about one second behind the host. */
  flvUrl: string | null;
  /** HLS, a few seconds behind; for players without Media Source Extensions (iOS Safari) and as the fallback. */
  hlsUrl: string | null;
}

/** A product's stretch of the replay, from its pin timeline. */
export interface ReplayChapter {
  productId: string;
  productName: string;
  /** Seconds from the start of the recording. */
  startSeconds: number;
  endSeconds: number | null;
}

/** The recording of an ended show. */
export interface ShowReplay {
  /** HLS VOD playlist. */
  url: string;
  durationSeconds: number;
  chapters: ReplayChapter[];
}

/** What the media server saw of the host's stream during the last seconds (host console only). */
export interface IngestStatus {
  receiving: boolean;
  /** When the current publish began. */
  since: string | null;
  bitrateKbps: number;
  fps: number;
  /** Frames the relay had to drop since the publish began. */
  droppedFrames: number;
  /** Video codec and size as announced by the encoder, e.g. "H.264 1280×720". */
  video: string | null;
  /** Why the last publish attempt with this show's key was refused, if it was. */
  lastRefusal: string | null;
  updatedAt: string | null;
}

/** The host console's stream panel. The key is shown only to those who may run the show. */
export interface StreamSettings {
  /** OBS "Server". */
  serverUrl: string;
  /** OBS "Stream key". */
  streamKey: string;
  /** Full URL for phone apps that take one field. */
  publishUrl: string;
  ingest: IngestStatus;
  recording: 'none' | 'recording' | 'ready';
  /** Whether this deployment runs a media server at all. */
  available: boolean;
}

/** Encoder settings that suit the relay and the players (copied as they are, never transcoded). */
export const RECOMMENDED_OBS_SETTINGS = {
  encoder: 'x264 (H.264)',
  rateControl: 'CBR',
  videoBitrateKbps: 2500,
  keyframeIntervalSeconds: 2,
  preset: 'veryfast',
  tune: 'zerolatency',
  profile: 'main',
  resolution: '1280×720 (竖屏 720×1280)',
  fps: 30,
  audio: 'AAC 128 kbps, 44.1 kHz',
} as const;

/** Why a publish with a stream key is refused (the media server closes the connection). */
export const PUBLISH_REFUSALS = ['UNKNOWN_KEY', 'SHOW_NOT_LIVE', 'ALREADY_PUBLISHING', 'HOST_NOT_STAFF'] as const;
export type PublishRefusal = (typeof PUBLISH_REFUSALS)[number];

// ---- going live from the browser's camera -----------------------------------------------------------------

/**
 * WebSocket of the host's browser camera: the first (text) message is `BrowserIngestStart`, then every binary
 * message is one MediaRecorder chunk. The server answers with `BrowserIngestServerMessage` text messages.
 */
export const BROWSER_INGEST_PATH = '/api/media/ingest';

export const browserIngestStartSchema = z.object({
  type: z.literal('start'),
  token: z.string().min(1).max(4096),
  showId: z.uuid(),
  /** The MediaRecorder's mimeType, e.g. `video/webm;codecs=h264,opus`. */
  mimeType: z
    .string()
    .max(100)
    .regex(/^video\/(webm|mp4|x-matroska)\b/),
});
export type BrowserIngestStart = z.infer<typeof browserIngestStartSchema>;

export const BROWSER_INGEST_ERROR_CODES = [
  'INVALID',
  'NOT_SIGNED_IN',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAVAILABLE',
  'REFUSED',
  'INTERNAL',
] as const;
export type BrowserIngestErrorCode = (typeof BROWSER_INGEST_ERROR_CODES)[number];

export type BrowserIngestServerMessage =
  | { type: 'ready' }
  /** Every second: bytes received so far (the browser compares them with what it sent: its uplink's health). */
  | { type: 'stats'; bytes: number }
  | { type: 'error'; code: BrowserIngestErrorCode; message: string };
