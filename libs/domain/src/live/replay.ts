/**
 * The replay's chapters. A show's recording is an HLS playlist whose segments carry the wall-clock time they
 * were received (EXT-X-PROGRAM-DATE-TIME); the pin timeline is wall-clock too. Where the host's stream dropped
 * and came back, the recording has a gap that the playlist skips, so wall-clock time is mapped to replay time
 * through the recorded ranges, not by subtracting the start time.
 */

/** A stretch of the recording without gaps: its wall-clock start and where it begins in the replay. */
export interface RecordedRange {
  wallStartMs: number;
  mediaStartSeconds: number;
  durationSeconds: number;
}

export interface RecordingTimeline {
  ranges: RecordedRange[];
  durationSeconds: number;
  /** Whether the playlist is closed (EXT-X-ENDLIST): a finished recording. */
  ended: boolean;
}

/** Segments closer than this are one range (encoders' timestamps jitter a little). */
const CONTIGUOUS_MS = 1500;

/** Reads an HLS media playlist into gap-free ranges. Segments without a date continue the previous one. */
export function recordingTimeline(m3u8: string): RecordingTimeline {
  const ranges: RecordedRange[] = [];
  let media = 0;
  let pendingDate: number | null = null;
  let pendingDuration: number | null = null;
  let ended = false;
  for (const raw of m3u8.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) {
      const t = Date.parse(line.slice('#EXT-X-PROGRAM-DATE-TIME:'.length));
      pendingDate = Number.isFinite(t) ? t : null;
    } else if (line.startsWith('#EXTINF:')) {
      const d = Number.parseFloat(line.slice('#EXTINF:'.length));
      pendingDuration = Number.isFinite(d) && d > 0 ? d : 0;
    } else if (line === '#EXT-X-ENDLIST') {
      ended = true;
    } else if (line && !line.startsWith('#') && pendingDuration !== null) {
      const last = ranges[ranges.length - 1];
      const lastEnd = last ? last.wallStartMs + last.durationSeconds * 1000 : null;
      const wall = pendingDate ?? lastEnd;
      if (wall === null) {
        // A recording without dates: one range starting at an unknown time (chapters cannot be placed).
        ranges.push({ wallStartMs: Number.NaN, mediaStartSeconds: media, durationSeconds: pendingDuration });
      } else if (last && lastEnd !== null && Math.abs(wall - lastEnd) <= CONTIGUOUS_MS) {
        last.durationSeconds += pendingDuration;
      } else {
        ranges.push({ wallStartMs: wall, mediaStartSeconds: media, durationSeconds: pendingDuration });
      }
      media += pendingDuration;
      pendingDate = null;
      pendingDuration = null;
    }
  }
  return { ranges, durationSeconds: round3(media), ended };
}

/**
 * Where a wall-clock moment falls in the replay: inside a range → its offset; in a gap (the stream was down) →
 * the start of the next range; before the recording → 0; after it → null.
 */
export function replayOffset(ranges: readonly RecordedRange[], wallMs: number): number | null {
  for (const r of ranges) {
    if (!Number.isFinite(r.wallStartMs)) return null;
    if (wallMs < r.wallStartMs) return r.mediaStartSeconds;
    if (wallMs < r.wallStartMs + r.durationSeconds * 1000) {
      return round3(r.mediaStartSeconds + (wallMs - r.wallStartMs) / 1000);
    }
  }
  return null;
}

export interface PinMoment {
  productId: string;
  productName: string;
  pinnedAt: string;
  unpinnedAt: string | null;
}

export interface Chapter {
  productId: string;
  productName: string;
  startSeconds: number;
  endSeconds: number | null;
}

/**
 * The pin timeline as chapters of the replay, in order. A pin that ended before the recording started, or that
 * began after it ended, has no chapter; a pin still open at the end runs to the end (endSeconds null).
 */
export function replayChapters(timeline: RecordingTimeline, pins: readonly PinMoment[]): Chapter[] {
  const out: Chapter[] = [];
  const sorted = [...pins].sort((a, b) => Date.parse(a.pinnedAt) - Date.parse(b.pinnedAt));
  for (const p of sorted) {
    const start = replayOffset(timeline.ranges, Date.parse(p.pinnedAt));
    if (start === null || start >= timeline.durationSeconds) continue;
    const endRaw = p.unpinnedAt ? replayOffset(timeline.ranges, Date.parse(p.unpinnedAt)) : null;
    const end = endRaw === null || endRaw >= timeline.durationSeconds ? null : endRaw;
    if (end !== null && end <= start) continue;
    out.push({ productId: p.productId, productName: p.productName, startSeconds: start, endSeconds: end });
  }
  return out;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
