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
  return attachHls(el, url, () => undefined);
}
