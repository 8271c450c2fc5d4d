import i18n from './i18n';

/**
 * The API's (and the shared contracts') validation sentences are English: "is required", "choose at least one
 * product", "the check character does not match…". A Chinese screen shows them in Chinese: every sentence the
 * contracts and services write is matched here (numbers kept), and a sentence without a rule falls back to a
 * generic Chinese one rather than English. English screens show the server's sentence as it is.
 */
type Rule = [RegExp, (m: RegExpMatchArray) => string];

const ZH_RULES: Rule[] = [
  [/^is required$/i, () => '必填'],
  [/^must be at most (\d+) characters$/i, (m) => `最多 ${m[1]} 个字`],
  [/^must be at least (\d+) characters$/i, (m) => `至少 ${m[1]} 个字`],
  [/^must be at most (\d+) basis points$/i, (m) => `最多 ${m[1]} 个基点`],
  [/^must be at most (\d+) fen$/i, (m) => `最多 ${(Number(m[1]) / 100).toFixed(2)} 元`],
  [/^must be at most ([\d.]+)%$/i, (m) => `最多 ${m[1]}%`],
  [/^must be at most ([\d.]+)$/i, (m) => `不能大于 ${m[1]}`],
  [/^must be at least 1 fen$/i, () => '至少 0.01 元'],
  [/^must be at least ([\d.]+)$/i, (m) => `不能小于 ${m[1]}`],
  [/^must be a whole number from (\d+) to (\d+)$/i, (m) => `请填 ${m[1]} 到 ${m[2]} 之间的整数`],
  [/^must be a whole number of fen$/i, () => '金额最多两位小数'],
  [/^must be a whole number of hundredths of a mu$/i, () => '面积最多两位小数（亩）'],
  [/^must be a whole number of basis points/i, () => '请填整数个基点'],
  [/^must be a whole percentage/i, () => '请填整数百分比'],
  [/^must be a whole number/i, () => '请填整数'],
  [/^must be a number$/i, () => '请填数字'],
  [/^must be more than 0$/i, () => '必须大于 0'],
  [/^must be 0 or more$|^must not be negative$/i, () => '不能是负数'],
  [/^must not be in the future$/i, () => '不能晚于今天'],
  [/^must be an 11-digit (mainland )?mobile number/i, () => '请填 11 位手机号'],
  [/^must be an e-mail address or an 11-digit/i, () => '请填邮箱或 11 位手机号'],
  [/^must be an e-mail address$/i, () => '请填有效的邮箱地址'],
  [/^an e-mail address or a mobile number is required$/i, () => '请填邮箱或手机号'],
  [/^must be a mobile number or a landline/i, () => '请填手机号或带区号的座机号'],
  [/^must be an ISO date-time/i, () => '请选择日期和时间'],
  [/^must be a (real )?date( written)? (YYYY-MM-DD|like \S+)$/i, () => '请填日期，如 2025-03-01'],
  [/^is not a valid date$/i, () => '不是有效的日期'],
  [/^must be a month, YYYY-MM$/i, () => '请填月份，如 2025-03'],
  [
    /^must be (a |an )?(UUID|product id|user id|household id|show id|deal id|message id|a page number)$/i,
    () => '请从列表中选择',
  ],
  [/^must be one of /i, () => '请从选项中选择'],
  [/^must be true or false$/i, () => '请选择是或否'],
  [/^must be text$/i, () => '请填文字'],
  [/^is too large$/i, () => '数值太大'],
  [/^choose at least one product$/i, () => '请至少选择一件商品'],
  [/^at most (\d+) products$/i, (m) => `最多 ${m[1]} 件商品`],
  [/^must contain at least one item$/i, () => '至少要有一件商品'],
  [/^the threshold must be above the amount off/i, () => '使用门槛须高于优惠金额（无门槛填 0）'],
  [/^an address or addressId is required$/i, () => '请填写收货地址'],
  [/check character does not match/i, () => '校验位不对：有一位数字或字母填错了'],
  [/^must be the 6 digits you received$/i, () => '请填收到的 6 位数字验证码'],
  [/^must be (\d+)–(\d+) letters, digits or dashes$/i, (m) => `${m[1]}–${m[2]} 位字母、数字或连字符`],
  [/^choose a product, an order or a cooperative$/i, () => '请选择要咨询的商品、订单或合作社'],
  [/^letters, digits and \. _ - \/ only$/i, () => '只能包含字母、数字和 . _ - /'],
  [/^at least one household must supply the lot$/i, () => '至少要有一户供货'],
  [/^at least one household must promise a quantity$/i, () => '至少要有一户承诺供货数量'],
  [/^a household is listed twice$/i, () => '同一农户填了两次'],
  [/^must be on or after shipFrom$/i, () => '不能早于发货开始日期'],
  [
    /^the guaranteed purchase price cannot exceed the sale price \(deposit \+ balance\)$/i,
    () => '保底收购价不能高于售价（定金 + 尾款）',
  ],
  [/^nothing to change$/i, () => '没有需要保存的修改'],
  [/deal price must be below the normal price/i, () => '秒杀价必须低于原价'],
  [/^pin the product before launching/i, () => '请先讲解（置顶）这个商品再开秒杀'],
  [/deal quantity is more than the stock/i, () => '秒杀数量超过了库存'],
  [/per-buyer limit is more than the deal quantity/i, () => '每人限购不能多于秒杀数量'],
  [/control characters/i, () => '包含不可见的控制字符，请删掉后重试'],
  [/^must be host or coop_admin$/i, () => '请选择主播或合作社管理员'],
  [/^must be the payout number sent with the code$/i, () => '请填短信里和验证码一起发来的兑付编号'],
  [/^must be utf8 or gbk$/i, () => '请选择 UTF-8 或 GBK 编码'],
  [/^no ID numbers found$/i, () => '没有找到身份证号：每行一个，可以直接从表格里复制粘贴'],
  [/^at most (\d+) lines at once$/i, (m) => `一次最多 ${m[1]} 行，请分几次导入`],
  [/^must be a photo id$/i, () => '照片没有上传成功，请重新选择'],
  [/^a photo may be listed only once$/i, () => '同一张照片只能用一次'],
  [/^only with outcome refund$/i, () => '只有判定退款时才填退款金额'],
];

/** Whether `text` looks like an English sentence (no Chinese in it). */
const isEnglish = (text: string) => /[a-z]/i.test(text) && !/[\u4e00-\u9fff]/.test(text);

/**
 * `text` (a server or contract sentence) in the reader's language. `fallback` is used for an English sentence
 * without a rule on a Chinese screen (default: a generic "please check this").
 */
export function translateServerText(text: string, fallback?: string): string {
  if (i18n.language?.startsWith('en') || !isEnglish(text)) return text;
  const t = text.trim();
  for (const [re, say] of ZH_RULES) {
    const m = t.match(re);
    if (m) return say(m);
  }
  return fallback ?? '填写有误，请检查';
}
