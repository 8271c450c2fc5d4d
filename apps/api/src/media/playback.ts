import type { ShowStatus, ShowVideo } from '@xiangbo/contracts';
import type { AppConfig } from '../config/config';

/** Where viewers fetch a playback id's stream: same-origin paths for the embedded server, templates otherwise. */
export function playbackUrls(
  config: Pick<AppConfig, 'MEDIA_SERVER' | 'MEDIA_FLV_URL_TEMPLATE' | 'MEDIA_HLS_URL_TEMPLATE'>,
  playbackId: string,
): { flvUrl: string | null; hlsUrl: string | null } {
  if (config.MEDIA_SERVER === 'embedded') {
    return { flvUrl: `/api/media/live/${playbackId}.flv`, hlsUrl: hlsPath(playbackId) };
  }
  if (config.MEDIA_SERVER === 'external') {
    const fill = (t: string | undefined) => (t ? t.replaceAll('{playbackId}', playbackId) : null);
    return { flvUrl: fill(config.MEDIA_FLV_URL_TEMPLATE), hlsUrl: fill(config.MEDIA_HLS_URL_TEMPLATE) };
  }
  return { flvUrl: null, hlsUrl: null };
}

/** The HLS playlist the embedded relay writes: live while the show runs, the recording afterwards. */
export function hlsPath(playbackId: string): string {
  return `/api/media/hls/${playbackId}/index.m3u8`;
}

/** What the room and the show page say about the video: URLs only while the show is live. */
export function showVideo(
  config: Parameters<typeof playbackUrls>[0],
  status: ShowStatus,
  stream: { playback_id: string; receiving: boolean } | null,
): ShowVideo {
  if (status !== 'live' || config.MEDIA_SERVER === 'off') return { state: 'off', flvUrl: null, hlsUrl: null };
  if (!stream) return { state: 'waiting', flvUrl: null, hlsUrl: null };
  return { state: stream.receiving ? 'on' : 'waiting', ...playbackUrls(config, stream.playback_id) };
}
