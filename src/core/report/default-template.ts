/**
 * The default report template: a town report in our own words, with the figures of the spec's
 * metric table live in its sentences. Towns copy it and edit the words.
 */
import { compileTemplate, type TemplateSource } from './template';
import type { ReportTemplate } from './types';

export const DEFAULT_TEMPLATE_SOURCE: TemplateSource = {
  id: 'default',
  name: '默认模板（镇、街道法治政府建设情况报告）',
  title: '{{org}}{{year}}年法治政府建设情况报告',
  opening: [
    {
      id: 'opening',
      text: '{{year}}年，{{org}}在区委、区政府的领导下，坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，对照《法治政府建设实施纲要（2021—2025年）》和本市年度法治政府建设工作要点，把依法行政贯穿于政府工作各环节，法治政府建设各项任务有序推进、取得实效。现将有关情况报告如下：',
    },
  ],
  parts: [
    {
      key: 'measures',
      heading: '{{year}}年度推进法治政府建设的主要举措和成效',
      paragraphs: [
        {
          id: 'organisation',
          heading: '强化组织保障，压实法治建设责任。',
          text: '把法治政府建设纳入全镇发展总体布局，健全党委统一领导、政府组织实施、部门各负其责的推进机制，年初将年度法治政府建设重点任务逐项分解到牵头部门和配合部门，定期跟踪进展、督促落实。全年列入台账的法治建设重点任务{{task.count|int}}项，已完成{{task.by_progress[已完成]|int}}项。',
        },
        {
          id: 'duties',
          heading: '坚持依法履职，提升服务保障水平。',
          // The town's own words from its 其他工作记录 (work_event) by category; a sentence whose
          // records are missing is left out (render.ts), never printed generic.
          text: '推动{{work_event.joint_titles|list:plain}}，{{work_event.joint_descriptions|list:sentences}}持续开展{{work_event.special_titles|list:plain}}。加强应急抢险和救援队伍建设，{{work_event.emergency_titles|list:plain}}，减少恶劣天气和突发情况对群众生活的影响。把打击治理电信网络诈骗作为守护群众财产安全的重点工作，健全宣传、劝阻、打击联动机制，全镇诈骗类“110”警情接警数和诈骗类刑事案件数同比分别{{indicator.fraud_110_calls_yoy|yoy:bare}}、{{indicator.fraud_criminal_cases_yoy|yoy:same}}。',
          generated: true,
        },
        {
          id: 'honours',
          text: '{{year}}年，{{org}}获评{{work_event.honour_titles|list}}。',
          when: { metricKey: 'work_event.honour_titles', hasData: true },
          generated: true,
        },
        {
          id: 'rules',
          heading: '坚持科学民主依法决策，健全依法行政制度体系。',
          text: '严格执行重大行政决策程序，落实合法性审核机制，全年完成合法性审核{{legality_review.count|int}}件，其中重大行政决策{{legality_review.by_reviewType[重大行政决策]|int}}件、行政规范性文件{{legality_review.by_reviewType[行政规范性文件]|int}}件、政府合同{{legality_review.by_reviewType[政府合同]|int}}件。加强行政规范性文件制定、备案和清理的全过程管理，全年发布行政规范性文件{{normative_document.count|int}}件。发挥政府法律顾问在重大决策、重大项目和合同审查中的参谋把关作用。',
        },
        {
          id: 'enforcement',
          heading: '严格规范公正文明执法，提升执法质效。',
          text: '全面落实行政执法公示、执法全过程记录和重大执法决定法制审核制度，全年重大行政执法决定法制审核{{enforcement_case.major_reviewed|int}}件，经法制审核的重大执法决定被行政复议、行政诉讼纠错{{enforcement_case.major_corrected|int}}件。加强执法队伍作风建设和业务能力培训，全年组织专题培训{{training.enforcement_sessions|int}}期，培训行政执法人员{{training.enforcement_attendees|int}}人次。',
        },
        {
          id: 'oversight',
          heading: '自觉接受各方监督，规范行政权力运行。',
          text: '主动接受人大监督、民主监督、司法监督和社会监督，全年办理区、镇人大代表建议和区政协委员提案{{deputy_suggestion.handled|int}}件，代表委员对办理结果满意率{{deputy_suggestion.satisfaction_rate|pct}}；回复{{procuratorial_recommendation.procuratorates|list:plain}}检察建议书{{procuratorial_recommendation.replied|int}}份，对所提问题逐项整改到位。依法办理政府信息公开申请{{disclosure_request.count|int}}件。落实行政机关负责人出庭应诉制度，全年应对行政复议、行政诉讼案件{{litigation.count|int}}件。',
        },
        {
          id: 'grassroots',
          heading: '坚持普治并举，夯实基层依法治理。',
          text: '以宪法、民法典为重点深化法治宣传教育，全年开展各类法治宣传教育活动{{publicity_activity.count|int}}场次，发放宣传资料和宣传品{{publicity_activity.materials|int}}份；依托现场窗口、热线和网络平台接待法律咨询{{legal_consultation.persons|int}}人次，惠及群众{{beneficiaries|int}}人。坚持和发展新时代“枫桥经验”，用好派出所、司法所、律师事务所“三所联动”机制，全年登记矛盾纠纷{{dispute.count|int}}件，调解成功{{dispute.by_result[调解成功]|int}}件；深化信访“家门口”服务，登记信访事项{{petition.count|int}}件。组织法律服务团队走进园区和企业，开展“法治体检”等涉企法律服务{{enterprise_service.count|int}}次。',
        },
      ],
    },
    {
      key: 'shortcomings',
      heading: '{{year}}年度推进法治政府建设存在的不足和原因',
      paragraphs: [
        {
          id: 'shortcomings',
          text: '对照新时代法治政府建设的要求，我镇工作还存在一些不足：一是各领域法治建设推进不够均衡，村居和基层执法一线的法治工作基础仍需夯实。二是部分工作人员运用法治思维和法治方式推动工作、化解矛盾的能力有待提高。三是基层法治工作力量相对薄弱，专职人员承担事务性工作较多，系统学习和专业培训不足。产生这些问题的原因，主要是对法治建设的统筹谋划和常态化督促还不够，法治人才培养和队伍建设的投入有待加大。',
        },
      ],
    },
    {
      key: 'responsibility',
      heading: '{{org}}党政主要负责人{{year}}年度履行推进法治建设第一责任人职责，加强法治政府建设的有关情况',
      paragraphs: [
        {
          id: 'leadership',
          heading: '坚持党的领导，统筹谋划法治建设。',
          text: '党政主要负责人切实履行推进法治建设第一责任人职责，将法治建设列入党委议事日程和年度工作计划，对重要工作亲自部署、重大问题亲自过问、重点环节亲自协调、重要任务亲自督办，定期听取法治政府建设情况汇报，研究解决工作中的突出问题。',
        },
        {
          id: 'leaders-learning',
          heading: '带头尊法学法，发挥“关键少数”示范作用。',
          text: '制定年度领导干部学法计划，坚持党委理论学习中心组学法和政府常务会议会前学法制度，全年组织领导干部学法{{training.by_trainingType[领导干部学法]|int}}次，推动领导干部把法治思维落实到决策、执行和监督各环节。',
        },
        {
          id: 'publicity-duty',
          heading: '落实普法责任，增强法治宣传实效。',
          text: '落实“谁执法谁普法”普法责任制，聚焦领导干部、青少年等重点对象，推进“八五”普法规划实施，创新普法方式方法，推动法治宣传走进村居、园区和校园。',
        },
      ],
    },
    {
      key: 'plans',
      heading: '{{org}}{{nextYear}}年推进法治政府建设的主要安排',
      paragraphs: [
        {
          id: 'plan-tasks',
          text: '{{nextYear}}年，我镇已将{{task.next_year_titles|list}}等列为年度法治政府建设重点任务，明确牵头部门和完成时限，逐项推进落实。',
          when: { metricKey: 'task.next_year_titles', hasData: true },
          generated: true,
        },
        {
          id: 'plan-progress',
          text: '目前，{{task.next_year_progress|list:sentences}}',
          when: { metricKey: 'task.next_year_progress', hasData: true },
          generated: true,
        },
        {
          id: 'plan-thinking',
          heading: '进一步提升干部法治素养。',
          text: '制定领导干部应知应会法律法规清单，完善学法用法制度，通过专题讲座、警示教育、以案释法等形式，提高工作人员依法行政能力。',
        },
        {
          id: 'plan-enforcement',
          heading: '进一步规范行政执法。',
          text: '加强执法人员专业培训和考核，严格落实行政执法“三项制度”，提升执法规范化水平和办案质量。',
        },
        {
          id: 'plan-publicity',
          heading: '进一步加大普法宣传力度。',
          text: '发动各部门、各行业共同参与，注重普法的针对性和覆盖面，推动法治宣传贴近群众生活，提高群众尊法学法守法用法的自觉性。',
        },
        {
          id: 'plan-services',
          heading: '进一步提升公共法律服务质效。',
          text: '统筹实体、热线、网络三大平台，推动法律服务资源向村居和园区下沉，及时回应群众和企业多元化的法律服务需求。',
        },
      ],
    },
  ],
};

/**
 * Part 五 (其他需要报告的情况), optional under 《法治政府建设与责任落实督察工作规定》 art. 25 (5): what
 * a report gets when the town switches it on.
 */
export const OTHER_PART_SOURCE: TemplateSource['parts'][number] = {
  key: 'other',
  heading: '其他需要报告的情况',
  paragraphs: [{ id: 'other', text: '{{year}}年，{{org}}无其他需要报告的情况。' }],
};

function compileDefault(): ReportTemplate {
  const r = compileTemplate(DEFAULT_TEMPLATE_SOURCE);
  if (!r.ok) throw new Error(`默认模板有误：${r.errors.map((e) => `${e.path} ${e.message}`).join('；')}`);
  return r.template;
}

export const DEFAULT_TEMPLATE: ReportTemplate = compileDefault();
