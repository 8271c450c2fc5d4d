/** Place names. Its own file: home's product cards use it on first load. */

/** "陕西省" → "陕西" for compact display on cards. */
export function shortProvince(name: string): string {
  return name.replace(/(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$/, '');
}
