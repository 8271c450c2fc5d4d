import { countdown } from '@xiangbo/domain';
import { useEffect, useState } from 'react';

/** Ticks a clock for countdowns (4×/s: the label changes on the second without drifting). */
export function useNow(intervalMs = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

/**
 * "01:59" until `endsAt` (the server's end time), never below 00:00; calls `onEnd` once when it reaches zero.
 * `now` can be passed in (tests, or one shared clock).
 */
export function Countdown({
  endsAt,
  now,
  onEnd,
  label,
}: {
  endsAt: string;
  now?: number;
  onEnd?: () => void;
  label: string;
}) {
  const ticking = useNow();
  const current = now ?? ticking;
  const c = countdown(new Date(endsAt).getTime(), current);
  const ended = c.totalSeconds === 0;
  useEffect(() => {
    if (ended) onEnd?.();
  }, [ended, onEnd]);
  return (
    <span className="countdown" role="timer" aria-label={`${label} ${c.label}`}>
      <span className="countdown__label">{label}</span>{' '}
      <time className="countdown__time" dateTime={`PT${c.totalSeconds}S`}>
        {c.label}
      </time>
    </span>
  );
}
