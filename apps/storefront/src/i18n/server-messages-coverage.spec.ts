import { describe, expect, it } from 'vitest';
import i18n from './i18n';
import { translateServerText } from './server-messages';

/**
 * Every sentence the shared contracts can send back as a field issue, read from their sources. A contract
 * sentence added without its Chinese rule would reach a Chinese screen as the generic 填写有误 — this fails first.
 */
const sources = import.meta.glob('../../../../libs/contracts/src/**/*.ts', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

const sentences = [
  ...new Set(
    Object.entries(sources)
      .filter(([path]) => !path.endsWith('.spec.ts'))
      .flatMap(([, text]) => [...text.matchAll(/\b(?:message|error): '([^'$]+)'/g)].map((m) => m[1])),
  ),
].sort();

describe('contract sentences on a Chinese screen', () => {
  it('reads the contracts’ sentences (the scan itself works)', () => {
    expect(sentences).toContain('is required');
    expect(sentences.length).toBeGreaterThan(40);
  });

  it('has a Chinese rule for every one of them', async () => {
    await i18n.changeLanguage('zh-CN');
    const generic = translateServerText('a sentence nobody wrote a rule for');
    const missing = sentences.filter((s) => {
      const zh = translateServerText(s);
      return zh === generic || !/[\u4e00-\u9fff]/.test(zh);
    });
    expect(missing).toEqual([]);
  });
});
