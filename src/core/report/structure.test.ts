import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATE_SOURCE } from './default-template';
import { addParagraph, moveParagraph, removeParagraph, setOtherPart, StructureError } from './structure';
import { compileTemplate } from './template';
import { uneditedParagraphs } from './workflow';

const ids = (src: typeof DEFAULT_TEMPLATE_SOURCE, key: string) => (key === 'opening' ? src.opening : src.parts.find((p) => p.key === key)!.paragraphs).map((p) => p.id);

describe('report structure editing', () => {
  it('adds a paragraph the town wrote at a position in any part, never marked 待完善', () => {
    const { source, id } = addParagraph(DEFAULT_TEMPLATE_SOURCE, 'shortcomings', { text: '四是信息化水平不高。' }, 0);
    expect(id).toBe('p1');
    expect(ids(source, 'shortcomings')).toEqual(['p1', 'shortcomings']);
    expect(compileTemplate(source).ok).toBe(true);
    expect(uneditedParagraphs(source).map((p) => p.id)).not.toContain('p1');
    expect(uneditedParagraphs(source).map((p) => p.id)).toContain('shortcomings');
    // The input is left as it was.
    expect(ids(DEFAULT_TEMPLATE_SOURCE, 'shortcomings')).toEqual(['shortcomings']);
    const opening = addParagraph(source, 'opening', { text: '另：', heading: '' });
    expect(opening.id).toBe('p2');
    expect(ids(opening.source, 'opening')).toEqual(['opening', 'p2']);
  });

  it('moves a paragraph within a part and to another one', () => {
    const within = moveParagraph(DEFAULT_TEMPLATE_SOURCE, 'grassroots', 'measures', 0);
    expect(ids(within, 'measures')[0]).toBe('grassroots');
    const across = moveParagraph(DEFAULT_TEMPLATE_SOURCE, 'publicity-duty', 'plans', 1);
    expect(ids(across, 'plans')[1]).toBe('publicity-duty');
    expect(ids(across, 'responsibility')).not.toContain('publicity-duty');
    expect(() => moveParagraph(DEFAULT_TEMPLATE_SOURCE, 'shortcomings', 'plans', 0)).toThrow('至少保留一段');
    expect(() => moveParagraph(DEFAULT_TEMPLATE_SOURCE, 'grassroots', 'measures', 99)).toThrow(StructureError);
  });

  it('removes a paragraph but keeps one in each statutory part', () => {
    expect(ids(removeParagraph(DEFAULT_TEMPLATE_SOURCE, 'rules'), 'measures')).not.toContain('rules');
    expect(() => removeParagraph(DEFAULT_TEMPLATE_SOURCE, 'shortcomings')).toThrow('至少保留一段');
    expect(() => removeParagraph(DEFAULT_TEMPLATE_SOURCE, 'nope')).toThrow('不存在');
  });

  it('switches part 五 on and off', () => {
    const on = setOtherPart(DEFAULT_TEMPLATE_SOURCE, true);
    expect(on.parts.map((p) => p.key)).toEqual(['measures', 'shortcomings', 'responsibility', 'plans', 'other']);
    expect(compileTemplate(on).ok).toBe(true);
    expect(setOtherPart(on, true).parts).toHaveLength(5);
    expect(setOtherPart(on, false).parts).toHaveLength(4);
    expect(() => addParagraph(DEFAULT_TEMPLATE_SOURCE, 'other', { text: 'x' })).toThrow('未启用第五部分');
  });
});
