import { fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import type { ReplayChapter, ShowReplay } from '@xiangbo/contracts';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resetLanguage } from '../../../test/helpers';
import { chapterAt, clock, ReplayPlayer } from './ReplayPlayer';

vi.mock('./players', () => ({ attachReplay: vi.fn(async () => () => undefined) }));

const ch = (productId: string, startSeconds: number, endSeconds: number | null): ReplayChapter => ({
  productId,
  productName: `商品${productId}`,
  startSeconds,
  endSeconds,
});

describe('replay chapters', () => {
  beforeEach(() => resetLanguage());

  it('formats replay times', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(75.9)).toBe('1:15');
    expect(clock(3725)).toBe('1:02:05');
  });

  it('finds the chapter playing at a moment, none between pins', () => {
    const chapters = [ch('a', 10, 30), ch('b', 40, null)];
    expect(chapterAt(chapters, 5)).toBeNull();
    expect(chapterAt(chapters, 10)?.productId).toBe('a');
    expect(chapterAt(chapters, 35)).toBeNull();
    expect(chapterAt(chapters, 500)?.productId).toBe('b');
  });

  it('lists the chapters and jumps to one when tapped, showing its product with buy and trace links', () => {
    const replay: ShowReplay = {
      url: '/api/media/hls/x/index.m3u8',
      durationSeconds: 90,
      chapters: [ch('p1', 12, 50)],
    };
    const { container } = render(
      <MemoryRouter>
        <ReplayPlayer
          replay={replay}
          products={[
            { id: 'p1', nameZh: '柞水木耳', unit: 'bag', priceFen: 5900, stock: 3, soldCount: 0, coverThumbUrl: null },
          ]}
        />
      </MemoryRouter>,
    );
    const video = container.querySelector('video') as HTMLVideoElement;
    video.play = vi.fn(async () => undefined);
    expect(screen.queryByTestId('replay-product')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: /0:12/ }));
    expect(video.currentTime).toBe(12);
    fireEvent.timeUpdate(video);
    expect(screen.getByTestId('replay-product').textContent).toContain('商品p1');
    expect(screen.getByRole('link', { name: '去购买' }).getAttribute('href')).toBe('/products/p1');
    expect(screen.getByRole('link', { name: '查看溯源' }).getAttribute('href')).toBe('/products/p1#trace');
  });
});

describe('skipping a recording’s holes', () => {
  const ranges = (...r: [number, number][]): TimeRanges => ({
    length: r.length,
    start: (i: number) => r[i][0],
    end: (i: number) => r[i][1],
  });

  it('jumps to the next buffered stretch within 2 s, else a little ahead, never past the end', async () => {
    const { gapTarget } = await vi.importActual<typeof import('./players')>('./players');
    expect(gapTarget(ranges([0, 8.5], [8.54, 15.4]), 8.38, 15.66)).toBeCloseTo(8.59);
    expect(gapTarget(ranges([0, 8.5], [12, 15]), 8.38, 15.66)).toBeCloseTo(8.68);
    expect(gapTarget(ranges([0, 15.6]), 15.5, 15.66)).toBeCloseTo(15.66);
  });

  it('moves a playing video that has not advanced for a second, and leaves a paused one alone', async () => {
    vi.useFakeTimers();
    try {
      const { skipGaps } = await vi.importActual<typeof import('./players')>('./players');
      const el = {
        paused: false,
        ended: false,
        seeking: false,
        readyState: 4,
        currentTime: 8.38,
        duration: 15.66,
        buffered: ranges([0, 8.5], [8.54, 15.4]),
      } as unknown as HTMLVideoElement;
      const stop = skipGaps(el);
      vi.advanceTimersByTime(600);
      expect(el.currentTime).toBe(8.38);
      vi.advanceTimersByTime(1500);
      expect(el.currentTime).toBeCloseTo(8.59);
      stop();
      const paused = { ...el, paused: true, currentTime: 3 } as unknown as HTMLVideoElement;
      const stop2 = skipGaps(paused);
      vi.advanceTimersByTime(5000);
      expect(paused.currentTime).toBe(3);
      stop2();
    } finally {
      vi.useRealTimers();
    }
  });
});
