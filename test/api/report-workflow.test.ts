/**
 * Issue 10 on the API, for any report type: the signature block (发文机关署名 derived or set, 成文日期
 * default the day of 定稿, 主送机关), the no-data modes, the finalize guard (second person, figures
 * without data, failed consistency checks), structure edits and the editor's Chinese figure names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../src/db/testing';
import { systemActor } from '../../src/app/context';
import { importLines } from '../../src/app/exchange';
import { startApi, type ApiHarness } from '../support/api';
import { TOWN_A_LINES } from '../acceptance/small-towns';

interface Run {
  text: string;
  metricKey?: string;
  label?: string;
  withheld?: boolean;
}
interface Para {
  id: string;
  heading?: string;
  runs: Run[];
  source: string;
  unedited: boolean;
  generated: boolean;
  segments: { type: string; text?: string; key?: string; label?: string; format?: string }[];
  sources: { metricKey: string; label: string; recordIds: number[] }[];
}
interface View {
  state: string;
  document: { sections: { key: string; heading: string; paragraphs: Para[] }[] };
  warnings: { paragraphId?: string; metricKey: string; message: string; kind?: string }[];
  signature: { issuer: string; date?: string; addressee?: string };
  settings: Record<string, string>;
  otherPart: boolean;
  unedited: { id: string }[];
  blockers: { code: string; message: string }[];
}

const paras = (v: View) => v.document.sections.flatMap((s) => s.paragraphs);
const text = (p: Para) => p.runs.filter((r) => !r.withheld).map((r) => r.text).join('');

describe.each(testDialects())('report workflow API on %s', (dialect) => {
  let h: ApiHarness;
  let office: string, admin: string, leader: string;
  let townA: number, qu: number, id: number, publicity: number;
  const get = async (who = office) => (await h.req(who, 'GET', `/api/reports/${id}`)).json() as View;
  const state = (to: string, who = office) => h.req(who, 'POST', `/api/reports/${id}/state`, { to });

  beforeAll(async () => {
    h = await startApi(dialect, () => new Date('2024-01-20T02:00:00Z'));
    await importLines(h.ctx, systemActor(), 'town_a', TOWN_A_LINES);
    [office, admin, leader] = await h.logins('office', 'admin', 'leader');
    townA = await h.orgId('town_a');
    qu = await h.orgId('qu');
    // A publicity activity without its materials count: the consistency check of the report fails.
    const r = await h.req(office, 'POST', '/api/records/publicity_activity', {
      deptId: await h.deptId('town_a', '司法所'),
      data: { title: '法律进社区', heldOn: '2023-08-08', activityType: '法律进社区', participants: 40 },
    });
    expect(r.statusCode).toBe(201);
    publicity = r.json().id;
    id = (await h.req(office, 'POST', '/api/reports', { orgId: townA, year: 2023 })).json().id;
  });
  afterAll(async () => h?.close());

  it('signs with the issuing name derived from the org unit and its parents, or the one set', async () => {
    expect((await get()).signature).toEqual({ issuer: '测试区甲镇人民政府' });
    expect((await h.req(office, 'PUT', `/api/orgs/${qu}/issuing-name`, { issuingName: '上海市测试区人民政府' })).statusCode).toBe(403);
    const set = await h.req(admin, 'PUT', `/api/orgs/${qu}/issuing-name`, { issuingName: '上海市测试区人民政府' });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toEqual({ orgId: qu, issuingName: '上海市测试区人民政府' });
    expect((await get()).signature.issuer).toBe('上海市测试区甲镇人民政府');
    const audit = await h.storage.db.selectFrom('audit_log').select(['after']).where('entity', '=', 'org').where('entity_id', '=', String(qu)).execute();
    expect(JSON.parse(audit.at(-1)!.after!)).toEqual({ issuingName: '上海市测试区人民政府' });
  });

  it('sets 主送机关 and 成文日期, rejecting a bad date in Chinese', async () => {
    const bad = await h.req(office, 'PUT', `/api/reports/${id}/settings`, { signedOn: '2024-02-30' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('成文日期');
    expect((await h.req(leader, 'PUT', `/api/reports/${id}/settings`, { addressee: '测试区人民政府' })).statusCode).toBe(403);
    const ok = await h.req(office, 'PUT', `/api/reports/${id}/settings`, { addressee: '测试区人民政府', signedOn: '2024-03-15' });
    expect(ok.statusCode).toBe(200);
    expect((ok.json() as View).signature).toEqual({ issuer: '上海市测试区甲镇人民政府', date: '2024年3月15日', addressee: '测试区人民政府' });
    const md = (await h.req(office, 'GET', `/api/reports/${id}/export?format=md`)).body;
    expect(md).toContain('\n\n测试区人民政府：\n\n');
    expect(md).toMatch(/上海市测试区甲镇人民政府 {2}\n2024年3月15日\n$/);
    // Cleared: the date becomes the day of 定稿.
    expect(((await h.req(office, 'PUT', `/api/reports/${id}/settings`, { signedOn: null })).json() as View).signature.date).toBeUndefined();
  });

  it('leaves a sentence without data out of the text; in mark mode keeps it in the editor with 【无数据】', async () => {
    const omit = await get();
    const oversight = paras(omit).find((p) => p.id === 'oversight')!;
    expect(text(oversight)).not.toMatch(/满意率|—|无数据/);
    expect(text(oversight)).toContain('依法办理政府信息公开申请2件。');
    expect(oversight.runs.some((r) => r.withheld)).toBe(true);
    expect(omit.warnings.find((w) => w.metricKey === 'deputy_suggestion.satisfaction_rate')).toMatchObject({ paragraphId: 'oversight', kind: 'omitted' });
    const mark = (await h.req(office, 'PUT', `/api/reports/${id}/settings`, { noData: 'mark' })).json() as View;
    const marked = paras(mark).find((p) => p.id === 'oversight')!;
    expect(marked.runs.filter((r) => r.withheld).map((r) => r.text).join('')).toContain('满意率【无数据】；');
    expect(marked.runs.find((r) => r.metricKey === 'deputy_suggestion.satisfaction_rate')).toMatchObject({ label: '代表委员对办理结果满意率', withheld: true });
    expect(mark.warnings.find((w) => w.metricKey === 'deputy_suggestion.satisfaction_rate')?.kind).toBe('noData');
    const md = (await h.req(office, 'GET', `/api/reports/${id}/export?format=md`)).body;
    expect(md).not.toMatch(/无数据|满意率/);
    // The only dash is the one of the plan's title 《…（2021—2025年）》.
    expect(md.replace('2021—2025', '')).not.toContain('—');
  });

  it('refuses 定稿 while a figure has no data or a consistency check fails, and by the one who submitted it', async () => {
    expect((await state('审核')).statusCode).toBe(200);
    const review = await get(admin);
    expect(review.unedited.map((u) => u.id)).toEqual(expect.arrayContaining(['opening', 'shortcomings', 'leadership']));
    expect(review.unedited.map((u) => u.id)).not.toContain('duties');
    expect(review.blockers.map((b) => b.code)).toEqual(expect.arrayContaining(['no_data', 'consistency']));
    const refused = await state('定稿', admin);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/^不能定稿：.*无数据.*/);
    // Back to the draft: omit the sentence, complete the record.
    expect((await state('草稿')).statusCode).toBe(200);
    await h.req(office, 'PUT', `/api/reports/${id}/settings`, { noData: 'omit' });
    const rec = (await h.req(office, 'GET', `/api/records/publicity_activity/${publicity}`)).json() as { version: number };
    expect((await h.req(office, 'PUT', `/api/records/publicity_activity/${publicity}`, { version: rec.version, data: { materials: 30 } })).statusCode).toBe(200);
    expect((await state('审核')).statusCode).toBe(200);
    expect((await get(office)).blockers.map((b) => b.code)).toEqual(['second_person']);
    const own = await state('定稿');
    expect(own.statusCode).toBe(409);
    expect(own.json().error.message).toContain('提交审核的人不能自己定稿');
    const final = await state('定稿', admin);
    expect(final.statusCode).toBe(200);
    // 成文日期: the day of 定稿 (02:00 UTC is 10:00 in Shanghai on 20 January).
    expect((final.json() as View).signature).toEqual({ issuer: '上海市测试区甲镇人民政府', date: '2024年1月20日', addressee: '测试区人民政府' });
    const moves = await h.storage.db.selectFrom('audit_log').select(['after', 'username']).where('entity', '=', 'report').where('entity_id', '=', String(id)).where('action', '=', 'state').orderBy('id').execute();
    const officeId = (await h.storage.db.selectFrom('users').select('id').where('username', '=', 'office').executeTakeFirstOrThrow()).id;
    expect(moves.at(-2)).toMatchObject({ username: 'office' });
    expect(JSON.parse(moves.at(-2)!.after!)).toMatchObject({ state: '审核', submittedBy: officeId });
    expect(moves.at(-1)).toMatchObject({ username: 'admin' });
    expect(JSON.parse(moves.at(-1)!.after!)).toMatchObject({ state: '定稿', submittedBy: officeId, signedOn: '2024年1月20日' });
  });

  it('adds, moves and removes paragraphs in any part, switches part 五, and shows figures by Chinese name', async () => {
    const v2 = (await h.req(office, 'POST', `/api/reports/${id}/new-version`)).json().id as number;
    const url = `/api/reports/${v2}`;
    const added = await h.req(office, 'POST', `${url}/paragraphs`, {
      part: 'shortcomings',
      index: 0,
      segments: [{ type: 'text', text: '全年培训' }, { type: 'metric', key: 'training.count', format: 'int' }, { type: 'text', text: '期，仍显不足。' }],
    });
    expect(added.statusCode).toBe(201);
    const sh = (added.json() as View).document.sections.find((s) => s.key === 'shortcomings')!.paragraphs;
    expect(sh.map((p) => p.id)).toEqual(['p1', 'shortcomings']);
    expect(text(sh[0]!)).toBe('全年培训3期，仍显不足。');
    expect(sh[0]!.unedited).toBe(false);
    expect(sh[0]!.segments).toEqual([
      { type: 'text', text: '全年培训' },
      { type: 'metric', key: 'training.count', format: 'int', label: expect.stringMatching(/[\u4e00-\u9fa5]/), formatLabel: '整数（int）' },
      { type: 'text', text: '期，仍显不足。' },
    ]);
    expect(JSON.stringify(sh[0]!.segments.map((s) => s.label ?? s.text))).not.toContain('{{');
    const unknown = await h.req(office, 'POST', `${url}/paragraphs`, { part: 'plans', segments: [{ type: 'metric', key: 'nope.count', format: 'int' }] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain('未知的指标');
    const moved = (await h.req(office, 'POST', `${url}/paragraphs/p1/move`, { part: 'plans', index: 0 })).json() as View;
    expect(moved.document.sections.find((s) => s.key === 'plans')!.paragraphs[0]!.id).toBe('p1');
    const last = await h.req(office, 'DELETE', `${url}/paragraphs/shortcomings`);
    expect(last.statusCode).toBe(400);
    expect(last.json().error.message).toContain('至少保留一段');
    expect((await h.req(leader, 'DELETE', `${url}/paragraphs/p1`)).statusCode).toBe(403);
    const removed = (await h.req(office, 'DELETE', `${url}/paragraphs/p1`)).json() as View;
    expect(paras(removed).map((p) => p.id)).not.toContain('p1');
    const on = (await h.req(office, 'PUT', `${url}/other-part`, { on: true })).json() as View;
    expect(on.otherPart).toBe(true);
    expect(on.document.sections.at(-1)).toMatchObject({ key: 'other', heading: '五、其他需要报告的情况' });
    expect(on.unedited.map((u) => u.id)).toContain('other');
    expect(((await h.req(office, 'PUT', `${url}/other-part`, { on: false })).json() as View).document.sections.map((s) => s.key)).not.toContain('other');
    const edited = await h.req(office, 'PUT', `${url}/paragraphs/opening`, { segments: [{ type: 'var', name: 'year' }, { type: 'text', text: '年，甲镇……现报告如下：' }] });
    expect(edited.statusCode).toBe(200);
    expect((edited.json() as View).unedited.map((u) => u.id)).not.toContain('opening');
    expect(paras(edited.json() as View).find((p) => p.id === 'opening')!.source).toBe('{{year}}年，甲镇……现报告如下：');
    const audit = await h.storage.db.selectFrom('audit_log').select(['after']).where('entity', '=', 'report').where('entity_id', '=', String(v2)).where('action', '=', 'update').orderBy('id').execute();
    expect(audit.map((a) => Object.keys(JSON.parse(a.after!))[0])).toEqual(['paragraphAdded', 'paragraphMoved', 'paragraphRemoved', 'otherPart', 'otherPart', 'paragraph']);
  });
});
