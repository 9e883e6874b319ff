/**
 * Loads what the annual disclosure report counts, for one or many org units (each with everything
 * below it) and a year, record by record: the traced path, whose cells list their records (the cell
 * lists, the JSON/HTML trace, the 定稿 snapshot). The untraced tables are counted by the database
 * as groups (disclosure-groups.ts), over the same windows written here once. Only the fields the
 * tables read are fetched; the counting is core/disclosure's.
 */
import type { Storage } from './connect';
import { jsonBool, jsonNum, jsonText } from './json';
import { yearBounds, type DisclosureCommonInput, type DisclosureInput } from '../core/disclosure';

export interface OrgRef {
  id: number;
  path: string;
}

export const titleOf = (s: string | null, fallback: string) => (s && s.length > 40 ? `${s.slice(0, 40)}…` : s || fallback);

export interface OrgScope {
  /** Every org unit whose records count, i.e. the given units and all below them. */
  ids: number[];
  /** Record's org unit → the most specific given unit it lies under (a district and its towns may both be given). */
  owner: Map<number, number>;
}

export async function orgScope(storage: Storage, orgs: readonly OrgRef[]): Promise<OrgScope> {
  if (orgs.length === 0) return { ids: [], owner: new Map() };
  const units = await storage.db
    .selectFrom('org_units')
    .select(['id', 'path'])
    .where((eb) => eb.or(orgs.map((o) => eb('path', 'like', `${o.path}%`))))
    .execute();
  const owner = new Map<number, number>();
  for (const u of units) {
    const best = orgs.filter((o) => u.path.startsWith(o.path)).sort((a, b) => b.path.length - a.path.length)[0];
    if (best) owner.set(Number(u.id), best.id);
  }
  return { ids: [...owner.keys()], owner };
}

/** Live records of a kind in the scope. */
export function kindIn(storage: Storage, scope: OrgScope, kind: string) {
  return storage.db.selectFrom('records').where('records.kind', '=', kind).where('records.org_id', 'in', scope.ids).where('records.deleted_at', 'is', null);
}

/** The requests table 三 of the year reads: received by 31 December, not replied before 1 January (core: `requestKey`). */
export function requestWindow(storage: Storage, scope: OrgScope, year: number) {
  const { start, end } = yearBounds(year);
  return kindIn(storage, scope, 'disclosure_request')
    .where('records.occurred_on', '<=', end)
    .where((eb) => eb.or([eb('records.closed_on', 'is', null), eb('records.closed_on', '>=', start)]));
}

/** Enforcement decisions of the year (decidedOn is the kind's date, `occurred_on`). */
export function enforcementWindow(storage: Storage, scope: OrgScope, year: number) {
  const { start, end } = yearBounds(year);
  return kindIn(storage, scope, 'enforcement_case').where('records.occurred_on', '>=', start).where('records.occurred_on', '<=', end);
}

/**
 * The ledgers with few records a year, read record by record on both paths: normative documents,
 * the fee indicators, disclosure-related cases.
 */
export async function loadCommonInputs(storage: Storage, scope: OrgScope, orgs: readonly OrgRef[], year: number): Promise<Map<number, DisclosureCommonInput>> {
  const { dialect } = storage;
  const out = new Map<number, { year: number; normativeDocuments: DisclosureInput['normativeDocuments'][number][]; indicators: DisclosureInput['indicators'][number][]; litigation: DisclosureInput['litigation'][number][] }>();
  for (const o of orgs) out.set(o.id, { year, normativeDocuments: [], indicators: [], litigation: [] });
  if (scope.ids.length === 0) return out;
  const { start, end } = yearBounds(year);
  const inputOf = (orgId: number) => out.get(scope.owner.get(Number(orgId))!)!;
  const [docs, indicators, cases] = await Promise.all([
    kindIn(storage, scope, 'normative_document')
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
    kindIn(storage, scope, 'indicator')
      .where('records.occurred_on', '>=', start)
      .where('records.occurred_on', '<=', end)
      .where(jsonText(dialect, 'code'), 'in', ['admin_fees_wan', 'disclosure_fees_yuan'])
      .select(['records.id', 'records.org_id', jsonText(dialect, 'code').as('code'), jsonText(dialect, 'period').as('period'), jsonNum(dialect, 'value').as('value')])
      .execute(),
    kindIn(storage, scope, 'litigation')
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
  for (const r of docs) {
    inputOf(r.org_id).normativeDocuments.push({
      id: Number(r.id),
      title: titleOf(r.title, `文件 #${r.id}`),
      issuedOn: r.occurred_on ?? '',
      repealedOn: r.repealedOn,
      expiresOn: r.expiresOn,
      state: r.state ?? undefined,
    });
  }
  for (const r of indicators) {
    // pg returns numerics as strings.
    inputOf(r.org_id).indicators.push({ id: Number(r.id), code: r.code, period: r.period ?? '', value: r.value === null ? null : Number(r.value) });
  }
  for (const r of cases) {
    inputOf(r.org_id).litigation.push({
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

/** One DisclosureInput per given org unit (keyed by its id), every request and decision a record of its own. */
export async function loadDisclosureInputs(storage: Storage, orgs: readonly OrgRef[], year: number): Promise<Map<number, DisclosureInput>> {
  const { dialect } = storage;
  const scope = await orgScope(storage, orgs);
  const common = await loadCommonInputs(storage, scope, orgs, year);
  const out = new Map<number, DisclosureInput & { requests: DisclosureInput['requests'][number][]; enforcement: DisclosureInput['enforcement'][number][] }>();
  for (const [id, c] of common) out.set(id, { ...c, requests: [], enforcement: [] });
  if (scope.ids.length === 0) return out;
  const inputOf = (orgId: number) => out.get(scope.owner.get(Number(orgId))!)!;
  const [requests, enforcement] = await Promise.all([
    requestWindow(storage, scope, year)
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
    enforcementWindow(storage, scope, year).select(['records.id', 'records.org_id', 'records.occurred_on', jsonText(dialect, 'actionType').as('actionType')]).execute(),
  ]);
  for (const r of requests) {
    inputOf(r.org_id).requests.push({
      id: Number(r.id),
      // Titles are read afterwards only for the few requests a warning names.
      title: `申请 #${r.id}`,
      receivedOn: r.occurred_on ?? '',
      repliedOn: r.closed_on,
      applicantType: r.applicantType ?? undefined,
      replyType: r.replyType ?? undefined,
      replyReason: r.replyReason ?? undefined,
    });
  }
  for (const r of enforcement) inputOf(r.org_id).enforcement.push({ id: Number(r.id), actionType: r.actionType, decidedOn: r.occurred_on ?? '' });
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
