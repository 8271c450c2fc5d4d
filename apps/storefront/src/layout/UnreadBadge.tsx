/**
 * A count of unread items (消息, 通知): a red pill, 99+ beyond 99; nothing when there are none. Its own module, so
 * the shell (every page's first load) does not carry it: only the lazy pages that show counts do.
 */
export function UnreadBadge({ count, label }: { count: number; label: string }) {
  if (count <= 0) return null;
  return (
    <span className="unread-badge" aria-label={label}>
      {count > 99 ? '99+' : count}
    </span>
  );
}
