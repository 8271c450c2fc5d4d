import { LiveListPage } from '../features/live/LiveListPage';

/** The /live tab: the live feature's list of shows (直播中, 即将开播, 回放). */
export function LivePage() {
  return <LiveListPage />;
}
