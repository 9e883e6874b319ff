/**
 * Metrics that carry the town's own words into a report: the titles and descriptions of the year's
 * 其他工作记录 (work_event) by category, and the procuratorates that sent 检察建议. Lists, so a
 * template writes them into sentences (`list:plain`, `list:sentences`) and each one traces back to
 * its records like any figure.
 */
import type { ListMetric } from './types';

/** work_event categories a report narrates, with the metric-key stem. */
export const NARRATED_WORK_EVENTS = [
  { stem: 'special', category: '专项治理' },
  { stem: 'emergency', category: '应急处置' },
  { stem: 'joint', category: '联勤联动' },
  { stem: 'honour', category: '荣誉表彰' },
] as const;

function workEventList(stem: string, category: string, field: 'title' | 'description'): ListMetric {
  return {
    key: `work_event.${stem}_${field === 'title' ? 'titles' : 'descriptions'}`,
    type: 'list',
    kind: 'work_event',
    filters: [{ field: 'category', eq: category }],
    ...(field === 'description' ? { field: 'description' } : {}),
    label: `${category}${field === 'title' ? '事项' : '情况'}`,
    unit: '',
  };
}

export const NARRATIVE_METRICS: ListMetric[] = [
  // honour titles already exist as work_event.honour_titles (OTHER_BUILTIN_METRICS).
  ...NARRATED_WORK_EVENTS.filter((e) => e.stem !== 'honour').map((e) => workEventList(e.stem, e.category, 'title')),
  ...NARRATED_WORK_EVENTS.map((e) => workEventList(e.stem, e.category, 'description')),
  {
    key: 'procuratorial_recommendation.procuratorates',
    type: 'list',
    kind: 'procuratorial_recommendation',
    field: 'procuratorate',
    label: '提出检察建议的检察机关',
    unit: '',
  },
];
