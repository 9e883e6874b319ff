/**
 * The applicant types, reply types and 19 sub-items (具体情形) of table 三 of the national format
 * 《中华人民共和国政府信息公开工作年度报告格式》(国办公开办函〔2021〕30号), as stored in the
 * `disclosure_request` ledger, with the JSON keys of the report.
 */

export const APPLICANT_TYPES = ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'] as const;
export type ApplicantType = (typeof APPLICANT_TYPES)[number];

/** The seven columns of table 三: six applicant types and 总计. */
export const COLUMN_KEYS = ['natural', 'business', 'research', 'charity', 'legal', 'other', 'total'] as const;
export type ColumnKey = (typeof COLUMN_KEYS)[number];
export const APPLICANT_COLUMN: Record<ApplicantType, Exclude<ColumnKey, 'total'>> = {
  自然人: 'natural',
  商业企业: 'business',
  科研机构: 'research',
  社会公益组织: 'charity',
  法律服务机构: 'legal',
  其他: 'other',
};
export const COLUMN_LABELS: Record<ColumnKey, string> = {
  natural: '自然人',
  business: '商业企业',
  research: '科研机构',
  charity: '社会公益组织',
  legal: '法律服务机构',
  other: '其他',
  total: '总计',
};

export const REPLY_TYPES = ['予以公开', '部分公开', '不予公开', '无法提供', '不予处理', '其他处理'] as const;
export type ReplyType = (typeof REPLY_TYPES)[number];

/** The reply types whose outcome is counted by sub-item, in the order of the format. */
export const REPLY_REASONS = {
  不予公开: [
    '属于国家秘密',
    '其他法律行政法规禁止公开',
    '危及“三安全一稳定”',
    '保护第三方合法权益',
    '属于三类内部事务信息',
    '属于四类过程性信息',
    '属于行政执法案卷',
    '属于行政查询事项',
  ],
  无法提供: ['本机关不掌握相关政府信息', '没有现成信息需要另行制作', '补正后申请内容仍不明确'],
  不予处理: ['信访举报投诉类申请', '重复申请', '要求提供公开出版物', '无正当理由大量反复申请', '要求行政机关确认或重新出具已获取信息'],
  其他处理: [
    '申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
    '申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
    '其他',
  ],
} as const satisfies Partial<Record<ReplyType, readonly string[]>>;
export type ReasonedType = keyof typeof REPLY_REASONS;

export const ALL_REPLY_REASONS: string[] = Object.values(REPLY_REASONS).flat();

/** JSON keys of the outcome rows of table 三 (the spec's shape). */
export const OUTCOME_KEYS: Record<ReplyType, 'granted' | 'partial' | 'refused' | 'unavailable' | 'notProcessed' | 'otherHandling'> = {
  予以公开: 'granted',
  部分公开: 'partial',
  不予公开: 'refused',
  无法提供: 'unavailable',
  不予处理: 'notProcessed',
  其他处理: 'otherHandling',
};

/** The stored value of the first version of the kind that reads as 其他处理. */
export const OLD_OTHER_REPLY_TYPE = '其他';

/**
 * Spellings accepted on input for a sub-item: the numbered form of the format (`1.属于国家秘密`),
 * straight quotes, and the wordings seen in real reports that the format places
 * (申请人主动撤销 → (六)3.其他; 未补正 → (六)1; 信息不存在 → (四)1).
 */
export function replyReasonAliases(): Record<string, string> {
  const out: Record<string, string> = {
    申请人主动撤销: '其他',
    申请人撤回申请: '其他',
    未补正: REPLY_REASONS.其他处理[0],
    逾期未补正: REPLY_REASONS.其他处理[0],
    信息不存在: REPLY_REASONS.无法提供[0],
    '危及"三安全一稳定"': '危及“三安全一稳定”',
    '危及三安全一稳定': '危及“三安全一稳定”',
  };
  for (const items of Object.values(REPLY_REASONS)) {
    items.forEach((item, i) => {
      for (const sep of ['.', '．', '、']) out[`${i + 1}${sep}${item}`] = item;
    });
  }
  return out;
}
