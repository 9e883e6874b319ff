import { describe, expect, it } from 'vitest';
import { disclosureRequest } from '../../../src/core/ledgers/kinds/disclosure_request';
import { dependentChoices, isFieldShown, staleDependents } from './dependentFields';

const reason = disclosureRequest.fields.find((f) => f.key === 'replyReason')!;

describe('dependent fields (具体情形 under 答复类型)', () => {
  it('are shown only under a reply type with sub-items, with that type\'s sub-items', () => {
    expect(isFieldShown(disclosureRequest, reason, {})).toBe(false);
    expect(isFieldShown(disclosureRequest, reason, { replyType: '予以公开' })).toBe(false);
    expect(dependentChoices(disclosureRequest, reason, { replyType: '无法提供' })).toEqual(['本机关不掌握相关政府信息', '没有现成信息需要另行制作', '补正后申请内容仍不明确']);
    // The first version's 其他 reads as 其他处理.
    expect(dependentChoices(disclosureRequest, reason, { replyType: '其他' })).toHaveLength(3);
  });
  it('name a sub-item that no longer fits the chosen type, to be cleared', () => {
    expect(staleDependents(disclosureRequest, { replyType: '不予公开', replyReason: '重复申请' })).toEqual(['replyReason']);
    expect(staleDependents(disclosureRequest, { replyType: '不予处理', replyReason: '重复申请' })).toEqual([]);
  });
});
