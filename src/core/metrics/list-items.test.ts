import { describe, expect, it } from 'vitest';
import { listItems } from './plan';

describe('list figures', () => {
  it('name each item once (a task entered twice prints once)', () => {
    expect(listItems(['开展执法培训', ' 开展执法培训', '', '推进法治讲座进园区'])).toEqual(['开展执法培训', '推进法治讲座进园区']);
  });

  it('write an item with its detail, the distinct details of its records joined, in record order', () => {
    expect(
      listItems([
        { text: '开展执法培训', detail: '已制定方案，正在组织实施。' },
        { text: '推进法治讲座进园区', detail: null },
        { text: '开展执法培训', detail: '已制定方案，正在组织实施' },
        { text: '开展执法培训', detail: '已完成首期培训；' },
      ]),
    ).toEqual(['开展执法培训：已制定方案，正在组织实施；已完成首期培训', '推进法治讲座进园区']);
  });
});
