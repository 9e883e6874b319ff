import type { MetricValue } from './types';

/**
 * The figures of 庙行镇's 2023 report (spec, "Metrics" table) as the metrics engine returns them,
 * plus a few generic metrics the default template uses. Input for tests and previews only: real
 * reports take their values from the metrics engine.
 */
export const MIAOHANG_2023_VALUES: Readonly<Record<string, MetricValue>> = {
  'indicator.fraud_110_calls_yoy': -0.123,
  'indicator.fraud_criminal_cases_yoy': -0.11,
  'work_event.honours': 1,
  'work_event.honour_titles': ['上海市平安示范社区'],
  'enforcement_case.major_reviewed': 19,
  'enforcement_case.major_corrected': 0,
  'training.enforcement_sessions': 35,
  'training.enforcement_attendees': 751,
  'deputy_suggestion.handled': 6,
  'deputy_suggestion.satisfaction_rate': 1,
  'procuratorial_recommendation.replied': 6,
  'publicity_activity.count': 658,
  'publicity_activity.materials': 11150,
  'legal_consultation.persons': 3405,
  beneficiaries: 7580,
  'task.count': 24,
  'task.by_progress': { 已完成: 22, 推进中: 2 },
  'legality_review.count': 260,
  'legality_review.by_reviewType': { 政府合同: 247, 重大行政决策: 6, 行政规范性文件: 4, 其他事项: 3 },
  'normative_document.count': 4,
  'disclosure_request.count': 12,
  'litigation.count': 3,
  'dispute.count': 412,
  'dispute.by_result': { 调解成功: 380, 调解不成功: 20, 引导诉讼: 12 },
  'petition.count': 530,
  'enterprise_service.count': 18,
  'training.by_trainingType': { 执法人员培训: 35, 领导干部学法: 8, 工作人员培训: 5 },
  // The town's own words, as the fixture's work_event and procuratorial_recommendation records hold them.
  'work_event.joint_titles': ['建立“片长、路长、专员”联勤联动机制'],
  'work_event.joint_descriptions': ['按片区明确片长、路长和专员职责，联合巡查、联合处置城市管理和平安问题。'],
  'work_event.special_titles': ['轨交1号线站点周边环境专项治理', '架空线入地和合杆整治'],
  'work_event.emergency_titles': ['应对低温雨雪冰冻天气', '处置汛期暴雨积水和市政管网满管'],
  'procuratorial_recommendation.procuratorates': ['上海市宝山区人民检察院'],
};

/** The figures the acceptance test looks for, each in its sentence. */
export const MIAOHANG_2023_PHRASES = [
  '下降12.3%、11.0%',
  '19件',
  '0件',
  '35期',
  '751人次',
  '6件',
  '满意率100%',
  '6份',
  '658场次',
  '11150份',
  '3405人次',
  '7580人',
  '上海市平安示范社区',
] as const;
