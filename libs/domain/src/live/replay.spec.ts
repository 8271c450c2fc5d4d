import fc from 'fast-check';
import { recordingTimeline, replayChapters, replayOffset } from './replay';

const T0 = Date.parse('2026-11-20T12:00:00.000Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();

/** A playlist of 2-second segments; `gapAfter` segment index → seconds the stream was down after it. */
function playlist(segments: number, gapAfter: Record<number, number> = {}, ended = true): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-TARGETDURATION:2'];
  let wall = 0;
  for (let i = 0; i < segments; i++) {
    if (i > 0 && gapAfter[i - 1]) lines.push('#EXT-X-DISCONTINUITY');
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${iso(wall)}`, '#EXTINF:2.000000,', `seg${String(i).padStart(5, '0')}.ts`);
    wall += 2000 + (gapAfter[i] ?? 0) * 1000;
  }
  if (ended) lines.push('#EXT-X-ENDLIST');
  return lines.join('\n');
}

describe('recordingTimeline', () => {
  it('merges contiguous segments into one range and reads the end marker', () => {
    const t = recordingTimeline(playlist(5));
    expect(t).toEqual({
      ranges: [{ wallStartMs: T0, mediaStartSeconds: 0, durationSeconds: 10 }],
      durationSeconds: 10,
      ended: true,
    });
    expect(recordingTimeline(playlist(2, {}, false)).ended).toBe(false);
  });

  it('starts a new range where the stream dropped', () => {
    const t = recordingTimeline(playlist(4, { 1: 30 }));
    expect(t.ranges).toEqual([
      { wallStartMs: T0, mediaStartSeconds: 0, durationSeconds: 4 },
      { wallStartMs: T0 + 34_000, mediaStartSeconds: 4, durationSeconds: 4 },
    ]);
    expect(t.durationSeconds).toBe(8);
  });

  it('has no ranges for an empty or foreign file', () => {
    expect(recordingTimeline('')).toEqual({ ranges: [], durationSeconds: 0, ended: false });
    expect(recordingTimeline('<html>not a playlist</html>').ranges).toEqual([]);
  });
});

describe('replayOffset and replayChapters', () => {
  const t = recordingTimeline(playlist(10, { 4: 60 })); // 0–10 s recorded, 60 s down, 10 s more

  it('maps wall-clock moments through the ranges, gaps to the next range', () => {
    expect(replayOffset(t.ranges, T0 - 5000)).toBe(0);
    expect(replayOffset(t.ranges, T0 + 3500)).toBe(3.5);
    expect(replayOffset(t.ranges, T0 + 30_000)).toBe(10); // while the stream was down
    expect(replayOffset(t.ranges, T0 + 72_000)).toBe(12);
    expect(replayOffset(t.ranges, T0 + 200_000)).toBeNull();
  });

  it('turns the pin timeline into chapters, dropping pins outside the recording', () => {
    const pins = [
      { productId: 'b', productName: '辣椒', pinnedAt: iso(71_000), unpinnedAt: null },
      { productId: 'a', productName: '木耳', pinnedAt: iso(1_000), unpinnedAt: iso(8_000) },
      { productId: 'c', productName: '茶叶', pinnedAt: iso(300_000), unpinnedAt: null },
      { productId: 'd', productName: '土豆', pinnedAt: iso(-50_000), unpinnedAt: iso(-40_000) },
    ];
    expect(replayChapters(t, pins)).toEqual(
      [
        { productId: 'd', productName: '土豆', startSeconds: 0, endSeconds: 0 },
        { productId: 'a', productName: '木耳', startSeconds: 1, endSeconds: 8 },
        { productId: 'b', productName: '辣椒', startSeconds: 11, endSeconds: null },
      ].filter((c) => c.endSeconds === null || c.endSeconds > c.startSeconds),
    );
  });

  it('never places a chapter outside the recording and keeps pin order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -20_000, max: 120_000 }), fc.integer({ min: 0, max: 30_000 })), {
          maxLength: 12,
        }),
        (moments) => {
          const pins = moments.map(([at, len], i) => ({
            productId: String(i),
            productName: `p${i}`,
            pinnedAt: iso(at),
            unpinnedAt: len ? iso(at + len) : null,
          }));
          const chapters = replayChapters(t, pins);
          for (const c of chapters) {
            expect(c.startSeconds).toBeGreaterThanOrEqual(0);
            expect(c.startSeconds).toBeLessThan(t.durationSeconds);
            if (c.endSeconds !== null) expect(c.endSeconds).toBeGreaterThan(c.startSeconds);
          }
          const starts = chapters.map((c) => c.startSeconds);
          expect(starts).toEqual([...starts].sort((a, b) => a - b));
        },
      ),
    );
  });
});
