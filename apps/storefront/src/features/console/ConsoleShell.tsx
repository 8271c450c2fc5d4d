import { useQuery } from '@tanstack/react-query';
import type { ConsoleShow } from '@xiangbo/contracts';
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, useParams } from 'react-router-dom';
import { RequireRoles } from '../../auth/RequireRoles';
import { useApiClient, useAuth } from '../../auth/auth-context';
import { Loading } from '../../layout/common';

export const CONSOLE_SECTIONS = [
  'profile',
  'staff',
  'members',
  'products',
  'orders',
  'presales',
  'messages',
  'after-sales',
  'reviews',
  'shows',
  'policy',
  'settlement',
  'payouts',
  'findings',
] as const;
export type ConsoleSection = (typeof CONSOLE_SECTIONS)[number];

export const ADMIN_SECTIONS = [
  { id: 'applications', path: '/admin/applications' },
  { id: 'registry', path: '/admin/registry' },
  { id: 'import', path: '/admin/registry/import' },
  { id: 'accessLog', path: '/admin/access-log' },
  { id: 'auditors', path: '/admin/auditors' },
  { id: 'reviews', path: '/admin/reviews' },
  { id: 'afterSales', path: '/admin/after-sales' },
] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number]['id'];

/** Cooperatives the signed-in user can manage (host or coop_admin). */
export function useManagedCooperativeIds(): string[] {
  const { user } = useAuth();
  return [
    ...new Set(
      (user?.roles ?? [])
        .filter((r) => (r.role === 'host' || r.role === 'coop_admin') && r.cooperativeId)
        .map((r) => r.cooperativeId as string),
    ),
  ];
}

/**
 * The cooperative console frame for /console/:coopId/<section>: role check, section tabs, content.
 * The server authorises every call again; this only keeps people on pages that can work for them.
 */
export function ConsoleShell({
  section,
  title,
  children,
}: {
  section: ConsoleSection;
  title: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const { coopId = '' } = useParams();
  const managed = useManagedCooperativeIds();
  const tabs = useRef<HTMLElement | null>(null);
  // The current tab is always in view in the scrolling tab row (a phone shows three or four of the ten). After
  // every render: the row appears only once the roles are known, and never scrolls the page itself.
  const centred = useRef<string | null>(null);
  useEffect(() => {
    const nav = tabs.current;
    const active = nav?.querySelector<HTMLElement>('.console__tab--active');
    if (!nav || !active || centred.current === `${coopId}/${section}`) return;
    centred.current = `${coopId}/${section}`;
    nav.scrollLeft = active.offsetLeft - nav.offsetLeft - (nav.clientWidth - active.offsetWidth) / 2;
  });
  return (
    <RequireRoles roles={['host', 'coop_admin']} areaName={t('consoleArea.console')}>
      {managed.length > 0 && !managed.includes(coopId) ? (
        <Navigate to={`/console/${managed[0]}/${section}`} replace />
      ) : (
        <div className="page console">
          <nav className="console__tabs" aria-label={t('shell.sectionNav')} ref={tabs}>
            {CONSOLE_SECTIONS.map((s) => (
              <NavLink
                key={s}
                to={`/console/${coopId}/${s}`}
                className={({ isActive }) => `console__tab${isActive ? ' console__tab--active' : ''}`}
              >
                {t(`shell.consoleSections.${s}`)}
              </NavLink>
            ))}
          </nav>
          <h1 className="page__heading">{title}</h1>
          {children}
        </div>
      )}
    </RequireRoles>
  );
}

/**
 * /console: the first cooperative the user manages — on its 直播 tab when one of its shows is live or coming up
 * (a host opens the console to go live), else its profile.
 */
export function ConsoleIndexRedirect() {
  const { t } = useTranslation();
  const managed = useManagedCooperativeIds();
  return (
    <RequireRoles roles={['host', 'coop_admin']} areaName={t('consoleArea.console')}>
      {managed.length ? <ConsoleLanding coopId={managed[0]} /> : <p className="page">{t('shell.noCooperative')}</p>}
    </RequireRoles>
  );
}

function ConsoleLanding({ coopId }: { coopId: string }) {
  const client = useApiClient();
  const shows = useQuery({
    queryKey: ['live', 'console', coopId],
    queryFn: ({ signal }) =>
      client.request<ConsoleShow[]>(`/api/console/cooperatives/${encodeURIComponent(coopId)}/shows`, { signal }),
    retry: false,
  });
  if (shows.isPending) return <Loading />;
  const next = shows.data?.some((s) => s.status === 'live' || s.status === 'scheduled');
  return <Navigate to={`/console/${coopId}/${next ? 'shows' : 'profile'}`} replace />;
}

/** The platform console frame for /admin/<section>. */
export function AdminShell({
  section,
  title,
  children,
}: {
  section: AdminSection;
  title: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <RequireRoles roles={['platform_admin']} areaName={t('consoleArea.admin')}>
      <div className="page console">
        <nav className="console__tabs" aria-label={t('shell.sectionNav')}>
          {ADMIN_SECTIONS.map((s) => (
            <NavLink
              key={s.id}
              to={s.path}
              end={s.id === 'registry'}
              className={({ isActive }) => `console__tab${isActive || s.id === section ? ' console__tab--active' : ''}`}
            >
              {t(`shell.adminSections.${s.id}`)}
            </NavLink>
          ))}
        </nav>
        <h1 className="page__heading">{title}</h1>
        {children}
      </div>
    </RequireRoles>
  );
}

export function AdminIndexRedirect() {
  return <Navigate to="/admin/applications" replace />;
}
