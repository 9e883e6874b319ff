/** Fictional people and enterprises: personal fields (当事人, 申请人, 信访人) never hold real names. */
import type { Rng } from './prng';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢姜钟陆汪范金石顾毛钱严施俞倪龚'.split('');
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国志红梅海燕晨悦嘉怡宇轩浩然子涵雨欣佳琪文博俊凯婷婷雪莉根宝阿毛小妹永福'.split('');

export function personName(rng: Rng): string {
  const given = rng.chance(0.35) ? rng.pick(GIVEN) : rng.pick(GIVEN) + rng.pick(GIVEN);
  return rng.pick(SURNAMES) + given;
}

const FIRM_WORDS = ['恒达', '佳禾', '众诚', '瑞丰', '博联', '优创', '锦程', '华捷', '鼎盛', '申源', '宏骏', '汇宁', '启航', '润泽', '同欣', '久安', '沪联', '嘉润', '北辰', '云帆'];
const INDUSTRIES = ['餐饮管理', '物业管理', '建筑工程', '信息科技', '物流', '商贸', '装饰工程', '汽车服务', '文化传播', '智能科技', '环境科技', '生物科技', '供应链管理', '建材', '机电设备'];

export function companyName(rng: Rng): string {
  return `上海${rng.pick(FIRM_WORDS)}${rng.pick(INDUSTRIES)}有限公司`;
}

const SHOP_KINDS = ['小吃店', '便利店', '水果店', '五金店', '理发店', '快餐店', '烟酒店', '面馆', '洗车店', '废品回收站'];

/** A party of an enforcement case: a person, a small shop or a company. */
export function partyName(rng: Rng): string {
  return rng.weighted([
    [`${personName(rng)}`, 5],
    [`宝山区${rng.pick(FIRM_WORDS)}${rng.pick(SHOP_KINDS)}`, 3],
    [companyName(rng), 3],
  ] as const);
}

/** Masked-looking name of a deputy, as registers print them (e.g. 张某某代表). */
export function deputyName(rng: Rng): string {
  return `${rng.pick(SURNAMES)}${rng.pick(GIVEN)}${rng.pick(GIVEN)}`;
}
