import { BROWSER_INGEST_PATH, type BrowserIngestServerMessage, type BrowserIngestStart } from '@xiangbo/contracts';

/** Quality steps, best first: the short side of the picture, and the video bitrate. Portrait on a phone. */
export const QUALITY_STEPS = [
  { label: '720p', shortSide: 720, videoKbps: 1500 },
  { label: '540p', shortSide: 540, videoKbps: 900 },
  { label: '360p', shortSide: 360, videoKbps: 450 },
] as const;

/** MediaRecorder timeslice: what the viewers' delay gains from small chunks, the uplink pays in overhead. */
const TIMESLICE_MS = 200;
/** More than this many seconds of video waiting in the socket's buffer: the uplink is too slow for the step. */
const CONGESTED_SECONDS = 1.5;
/** Checks in a row over the limit before stepping down (one check a second). */
const CONGESTED_CHECKS = 3;
/** A good uplink for this long: try the next better step. */
const STEP_UP_AFTER_MS = 60_000;
/** No word from the server for this long: the connection is dead even if the socket has not noticed. */
const SILENT_MS = 5000;

export type PublisherStatus = 'idle' | 'starting' | 'live' | 'reconnecting' | 'error';

export interface PublisherState {
  status: PublisherStatus;
  /** Index into QUALITY_STEPS. */
  step: number;
  facing: 'user' | 'environment';
  micOn: boolean;
  /** A refusal code from the server, or CAMERA / UNSUPPORTED from the browser. */
  error: string | null;
  /** Reconnections since the start. */
  reconnects: number;
}

export interface PublisherDeps {
  /** The current access token (refreshed by the API client). */
  token: () => string | null;
  showId: string;
  onState: (s: PublisherState) => void;
  /** The socket URL (tests); default: this origin's /api/media/ingest. */
  url?: string;
}

/** The best recording type the browser has: H.264 lets the server copy the video instead of encoding it. */
export function pickMimeType(isSupported: (t: string) => boolean = (t) => MediaRecorder.isTypeSupported(t)) {
  const types = [
    'video/webm;codecs=h264,opus',
    'video/x-matroska;codecs=avc1,opus',
    'video/mp4;codecs=avc1.42E01E,mp4a.40.2',
    'video/mp4',
    'video/webm;codecs=vp8,opus',
    'video/webm',
  ];
  return types.find((t) => isSupported(t)) ?? null;
}

/**
 * The host's camera, published to the show from the browser: getUserMedia → MediaRecorder chunks → WebSocket →
 * the server's ffmpeg → the media server. Each connection is one recording (a WebM/MP4 stream has one header),
 * so changing the quality step or the camera, and reconnecting after a drop, start a new recording on a new
 * connection; the server lets the new connection replace the old one.
 *
 * Weak uplink: the socket's own send buffer is the measure: when more than ~1.5 s of video waits in it for three
 * seconds, the next lower step (resolution and bitrate) is taken; after a minute without congestion the next
 * better one is tried. A dropped connection is retried at once and then with back-off up to 5 s, until stop().
 */
export class CameraPublisher {
  stream: MediaStream | null = null;
  private ws: WebSocket | null = null;
  private recorder: MediaRecorder | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private congested = 0;
  private goodSince = 0;
  private lastHeard = 0;
  private attempt = 0;
  private readonly mimeType: string | null;
  state: PublisherState = { status: 'idle', step: 0, facing: 'user', micOn: true, error: null, reconnects: 0 };

  constructor(private readonly deps: PublisherDeps) {
    this.mimeType = typeof MediaRecorder === 'undefined' ? null : pickMimeType();
  }

  private set(patch: Partial<PublisherState>) {
    this.state = { ...this.state, ...patch };
    this.deps.onState(this.state);
  }

  /** Opens the camera (preview) without publishing. */
  async open(): Promise<MediaStream | null> {
    if (this.stream) return this.stream;
    if (!navigator.mediaDevices?.getUserMedia || !this.mimeType) {
      this.set({ status: 'error', error: 'UNSUPPORTED' });
      return null;
    }
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        video: this.videoConstraints(),
        audio: { echoCancellation: true, noiseSuppression: true },
      });
      this.applyMic();
      return this.stream;
    } catch {
      this.set({ status: 'error', error: 'CAMERA' });
      return null;
    }
  }

  async start(): Promise<void> {
    if (!(await this.open())) return;
    this.stopped = false;
    this.attempt = 0;
    this.set({ status: 'starting', error: null, reconnects: 0 });
    this.connect();
    this.timer ??= setInterval(() => this.check(), 1000);
  }

  stop() {
    this.stopped = true;
    this.teardown();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.set({ status: 'idle' });
  }

  /** Stops publishing and releases the camera and microphone. */
  close() {
    this.stop();
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.stream = null;
  }

  setMic(on: boolean) {
    this.set({ micOn: on });
    this.applyMic();
  }

  async flip(): Promise<MediaStream | null> {
    const facing = this.state.facing === 'user' ? 'environment' : 'user';
    this.set({ facing });
    return this.replaceVideo();
  }

  /** Moves to a quality step (the adaptive logic calls it; a host may too). */
  async setStep(step: number) {
    const next = Math.max(0, Math.min(QUALITY_STEPS.length - 1, step));
    if (next === this.state.step) return;
    this.set({ step: next });
    const track = this.stream?.getVideoTracks()[0];
    await track?.applyConstraints(this.videoConstraints()).catch(() => undefined);
    this.restart();
  }

  private videoConstraints(): MediaTrackConstraints {
    const { shortSide } = QUALITY_STEPS[this.state.step];
    const portrait = window.innerHeight >= window.innerWidth;
    const long = Math.round((shortSide * 16) / 9);
    return {
      facingMode: this.state.facing,
      width: { ideal: portrait ? shortSide : long },
      height: { ideal: portrait ? long : shortSide },
      frameRate: { ideal: 25, max: 30 },
    };
  }

  private applyMic() {
    for (const t of this.stream?.getAudioTracks() ?? []) t.enabled = this.state.micOn;
  }

  private async replaceVideo(): Promise<MediaStream | null> {
    if (!this.stream) return null;
    try {
      const fresh = await navigator.mediaDevices.getUserMedia({ video: this.videoConstraints() });
      for (const old of this.stream.getVideoTracks()) {
        this.stream.removeTrack(old);
        old.stop();
      }
      for (const t of fresh.getVideoTracks()) this.stream.addTrack(t);
      if (!this.stopped) this.restart();
      return this.stream;
    } catch {
      this.set({ error: 'CAMERA' });
      return this.stream;
    }
  }

  /** A new recording on a new connection (the server lets it replace the current one). */
  private restart() {
    if (this.stopped) return;
    this.teardown();
    this.connect();
  }

  private teardown() {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const rec = this.recorder;
    this.recorder = null;
    if (rec && rec.state !== 'inactive') {
      rec.ondataavailable = null;
      rec.stop();
    }
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onclose = null;
      ws.onmessage = null;
      ws.close();
    }
  }

  private connect() {
    const stream = this.stream;
    const token = this.deps.token();
    if (!stream || !this.mimeType) return;
    if (!token) return this.set({ status: 'error', error: 'NOT_SIGNED_IN' });
    const url =
      this.deps.url ??
      `${window.location.protocol === 'https:' ? 'wss:' : 'ws:'}//${window.location.host}${BROWSER_INGEST_PATH}`;
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    this.lastHeard = Date.now();
    ws.onopen = () => {
      const start: BrowserIngestStart = {
        type: 'start',
        token,
        showId: this.deps.showId,
        mimeType: this.mimeType ?? '',
      };
      ws.send(JSON.stringify(start));
    };
    ws.onmessage = (e) => {
      this.lastHeard = Date.now();
      const m = JSON.parse(String(e.data)) as BrowserIngestServerMessage;
      if (m.type === 'ready') {
        this.attempt = 0;
        this.goodSince = Date.now();
        this.record(ws, stream);
        this.set({ status: 'live', error: null });
      } else if (m.type === 'error') {
        // A refusal is final (not signed in, not this host's show, show over): no retry.
        this.stopped = true;
        this.teardown();
        this.set({ status: 'error', error: m.code });
      }
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.dropped();
    };
  }

  private record(ws: WebSocket, stream: MediaStream) {
    const { videoKbps } = QUALITY_STEPS[this.state.step];
    const options: MediaRecorderOptions & { videoKeyFrameIntervalDuration?: number } = {
      mimeType: this.mimeType ?? undefined,
      videoBitsPerSecond: videoKbps * 1000,
      audioBitsPerSecond: 64_000,
      // A key frame every second: a viewer who joins (or rejoins) waits at most that long for a picture.
      videoKeyFrameIntervalDuration: 1000,
    };
    const rec = new MediaRecorder(stream, options);
    rec.ondataavailable = (e) => {
      if (e.data.size && ws.readyState === WebSocket.OPEN) ws.send(e.data);
    };
    rec.start(TIMESLICE_MS);
    this.recorder = rec;
  }

  private dropped() {
    this.teardown();
    if (this.stopped) return;
    this.set({ status: 'reconnecting', reconnects: this.state.reconnects + 1 });
    const delay = this.attempt === 0 ? 300 : Math.min(1000 * 2 ** (this.attempt - 1), 5000);
    this.attempt += 1;
    this.retry = setTimeout(() => {
      this.retry = null;
      if (!this.stopped) this.connect();
    }, delay);
  }

  /** Once a second: a dead connection, a congested uplink, or room for a better step. */
  private check() {
    const ws = this.ws;
    if (this.stopped || !ws) return;
    if (Date.now() - this.lastHeard > SILENT_MS) {
      ws.onclose = null;
      ws.close();
      this.ws = null;
      return this.dropped();
    }
    if (this.state.status !== 'live') return;
    const { videoKbps } = QUALITY_STEPS[this.state.step];
    const limit = ((videoKbps + 64) * 1000 * CONGESTED_SECONDS) / 8;
    if (ws.bufferedAmount > limit) {
      this.congested += 1;
      this.goodSince = Date.now();
      if (this.congested >= CONGESTED_CHECKS && this.state.step < QUALITY_STEPS.length - 1) {
        this.congested = 0;
        void this.setStep(this.state.step + 1);
      }
    } else {
      this.congested = 0;
      if (this.state.step > 0 && Date.now() - this.goodSince > STEP_UP_AFTER_MS) {
        this.goodSince = Date.now();
        void this.setStep(this.state.step - 1);
      }
    }
  }
}
