/** The purchase ticker ("陕西的买家刚买了 2 盒"): a province and a quantity, never a name, phone or address. */

const SUFFIXES = ['维吾尔自治区', '壮族自治区', '回族自治区', '特别行政区', '自治区', '省', '市'];

/** "陕西省" → "陕西", "广西壮族自治区" → "广西", "北京市" → "北京"; anything else unchanged (trimmed). */
export function shortProvince(name: string): string {
  const n = name.trim();
  for (const s of SUFFIXES) {
    if (n.length > s.length + 1 && n.endsWith(s)) return n.slice(0, -s.length);
  }
  return n;
}

export function tickerText(province: string, quantity: number, unitLabel: string): string {
  const p = shortProvince(province);
  return `${p || '某地'}的买家刚买了 ${quantity} ${unitLabel}`;
}
