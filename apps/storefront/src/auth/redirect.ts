/** Where to go after signing in: the `redirect` query parameter if it is a path on this site, else /me. */
export function safeRedirect(param: string | null, fallback = '/me'): string {
  if (!param || !param.startsWith('/') || param.startsWith('//') || param.startsWith('/\\')) return fallback;
  return param;
}

export function signInPathFor(location: { pathname: string; search: string }): string {
  return `/sign-in?redirect=${encodeURIComponent(location.pathname + location.search)}`;
}
