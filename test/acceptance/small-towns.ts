/** Small hand-written data sets for the metric, report and district API tests (the acceptance test uses the 庙行镇 fixture). */
/** A few 2022/2023 records of 甲镇 (three departments) and 乙镇, imported as exchange lines. */
export const TOWN_A_LINES = [
  { kind: 'training', dept: '司法所', title: '行政处罚法专题培训', heldOn: '2023-03-14', trainingType: '执法人员培训', attendees: 24 },
  { kind: 'training', dept: '综合行政执法队', title: '执法文书规范培训', heldOn: '2023-06-02', trainingType: '执法人员培训', attendees: 31 },
  { kind: 'training', dept: '党政办公室', title: '党委中心组学法', heldOn: '2023-06-20', trainingType: '领导干部学法', attendees: 12 },
  { kind: 'training', dept: '司法所', title: '行政复议法解读', heldOn: '2022-09-01', trainingType: '执法人员培训', attendees: 20 },
  { kind: 'disclosure_request', dept: '党政办公室', applicant: '张三丰', applicantType: '自然人', receivedOn: '2023-04-03', content: '某地块征收补偿方案' },
  { kind: 'disclosure_request', dept: '党政办公室', applicant: '李四', applicantType: '自然人', receivedOn: '2023-05-10', content: '某道路改造立项文件' },
  { kind: 'publicity_activity', dept: '司法所', title: '宪法宣传周活动', heldOn: '2023-12-04', activityType: '宪法宣传周', participants: 300, materials: 500 },
  { kind: 'legal_consultation', dept: '司法所', consultedOn: '2023-07-07', channel: '现场', topic: '劳动争议', persons: 3 },
].map((value, i) => ({ line: i + 1, value }));

export const TOWN_B_LINES = [
  { kind: 'training', dept: '司法所', title: '执法人员培训', heldOn: '2023-04-14', trainingType: '执法人员培训', attendees: 50 },
  { kind: 'publicity_activity', dept: '司法所', title: '民法典宣传月', heldOn: '2023-05-20', activityType: '民法典宣传月', participants: 120, materials: 80 },
  { kind: 'publicity_activity', dept: '司法所', title: '法律进校园', heldOn: '2023-09-20', activityType: '法律进校园', participants: 200, materials: 150 },
].map((value, i) => ({ line: i + 1, value }));
