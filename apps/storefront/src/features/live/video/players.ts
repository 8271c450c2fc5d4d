/**
 * Attaching streams to a <video>. mpegts.js and hls.js are loaded only when a show is played (they are most of
 * a player's weight), and each returns a detach function, or null when this browser cannot use it.
 */
export type Detach = () => void;

/** HTTP-FLV, low latency: no stash buffer, and the player skips ahead when it falls behind the live edge. */
export async function attachFlv(el: HTMLVideoElement, url: string, onError: () => void): Promise<Detach | null> {
  const { default: mpegts } = await import('mpegts.js');
  if (!mpegts.isSupported() || !mpegts.getFeatureList().mseLivePlayback) return null;
  const player = mpegts.createPlayer(
    { type: 'flv', isLive: true, hasAudio: true, hasVideo: true, url: new URL(url, window.location.href).href },
    {
      enableWorker: false,
      enableStashBuffer: false,
      lazyLoad: false,
      liveBufferLatencyChasing: true,
      liveBufferLatencyMaxLatency: 1.5,
      liveBufferLatencyMinRemain: 0.3,
      autoCleanupSourceBuffer: true,
    },
  );
  let failed = false;
  const fail = () => {
    if (failed) return;
    failed = true;
    onError();
  };
  player.on(mpegts.Events.ERROR, fail);
  player.on(mpegts.Events.LOADING_COMPLETE, fail); // the server ended the stream
  player.attachMediaElement(el);
  player.load();
  return () => {
    player.pause();
    player.unload();
    player.detachMediaElement();
    player.destroy();
  };
}

/** HLS: the browser's own player where it has one (Safari), hls.js elsewhere. */
export async function attachHls(el: HTMLVideoElement, url: string, onError: () => void): Promise<Detach | null> {
  if (el.canPlayType('application/vnd.apple.mpegurl')) {
    el.src = url;
    const handler = () => onError();
    el.addEventListener('error', handler);
    return () => {
      el.removeEventListener('error', handler);
      el.removeAttribute('src');
      el.load();
    };
  }
  const { default: Hls } = await import('hls.js');
  if (!Hls.isSupported()) return null;
  const hls = new Hls({ enableWorker: true, lowLatencyMode: false });
  hls.on(Hls.Events.ERROR, (_e, data) => {
    if (data.fatal) onError();
  });
  hls.loadSource(url);
  hls.attachMedia(el);
  return () => hls.destroy();
}

/** A recording (VOD) in a <video>; null when HLS cannot be played here. */
export async function attachReplay(el: HTMLVideoElement, url: string): Promise<Detach | null> {
  const detach = await attachHls(el, url, () => undefined);
  if (!detach) return null;
  const stopSkipping = skipGaps(el);
  return () => {
    stopSkipping();
    detach();
  };
}

/**
 * Where the host's connection dropped, a recording has a discontinuity, and the encoder's last moments before it
 * often hold a little less audio than video: Chromium then stalls at the hole for good. When playback has not
 * moved for a second although it should, this jumps to the next buffered stretch (or a little ahead).
 */
export function skipGaps(el: HTMLVideoElement, checkMs = 500): () => void {
  let last = -1;
  let stuckSince = 0;
  const timer = setInterval(() => {
    if (el.paused || el.ended || el.seeking || el.readyState === 0) {
      stuckSince = 0;
      last = el.currentTime;
      return;
    }
    if (el.currentTime !== last) {
      last = el.currentTime;
      stuckSince = 0;
      return;
    }
    stuckSince ||= Date.now();
    if (Date.now() - stuckSince < 1000) return;
    stuckSince = 0;
    el.currentTime = gapTarget(el.buffered, el.currentTime, el.duration);
  }, checkMs);
  return () => clearInterval(timer);
}

/** The start of the next buffered stretch within 2 s (just inside it), else 0.3 s ahead; never past the end. */
export function gapTarget(buffered: TimeRanges, t: number, duration: number): number {
  for (let i = 0; i < buffered.length; i++) {
    const start = buffered.start(i);
    if (start > t && start - t <= 2) return Math.min(start + 0.05, duration);
  }
  return Math.min(t + 0.3, Number.isFinite(duration) ? duration : t + 0.3);
}
