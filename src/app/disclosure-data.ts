/**
 * Loads what the annual disclosure report counts, for one or many org units (each with everything
 * below it) and a year: five narrow queries over the `records` table, the counting left to
 * core/disclosure. Only the fields the tables read are fetched.
 */
import { sql } from 'kysely';
import type { Storage } from '../db/connect';
import { jsonBool, jsonNum, jsonText } from '../db/json';
import type { DisclosureInput } from '../core/disclosure';

export interface OrgRef {
  id: number;
  path: string;
}

export const titleOf = (s: string | null, fallback: string) => (s && s.length > 40 ? `${s.slice(0, 40)}…` : s || fallback);

/** One DisclosureInput per given org unit (keyed by its id); records of units below it count for it. */
export async function loadDisclosureInputs(storage: Storage, orgs: readonly OrgRef[], year: number): Promise<Map<number, DisclosureInput>> {
  const { db, dialect } = storage;
  const out = new Map<number, DisclosureInput>();
  for (const o of orgs) out.set(o.id, { year, requests: [], normativeDocuments: [], enforcement: [], indicators: [], litigation: [] });
  if (orgs.length === 0) return out;
  const units = await db
    .selectFrom('org_units')
    .select(['id', 'path'])
    .where((eb) => eb.or(orgs.map((o) => eb('path', 'like', `${o.path}%`))))
    .execute();
  // The most specific given unit a record's unit lies under (a district and its towns may both be given).
  const owner = new Map<number, number>();
  for (const u of units) {
    const best = orgs.filter((o) => u.path.startsWith(o.path)).sort((a, b) => b.path.length - a.path.length)[0];
    if (best) owner.set(Number(u.id), best.id);
  }
  const ids = [...owner.keys()];
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  const base = (kind: string) =>
    db.selectFrom('records').where('records.kind', '=', kind).where('records.org_id', 'in', ids).where('records.deleted_at', 'is', null);
  const inputOf = (orgId: number) => out.get(owner.get(Number(orgId))!)!;

  const [requests, docs, enforcement, indicators, cases] = await Promise.all([
    // Received by 31 December and not replied before 1 January: new, carried in, handled or carried out.
    base('disclosure_request')
      .where('records.occurred_on', '<=', end)
      .where((eb) => eb.or([eb('records.closed_on', 'is', null), eb('records.closed_on', '>=', start)]))
      .select([
        'records.id',
        'records.org_id',
        'records.occurred_on',
        'records.closed_on',
        jsonText(dialect, 'applicantType').as('applicantType'),
        jsonText(dialect, 'replyType').as('replyType'),
        jsonText(dialect, 'replyReason').as('replyReason'),
      ])
      .execute(),
    base('normative_document')
      .where('records.occurred_on', '<=', end)
      .select([
        'records.id',
        'records.org_id',
        'records.occurred_on',
        jsonText(dialect, 'repealedOn').as('repealedOn'),
        jsonText(dialect, 'expiresOn').as('expiresOn'),
        jsonText(dialect, 'state').as('state'),
        jsonText(dialect, 'title').as('title'),
      ])
      .execute(),
    base('enforcement_case')
      .where('records.occurred_on', '>=', start)
      .where('records.occurred_on', '<=', end)
      .select(['records.id', 'records.org_id', 'records.occurred_on', jsonText(dialect, 'actionType').as('actionType')])
      .execute(),
    base('indicator')
      .where('records.occurred_on', '>=', start)
      .where('records.occurred_on', '<=', end)
      .where(jsonText(dialect, 'code'), 'in', ['admin_fees_wan', 'disclosure_fees_yuan'])
      .select(['records.id', 'records.org_id', jsonText(dialect, 'code').as('code'), jsonText(dialect, 'period').as('period'), jsonNum(dialect, 'value').as('value')])
      .execute(),
    base('litigation')
      .where('records.occurred_on', '>=', start)
      .where('records.occurred_on', '<=', end)
      .where(jsonBool(dialect, 'disclosureRelated'), '=', 1)
      .select([
        'records.id',
        'records.org_id',
        'records.occurred_on',
        'records.closed_on',
        jsonText(dialect, 'caseType').as('caseType'),
        jsonText(dialect, 'outcome').as('outcome'),
        jsonBool(dialect, 'afterReconsideration').as('afterReconsideration'),
        jsonText(dialect, 'caseNumber').as('title'),
      ])
      .execute(),
  ]);
  for (const r of requests) {
    (inputOf(r.org_id).requests as DisclosureInput['requests'][number][]).push({
      id: Number(r.id),
      // Titles are read below only for the few requests a warning names.
      title: `申请 #${r.id}`,
      receivedOn: r.occurred_on ?? '',
      repliedOn: r.closed_on,
      applicantType: r.applicantType ?? undefined,
      replyType: r.replyType ?? undefined,
      replyReason: r.replyReason ?? undefined,
    });
  }
  for (const r of docs) {
    (inputOf(r.org_id).normativeDocuments as DisclosureInput['normativeDocuments'][number][]).push({
      id: Number(r.id),
      title: titleOf(r.title, `文件 #${r.id}`),
      issuedOn: r.occurred_on ?? '',
      repealedOn: r.repealedOn,
      expiresOn: r.expiresOn,
      state: r.state ?? undefined,
    });
  }
  for (const r of enforcement) {
    if (r.actionType !== '行政许可' && r.actionType !== '行政处罚' && r.actionType !== '行政强制') continue;
    (inputOf(r.org_id).enforcement as DisclosureInput['enforcement'][number][]).push({ id: Number(r.id), actionType: r.actionType, decidedOn: r.occurred_on ?? '' });
  }
  for (const r of indicators) {
    // pg returns numerics as strings.
    (inputOf(r.org_id).indicators as DisclosureInput['indicators'][number][]).push({ id: Number(r.id), code: r.code, period: r.period ?? '', value: r.value === null ? null : Number(r.value) });
  }
  for (const r of cases) {
    (inputOf(r.org_id).litigation as DisclosureInput['litigation'][number][]).push({
      id: Number(r.id),
      title: titleOf(r.title, `案件 #${r.id}`),
      caseType: r.caseType,
      receivedOn: r.occurred_on ?? '',
      closedOn: r.closed_on,
      outcome: r.outcome ?? undefined,
      disclosureRelated: true,
      afterReconsideration: r.afterReconsideration === null ? undefined : Number(r.afterReconsideration) === 1,
    });
  }
  return out;
}

/** The titles (申请内容, shortened) of the requests the given warnings name, for their messages. */
export async function requestTitles(storage: Storage, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await storage.db
    .selectFrom('records')
    .select(['records.id', jsonText(storage.dialect, 'content').as('content')])
    .where('records.id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [Number(r.id), titleOf(r.content, `申请 #${r.id}`)]));
}
