import { ApiError, type ApiClient } from './client';

/**
 * Downloads a file with the access token (a plain link would not carry it), refreshing the session once on a
 * 401, and hands the browser the file. Shared by the packing list, the bank export and the auditor's ledger export.
 */
export async function downloadWithAuth(
  client: ApiClient,
  url: string,
  fallbackName: string,
  fetchImpl: typeof fetch = fetch,
  accept?: string,
): Promise<void> {
  const send = (token: string | null) =>
    fetchImpl(url, {
      credentials: 'include',
      headers: { ...(accept ? { Accept: accept } : {}), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    });
  let res: Response;
  try {
    res = await send(client.getAccessToken());
    if (res.status === 401) {
      const session = await client.refreshSession();
      if (session) res = await send(session.accessToken);
    }
  } catch (cause) {
    if (cause instanceof ApiError) throw cause;
    throw new ApiError({ statusCode: 0, code: 'NETWORK_ERROR', message: 'Network request failed' }, { cause });
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { code?: string; message?: string } | null;
    throw new ApiError({
      statusCode: res.status,
      code: body?.code ?? 'BAD_RESPONSE',
      message: body?.message ?? `HTTP ${res.status}`,
    });
  }
  const blob = await res.blob();
  const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? fallbackName;
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 1000);
}
