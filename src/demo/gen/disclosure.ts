/**
 * What the annual disclosure report counts on generated requests: the applicant type and the
 * national reply type with its sub-item. Drawn from an RNG of the request's own (seeded by its
 * content and date) rather than the town's, so adding them changed no other generated value and
 * the 庙行镇 acceptance figures stay as they were.
 */
import { APPLICANT_TYPES, REPLY_REASONS, type ReasonedType } from '../../core/disclosure/outcomes';
import type { ExchangeLine } from '../exchange';
import { createRng, type Rng } from '../prng';

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function lineRng(line: ExchangeLine): Rng {
  return createRng(hash(`${String(line.receivedOn)}|${String(line.content)}|${String(line.applicant)}`));
}

/** 申请人类型 from the applicant: a law firm is 法律服务机构; otherwise mostly 自然人, some organisations. */
export function applicantTypeOf(line: ExchangeLine): string {
  const name = String(line.applicant ?? '');
  if (name.includes('律师事务所')) return '法律服务机构';
  return lineRng(line).weighted([['自然人', 86], ['商业企业', 8], ['社会公益组织', 2], ['科研机构', 1], ['其他', 3]] as const);
}

/** A sub-item of a reply type that has them, weighted towards the common ones (不掌握, 重复申请, 撤回). */
export function replyReasonOf(rng: Rng, type: ReasonedType): string {
  const items = REPLY_REASONS[type] as readonly string[];
  return rng.weighted(items.map((x, i) => [x, i === 0 || (type === '其他处理' && i === 2) ? 4 : 1] as const));
}

/** Fills the reply fields the way a 法治办 does: type from the old generator's pick (其他 → 其他处理), sub-item where needed. */
export function completeReply(line: ExchangeLine, oldType: string): void {
  const type = oldType === '其他' ? '其他处理' : oldType;
  line.replyType = type;
  if (type in REPLY_REASONS) line.replyReason = replyReasonOf(lineRng(line), type as ReasonedType);
}

export const DEMO_APPLICANT_TYPES = APPLICANT_TYPES;

const CASES: readonly { replyType: string; replyReason?: string; applicantType: string; content: string }[] = [
  { replyType: '予以公开', applicantType: '自然人', content: '申请公开本镇旧住房改造项目的居民意见征询结果' },
  { replyType: '部分公开', applicantType: '商业企业', content: '申请公开某地块出让前期评估报告' },
  { replyType: '不予公开', replyReason: '保护第三方合法权益', applicantType: '自然人', content: '申请公开邻居房屋的产权登记信息' },
  { replyType: '不予公开', replyReason: '属于四类过程性信息', applicantType: '社会公益组织', content: '申请公开镇政府研究某项目的会议讨论记录' },
  { replyType: '无法提供', replyReason: '本机关不掌握相关政府信息', applicantType: '自然人', content: '申请公开区级部门的土地审批文件' },
  { replyType: '无法提供', replyReason: '没有现成信息需要另行制作', applicantType: '科研机构', content: '申请提供本镇十年来各类企业数量的汇总分析' },
  { replyType: '不予处理', replyReason: '信访举报投诉类申请', applicantType: '自然人', content: '要求查处某小区违法搭建并答复处理结果' },
  { replyType: '不予处理', replyReason: '重复申请', applicantType: '自然人', content: '再次申请公开已答复的征收补偿方案' },
  { replyType: '其他处理', replyReason: '申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', applicantType: '自然人', content: '申请公开“有关文件”（经通知补正未补正）' },
  { replyType: '其他处理', replyReason: '其他', applicantType: '法律服务机构', content: '申请公开某执法案件的调查材料（申请人主动撤销）' },
];

/**
 * A realistic year of the report's outcomes for a demo town: every reply type (and several sub-items)
 * at least once, a request received just before 31 December and replied after New Year (结转), fee
 * indicators, and a disclosure-related reconsideration. `rng` is the town's.
 */
export function disclosureYearLines(rng: Rng, year: number, asOf: string, dept: string, safetyDept: string): ExchangeLine[] {
  const end = `${year}-12-31`;
  if (end > asOf) return [];
  const lines: ExchangeLine[] = CASES.map((c, i) => {
    const month = String(1 + ((i * 5 + rng.int(0, 3)) % 11)).padStart(2, '0');
    const receivedOn = `${year}-${month}-${String(rng.int(3, 18)).padStart(2, '0')}`;
    const repliedOn = `${year}-${month}-${String(rng.int(21, 27)).padStart(2, '0')}`;
    return { kind: 'disclosure_request', dept, status: '已答复', applicant: c.applicantType === '自然人' ? `申请人${String.fromCharCode(0x7532 + i)}` : `上海某${c.applicantType}`, applicantType: c.applicantType, receivedOn, content: c.content, repliedOn, replyType: c.replyType, ...(c.replyReason ? { replyReason: c.replyReason } : {}) };
  });
  // Received on the last working days of the year, replied after New Year: 结转下年度 this year, 上年结转 the next.
  const late = { kind: 'disclosure_request', dept, applicant: '跨年申请人', applicantType: '自然人', receivedOn: `${year}-12-29`, content: '申请公开本镇下一年度重点民生实事项目计划' } as ExchangeLine;
  if (`${year + 1}-01-08` <= asOf) Object.assign(late, { status: '已答复', repliedOn: `${year + 1}-01-08`, replyType: '予以公开' });
  lines.push(late);
  // And one still open on 1 January of this year, from the last days of the year before: 上年结转.
  lines.push({ kind: 'disclosure_request', dept, status: '已答复', applicant: '上年申请人', applicantType: '自然人', receivedOn: `${year - 1}-12-27`, content: '申请公开本镇上一年度征收补偿资金发放情况', repliedOn: `${year}-01-12`, replyType: '部分公开' });
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
  for (const m of months.filter((_, i) => i % 3 === 2)) {
    lines.push({ kind: 'indicator', dept: safetyDept, code: 'admin_fees_wan', period: m, value: rng.int(5, 40) / 10, source: '镇财政所' });
  }
  lines.push({ kind: 'indicator', dept, code: 'disclosure_fees_yuan', period: `${year}-12`, value: 0, source: '镇财政所' });
  lines.push({
    kind: 'litigation',
    dept,
    caseNumber: `沪宝府复字〔${year}〕第${rng.int(100, 199)}号`,
    caseType: '行政复议',
    cause: '政府信息公开答复',
    receivedOn: `${year}-06-${String(rng.int(10, 20)).padStart(2, '0')}`,
    defendedOn: `${year}-06-24`,
    outcome: '维持',
    closedOn: `${year}-08-${String(rng.int(10, 20)).padStart(2, '0')}`,
    disclosureRelated: true,
  });
  return lines;
}

const TYPE_WEIGHTS = [['予以公开', 40], ['部分公开', 12], ['不予公开', 8], ['无法提供', 18], ['不予处理', 8], ['其他处理', 14]] as const;

/**
 * `n` requests received over a year (and a few late in the year before, still open on 1 January),
 * for tests and benchmarks: every applicant type and sub-item, replies within about 20 working days,
 * the last weeks' requests open or replied after New Year. Dates are never after `asOf`.
 */
export function disclosureRequestYear(rng: Rng, year: number, n: number, asOf: string, dept: string): ExchangeLine[] {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const plus = (ymd: string, k: number) => day(new Date(Date.parse(`${ymd}T00:00:00Z`) + k * 86400000));
  const lines: ExchangeLine[] = [];
  const carried = Math.max(1, Math.round(n / 50));
  for (let i = 0; i < n + carried; i++) {
    const receivedOn = i < n ? plus(`${year}-01-01`, rng.int(0, 364)) : plus(`${year - 1}-12-01`, rng.int(0, 30));
    const applicantType = rng.weighted([['自然人', 80], ['商业企业', 8], ['科研机构', 2], ['社会公益组织', 2], ['法律服务机构', 5], ['其他', 3]] as const);
    const line: ExchangeLine = { kind: 'disclosure_request', dept, applicant: `申请人${i + 1}`, applicantType, receivedOn, content: `申请公开第${i + 1}号事项的相关文件` };
    const repliedOn = plus(receivedOn, i >= n ? rng.int(32, 45) : rng.int(5, 30));
    if (repliedOn <= asOf) {
      const type = rng.weighted(TYPE_WEIGHTS);
      Object.assign(line, { status: '已答复', repliedOn, replyType: type });
      if (type in REPLY_REASONS) line.replyReason = rng.pick(REPLY_REASONS[type as ReasonedType] as readonly string[]);
    }
    lines.push(line);
  }
  return lines;
}
