import { describe, expect, it } from 'vitest';
import { disclosureRequest } from '../ledgers/kinds/disclosure_request';
import { normativeDocument } from '../ledgers/kinds/normative_document';
import { validateRecordData } from '../ledgers/validate';
import { planTransition } from '../flows/transitions';

const fresh = { applicant: '张三', receivedOn: '2023-03-01', content: '申请公开某项目审批文件' };
const messages = (r: ReturnType<typeof validateRecordData>) => (r.ok ? [] : r.errors.map((e) => e.message));

describe('disclosure_request version 2', () => {
  it('requires 申请人类型 on new records only', () => {
    expect(messages(validateRecordData(disclosureRequest, fresh))).toEqual(['申请人类型：必填']);
    // A record written under version 1 stays editable without it.
    const r = validateRecordData(disclosureRequest, { content: '修改后的内容' }, { previous: { ...fresh, replyType: '其他' } });
    expect(r.ok).toBe(true);
  });

  it('requires 具体情形 under the types with sub-items, only a sub-item of that type, and none otherwise', () => {
    const v = (o: object) => messages(validateRecordData(disclosureRequest, { ...fresh, applicantType: '自然人', repliedOn: '2023-03-10', ...o }));
    expect(v({ replyType: '予以公开' })).toEqual([]);
    expect(v({ replyType: '不予公开', replyReason: '属于国家秘密' })).toEqual([]);
    expect(v({ replyType: '不予公开' })[0]).toMatch(/^具体情形：答复类型为“不予公开”时必填/);
    expect(v({ replyType: '不予公开', replyReason: '重复申请' })[0]).toMatch(/^具体情形：“重复申请”不属于“不予公开”的情形/);
    expect(v({ replyType: '予以公开', replyReason: '重复申请' })).toEqual(['具体情形：答复类型为“予以公开”时不填']);
  });

  it('accepts the old value 其他 as 其他处理 and the spec\'s wordings for sub-items', () => {
    const ok = (o: object) => validateRecordData(disclosureRequest, { ...fresh, applicantType: '商业企业', ...o });
    expect(ok({ replyType: '其他', replyReason: '申请人主动撤销' })).toMatchObject({ ok: true, data: { replyType: '其他处理', replyReason: '其他' } });
    expect(ok({ replyType: '其他处理', replyReason: '逾期未补正' })).toMatchObject({ ok: true, data: { replyReason: '申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请' } });
    expect(ok({ replyType: '无法提供', replyReason: '信息不存在' })).toMatchObject({ ok: true, data: { replyReason: '本机关不掌握相关政府信息' } });
    expect(ok({ replyType: '不予公开', replyReason: '危及"三安全一稳定"' })).toMatchObject({ ok: true, data: { replyReason: '危及“三安全一稳定”' } });
    expect(ok({ replyType: '不予公开', replyReason: '1.属于国家秘密' })).toMatchObject({ ok: true, data: { replyReason: '属于国家秘密' } });
  });

  it('the reply step asks for 申请人类型, 答复类型 and 具体情形 where missing', () => {
    const opts = { role: 'office' as const, today: '2023-03-10', fields: disclosureRequest.fields };
    const plan = (data: Record<string, unknown>, payload: Record<string, unknown>) => planTransition(disclosureRequest.flow!, { status: '收到', data: { ...fresh, ...data } }, 'reply', { ...opts, data: payload });
    expect(plan({}, { replyType: '予以公开' })).toMatchObject({ ok: false, error: '执行「答复」须填写「申请人类型」' });
    expect(plan({ applicantType: '自然人' }, { replyType: '无法提供' })).toMatchObject({ ok: false, error: '执行「答复」须填写「具体情形」' });
    expect(plan({ applicantType: '自然人' }, { replyType: '部分公开' })).toMatchObject({ ok: true });
  });
});

describe('normative_document version 2', () => {
  it('has the 废止日期 field', () => {
    expect(validateRecordData(normativeDocument, { docNumber: '庙府规〔2023〕1号', title: '办法', issuedOn: '2023-01-01', state: '已废止', repealedOn: '2023-06-30' }).ok).toBe(true);
  });
});
