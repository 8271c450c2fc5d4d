import { customPinyin, pinyin } from 'pinyin-pro';
import type { PinyinOf } from '@xiangbo/domain';

/**
 * Readings a general dictionary gets wrong for our places: 柞水 is Zuòshuǐ (the county of the 木耳), not "zha shui".
 * Add a place here when its products cannot be found by the pinyin the villagers use.
 */
customPinyin({ 柞水: 'zuò shuǐ' });

/**
 * Toneless pinyin of a Han run, one lower-case syllable per character, ü typed as v (lv, nv) as on every Chinese
 * keyboard. pinyin-pro reads words in context (重庆 chóng, 银行 háng), which a per-character table would not.
 */
export const pinyinOf: PinyinOf = (han) => pinyin(han, { toneType: 'none', type: 'array', v: true });
