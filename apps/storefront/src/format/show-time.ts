/**
 * When a show starts, in China time. Its own file: the home page lists shows and must not pull the other time
 * helpers into its first load (e2e/tests/web-budget.e2e.ts).
 */

const isEn = (language: string) => language.startsWith('en');

/** "5月1日 周五 19:30" / "Fri 1 May, 19:30": when a show starts. */
export function formatShowTime(iso: string, language: string): string {
  return new Intl.DateTimeFormat(isEn(language) ? 'en-GB' : 'zh-CN', {
    month: isEn(language) ? 'short' : 'long',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: 'Asia/Shanghai',
  }).format(new Date(iso));
}
