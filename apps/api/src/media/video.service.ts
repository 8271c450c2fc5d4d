import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { IngestStatus, PublishRefusal, ShowStatus, StreamSettings } from '@xiangbo/contracts';
import { recordingTimeline } from '@xiangbo/domain';
import type { Principal } from '../auth/principal';
import { APP_CONFIG, AppConfig } from '../config/config';
import { LiveException, LiveRestCode } from '../live/live.exception';
import { LiveHub, rowsOf } from '../live/live-hub';
import { ShowsService } from '../live/shows.service';
import { showVideo } from './playback';

/** A scheduled show's key works this long before the show's time, so the host can test the stream first. */
export const PREVIEW_MINUTES = 30;

export type PublishDecision =
  { ok: true; showId: string; playbackId: string } | { ok: false; reason: PublishRefusal; showId: string | null };

const EMPTY_INGEST: IngestStatus = {
  receiving: false,
  since: null,
  bitrateKbps: 0,
  fps: 0,
  droppedFrames: 0,
  video: null,
  lastRefusal: null,
  updatedAt: null,
};

/** 24 random bytes: the host's secret. 12 for the public playback id. Both URL-safe letters and digits only. */
const newKey = () => `xb_${randomBytes(24).toString('base64url').replace(/[-_]/g, 'x')}`;
const newPlaybackId = () => randomBytes(12).toString('hex');

/**
 * The show's video as the API sees it: stream keys, the publish decision the media server asks for, what the
 * media server reports of the ingest, and the recording. Every change that viewers see is broadcast through
 * the LiveHub after it is written.
 */
@Injectable()
export class VideoService {
  private readonly log = new Logger(VideoService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly shows: ShowsService,
    private readonly hub: LiveHub,
  ) {}

  // ---- host console ----------------------------------------------------------------------------------------

  /** The stream panel: server URL, key, ingest status. Only the show's host and its coop_admins (403/404 others). */
  async settings(p: Principal, showId: string, consoleHost: string, available: boolean): Promise<StreamSettings> {
    await this.shows.assertManage(p, showId);
    const row = await this.ensureStream(showId);
    const serverUrl = this.config.RTMP_PUBLIC_URL ?? `rtmp://${hostName(consoleHost)}:${this.config.RTMP_PORT}/live`;
    return {
      serverUrl,
      streamKey: row.stream_key,
      publishUrl: `${serverUrl.replace(/\/$/, '')}/${row.stream_key}`,
      ingest: { ...EMPTY_INGEST, ...(row.ingest ?? {}), receiving: row.receiving, lastRefusal: row.last_refusal },
      recording: row.recording,
      available: this.config.MEDIA_SERVER !== 'off' && available,
    };
  }

  /** A new key; the old one stops working at once (a publisher using it is disconnected by the media server). */
  async resetKey(p: Principal, showId: string, consoleHost: string, available: boolean): Promise<StreamSettings> {
    await this.db.transaction(async (m) => {
      const show = await this.shows.lockForManage(m, p, showId);
      if (show.status === 'ended' || show.status === 'cancelled')
        throw new LiveException(
          LiveRestCode.INVALID_SHOW_TRANSITION,
          `a ${show.status} show has no stream key to reset`,
        );
      await m.query(
        `INSERT INTO show_streams (show_id, stream_key, playback_id) VALUES ($1, $2, $3)
         ON CONFLICT (show_id) DO UPDATE SET stream_key = EXCLUDED.stream_key, last_refusal = NULL, updated_at = now()`,
        [showId, newKey(), newPlaybackId()],
      );
    });
    return this.settings(p, showId, consoleHost, available);
  }

  private async ensureStream(showId: string) {
    await this.db.query(
      `INSERT INTO show_streams (show_id, stream_key, playback_id) VALUES ($1, $2, $3) ON CONFLICT (show_id) DO NOTHING`,
      [showId, newKey(), newPlaybackId()],
    );
    const [row] = await this.db.query(
      `SELECT stream_key, playback_id, receiving, ingest, last_refusal, recording FROM show_streams WHERE show_id = $1`,
      [showId],
    );
    return row as {
      stream_key: string;
      playback_id: string;
      receiving: boolean;
      ingest: IngestStatus | null;
      last_refusal: string | null;
      recording: StreamSettings['recording'];
    };
  }

  // ---- the media server's questions and reports ------------------------------------------------------------

  /**
   * May this key publish now? The key must be a show's current key, the show live (or scheduled to start within
   * PREVIEW_MINUTES), its host still staff of the cooperative, and nobody else publishing with it.
   * A refusal of a known show is written where its host console shows it.
   */
  async authorisePublish(streamKey: string, alreadyPublishing: boolean): Promise<PublishDecision> {
    const [row] = /^[A-Za-z0-9_]{8,64}$/.test(streamKey)
      ? await this.db.query(
          `SELECT ss.show_id, ss.playback_id, s.status, s.scheduled_at > now() + make_interval(mins => $2) AS too_early,
                  EXISTS (SELECT 1 FROM role_assignments r WHERE r.user_id = s.host_id AND r.cooperative_id = s.cooperative_id
                           AND r.role IN ('host', 'coop_admin')) AS host_is_staff
             FROM show_streams ss JOIN shows s ON s.id = ss.show_id WHERE ss.stream_key = $1`,
          [streamKey, PREVIEW_MINUTES],
        )
      : [];
    if (!row) return { ok: false, reason: 'UNKNOWN_KEY', showId: null };
    const status = row.status as ShowStatus;
    let reason: PublishRefusal | null = null;
    if (status !== 'live' && !(status === 'scheduled' && !row.too_early)) reason = 'SHOW_NOT_LIVE';
    else if (!row.host_is_staff) reason = 'HOST_NOT_STAFF';
    else if (alreadyPublishing) reason = 'ALREADY_PUBLISHING';
    if (reason) {
      await this.db.query(`UPDATE show_streams SET last_refusal = $2, updated_at = now() WHERE show_id = $1`, [
        row.show_id,
        reason,
      ]);
      return { ok: false, reason, showId: row.show_id };
    }
    return { ok: true, showId: row.show_id, playbackId: row.playback_id };
  }

  /** The relay is running: viewers of a live show can play it now. */
  async publishStarted(showId: string, sessionId: string, streamKey: string, video: string | null): Promise<void> {
    const now = new Date().toISOString();
    const ingest: IngestStatus = { ...EMPTY_INGEST, receiving: true, since: now, video, updatedAt: now };
    await this.db.query(
      `UPDATE show_streams SET receiving = true, publisher_session = $2, publisher_key = $4, ingest = $3, last_refusal = NULL,
              recording = CASE WHEN recording = 'none' THEN 'recording' ELSE recording END, updated_at = now()
        WHERE show_id = $1`,
      [showId, sessionId, JSON.stringify(ingest), streamKey],
    );
    await this.announce(showId);
  }

  /** The host's stream stopped (or was cut off): viewers see "waiting" until it is back. */
  async publishEnded(showId: string, sessionId: string): Promise<void> {
    const rows = await this.db.query(
      `UPDATE show_streams SET receiving = false, publisher_session = NULL, publisher_key = NULL,
              ingest = jsonb_set(COALESCE(ingest, '{}'::jsonb), '{receiving}', 'false'), updated_at = now()
        WHERE show_id = $1 AND publisher_session = $2 RETURNING show_id`,
      [showId, sessionId],
    );
    if (rowsOf(rows).length) await this.announce(showId);
  }

  async ingestSample(showId: string, sessionId: string, sample: Partial<IngestStatus>): Promise<void> {
    await this.db.query(
      `UPDATE show_streams SET ingest = COALESCE(ingest, '{}'::jsonb) || $3::jsonb WHERE show_id = $1 AND publisher_session = $2`,
      [showId, sessionId, JSON.stringify({ ...sample, updatedAt: new Date().toISOString() })],
    );
  }

  /**
   * What the media server should do about the shows it is relaying: keep them, or cut the publisher off because
   * the show is over or its key was reset.
   */
  async stillAllowed(entries: { showId: string; streamKey: string }[]): Promise<Set<string>> {
    if (!entries.length) return new Set();
    const rows: { show_id: string }[] = await this.db.query(
      `SELECT ss.show_id FROM show_streams ss JOIN shows s ON s.id = ss.show_id
        JOIN unnest($1::uuid[], $2::text[]) AS e(show_id, stream_key) ON e.show_id = ss.show_id AND e.stream_key = ss.stream_key
        WHERE s.status = 'live' OR (s.status = 'scheduled' AND s.scheduled_at <= now() + make_interval(mins => $3))`,
      [entries.map((e) => e.showId), entries.map((e) => e.streamKey), PREVIEW_MINUTES],
    );
    return new Set(rows.map((r) => r.show_id));
  }

  /**
   * External media server: publishes this API accepted that must be cut off now (show over, key reset).
   * The same rule as stillAllowed, read from the database because the API holds no session of its own.
   */
  async publishesToCut(): Promise<{ showId: string; sessionId: string }[]> {
    const rows: { show_id: string; publisher_session: string }[] = await this.db.query(
      `SELECT ss.show_id, ss.publisher_session FROM show_streams ss JOIN shows s ON s.id = ss.show_id
        WHERE ss.receiving AND ss.publisher_session IS NOT NULL
          AND (ss.publisher_key IS DISTINCT FROM ss.stream_key
               OR NOT (s.status = 'live' OR (s.status = 'scheduled' AND s.scheduled_at <= now() + make_interval(mins => $1))))`,
      [PREVIEW_MINUTES],
    );
    return rows.map((r) => ({ showId: r.show_id, sessionId: r.publisher_session }));
  }

  /** External media server: the stream at live/<key> is ready (publishStarted) or gone (publishEnded). */
  async externalReady(streamKey: string, sessionId: string): Promise<PublishDecision> {
    const d = await this.authorisePublish(streamKey, false);
    if (d.ok) await this.publishStarted(d.showId, sessionId, streamKey, null);
    return d;
  }

  async externalGone(streamKey: string, sessionId: string): Promise<void> {
    const [row] = await this.db.query(`SELECT show_id FROM show_streams WHERE publisher_key = $1`, [streamKey]);
    if (row) await this.publishEnded(row.show_id, sessionId);
  }

  /** Recordings of shows that are over and no longer being written: to be closed and indexed. */
  async recordingsToFinish(except: string[]): Promise<{ showId: string; playbackId: string }[]> {
    const rows: { show_id: string; playback_id: string }[] = await this.db.query(
      `SELECT ss.show_id, ss.playback_id FROM show_streams ss JOIN shows s ON s.id = ss.show_id
        WHERE ss.recording = 'recording' AND s.status IN ('ended', 'cancelled') AND NOT (ss.show_id = ANY($1::uuid[]))`,
      [except],
    );
    return rows.map((r) => ({ showId: r.show_id, playbackId: r.playback_id }));
  }

  /** Indexes the closed recording playlist (null: nothing was recorded). */
  async recordingFinished(showId: string, playlist: string | null): Promise<void> {
    const timeline = playlist ? recordingTimeline(playlist) : null;
    const ready = timeline !== null && timeline.durationSeconds > 0;
    await this.db.query(
      `UPDATE show_streams SET recording = $2, recording_ranges = $3, recording_ms = $4, updated_at = now() WHERE show_id = $1`,
      [
        showId,
        ready ? 'ready' : 'none',
        ready ? JSON.stringify(timeline.ranges) : null,
        ready ? Math.round(timeline.durationSeconds * 1000) : null,
      ],
    );
    if (ready) this.log.log(`recording of show ${showId} is ready (${timeline.durationSeconds.toFixed(1)} s)`);
  }

  /** Tells the room what viewers should play now. */
  async announce(showId: string): Promise<void> {
    const [row] = await this.db.query(
      `SELECT s.status, ss.playback_id, ss.receiving FROM shows s LEFT JOIN show_streams ss ON ss.show_id = s.id WHERE s.id = $1`,
      [showId],
    );
    if (!row) return;
    this.hub.change(showId, {
      video: showVideo(this.config, row.status, row.playback_id ? row : null),
    });
  }
}

/** The console's host name without port, for the default RTMP server URL. */
function hostName(host: string): string {
  const h = host.trim() || 'localhost';
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.split(':')[0];
}
