import type { LedgerDef } from '../types';
import { APPLICANT_TYPES, ALL_REPLY_REASONS, OLD_OTHER_REPLY_TYPE, REPLY_REASONS, REPLY_TYPES, replyReasonAliases } from '../../disclosure/outcomes';

/**
 * Version 2 adds what the annual disclosure report (国办公开办函〔2021〕30号, table 三) counts:
 * 申请人类型, the national reply types (the old value 其他 reads as 其他处理) and their sub-items.
 * Records of version 1 stay valid: the new fields are required only on new records.
 */

export const disclosureRequest: LedgerDef = {
  kind: 'disclosure_request',
  label: '政府信息公开申请',
  version: 2,
  builtin: true,
  occurredOn: 'receivedOn',
  titleField: 'content',
  closedOnField: 'repliedOn',
  fields: [
    { key: 'applicant', label: '申请人', type: 'person', required: true, pii: true },
    { key: 'applicantType', label: '申请人类型', type: 'enum', options: [...APPLICANT_TYPES], requiredOnCreate: true, help: '法人或其他组织分为商业企业、科研机构、社会公益组织、法律服务机构、其他' },
    { key: 'receivedOn', label: '收到申请日期', type: 'date', required: true },
    { key: 'content', label: '申请内容', type: 'longtext', required: true },
    { key: 'extended', label: '延期答复', type: 'bool' },
    { key: 'repliedOn', label: '答复日期', type: 'date' },
    { key: 'replyType', label: '答复类型', type: 'enum', options: [...REPLY_TYPES], aliases: { [OLD_OTHER_REPLY_TYPE]: '其他处理' }, help: '部分公开：区分处理的，只计这一情形' },
    {
      key: 'replyReason',
      label: '具体情形',
      type: 'enum',
      options: ALL_REPLY_REASONS,
      optionsBy: { field: 'replyType', options: Object.fromEntries(Object.entries(REPLY_REASONS).map(([k, v]) => [k, [...v]])) },
      aliases: replyReasonAliases(),
      help: '答复类型为不予公开、无法提供、不予处理、其他处理时必填',
    },
    { key: 'challenged', label: '被复议诉讼', type: 'bool' },
    { key: 'corrected', label: '被纠错', type: 'bool' },
  ],
  deadlines: [
    {
      key: 'reply',
      label: '答复期限',
      startField: 'receivedOn',
      period: { amount: 20, unit: 'working_days' },
      extension: { period: { amount: 20, unit: 'working_days' }, approverRoles: ['office'], flagField: 'extended', label: '经批准延期' },
      stopStates: ['补正中', '征求第三方意见中'],
      doneField: 'repliedOn',
      basis: '《中华人民共和国政府信息公开条例》第三十三条',
    },
  ],
  flow: {
    initial: '收到',
    states: [
      { key: '收到' },
      { key: '补正中', stopsClock: true },
      { key: '征求第三方意见中', stopsClock: true },
      { key: '延期' },
      { key: '已答复', final: true },
    ],
    transitions: [
      { key: 'correction', label: '通知补正', from: ['收到', '延期'], to: '补正中', needsReason: true },
      { key: 'corrected', label: '补正完成', from: ['补正中'], to: '收到' },
      { key: 'consult', label: '征求第三方意见', from: ['收到', '延期'], to: '征求第三方意见中', needsReason: true },
      { key: 'consulted', label: '第三方意见已回复', from: ['征求第三方意见中'], to: '收到' },
      { key: 'extend', label: '延期答复', from: ['收到'], to: '延期', roles: ['office'], needsReason: true, setsFlag: ['extended'] },
      { key: 'reply', label: '答复', from: ['收到', '延期'], to: '已答复', requires: ['applicantType', 'replyType', 'replyReason'], setsDate: ['repliedOn'] },
    ],
  },
};
