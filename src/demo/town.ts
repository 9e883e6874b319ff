/**
 * The towns the generators write for: their departments and the places, schools, parks and roads
 * that make titles and locations read like a real 镇. Department names are shared constants so that
 * each ledger goes to the department that keeps it in a real town.
 */

export const DEPT = {
  office: '党政办公室',
  justice: '司法所',
  enforcement: '综合行政执法队',
  construction: '城市建设管理办公室',
  community: '社区管理办公室',
  economy: '经济发展办公室',
  safety: '平安办',
  petitions: '信访办公室',
} as const;

export type DeptName = (typeof DEPT)[keyof typeof DEPT];

export interface TownProfile {
  code: string;
  /** Full name, e.g. 庙行镇. */
  name: string;
  /** Name without 镇, used in document numbers and titles, e.g. 庙行. */
  short: string;
  district: string;
  depts: readonly DeptName[];
  communities: readonly string[];
  parks: readonly string[];
  schools: readonly string[];
  roads: readonly string[];
  policeStation: string;
  /** Town-level staff who receive consultations or appear in court (fictional names). */
  staff: readonly string[];
  leaders: readonly string[];
  advisers: readonly string[];
  lawFirms: readonly string[];
}

export const MIAOHANG: TownProfile = {
  code: 'miaohang',
  name: '庙行镇',
  short: '庙行',
  district: '宝山区',
  depts: [DEPT.office, DEPT.justice, DEPT.enforcement, DEPT.construction, DEPT.community, DEPT.economy, DEPT.safety, DEPT.petitions],
  communities: ['共康一村', '共康二村', '共康四村', '共康五村', '共富新村', '场北村', '野桥村', '康家村', '三湘景园', '宝林苑', '庙行佳苑', '共和新路居委', '长江西路居委', '纪念路居委'],
  parks: ['智慧湾科创园', '庙行科技园', '共康商务园', '长江软件园'],
  schools: ['庙行实验学校', '共康中学', '庙行小学', '共富实验学校', '庙行幼儿园'],
  roads: ['长江西路', '共康路', '场北路', '纪念路', '共和新路', '镇南路', '淞南路', '蕴川路', '走马塘沿线'],
  policeStation: '宝山公安分局庙行派出所',
  staff: ['陈静', '周晓雯', '徐建国', '吴磊', '顾敏', '沈佳怡', '钱伟', '陆燕'],
  leaders: ['王建平', '朱红梅', '蒋立新'],
  advisers: ['孙律师', '杨律师', '金律师'],
  lawFirms: ['上海衡言律师事务所', '上海正柏律师事务所'],
};

export const DACHANG: TownProfile = {
  code: 'dachang',
  name: '大场镇',
  short: '大场',
  district: '宝山区',
  depts: [DEPT.office, DEPT.justice, DEPT.enforcement, DEPT.construction, DEPT.community, DEPT.safety],
  communities: ['祁连三村', '祁连五村', '乾溪新村', '大华一村', '大华三村', '联东村', '场中居委', '环镇北路居委'],
  parks: ['大场科创园', '上海大学科技园'],
  schools: ['大场中学', '大华小学', '乾溪小学'],
  roads: ['环镇北路', '祁连山路', '沪太路', '场联路', '真华路'],
  policeStation: '宝山公安分局大场派出所',
  staff: ['黄丽', '许志刚', '郑悦', '冯晨'],
  leaders: ['曹国庆', '邱玲'],
  advisers: ['潘律师', '戴律师'],
  lawFirms: ['上海鼎原律师事务所'],
};
