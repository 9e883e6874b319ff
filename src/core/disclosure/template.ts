/**
 * The default template of the 政府信息公开工作年度报告: the six parts of the national format
 * (国办公开办函〔2021〕30号); parts 二, 三 and 四 are the tables generated from the ledgers, parts 一,
 * 五 and 六 words with live figures that a town edits paragraph by paragraph.
 */
import type { TemplateSource } from '../report/template';

export const DISCLOSURE_TEMPLATE_SOURCE: TemplateSource = {
  id: 'disclosure-default',
  type: 'disclosure',
  name: '默认模板（政府信息公开工作年度报告）',
  title: '{{org}}{{year}}年政府信息公开工作年度报告',
  opening: [
    {
      id: 'opening',
      text: '本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）第四十九条、第五十条和《中华人民共和国政府信息公开工作年度报告格式》要求编制，所列数据的统计期限自{{year}}年1月1日起至{{year}}年12月31日止。',
    },
  ],
  parts: [
    {
      key: 'overview',
      heading: '总体情况',
      paragraphs: [
        {
          id: 'proactive',
          heading: '主动公开。',
          text: '{{org}}坚持以公开为常态、不公开为例外，依托政府门户网站和政务公开专区及时公开政府信息。全年制发行政规范性文件{{disclosure.proactive.normativeDocuments.issued|int}}件，截至年底现行有效{{disclosure.proactive.normativeDocuments.inForce|int}}件；公开行政处罚决定{{disclosure.proactive.penalties|int}}件。',
        },
        {
          id: 'on-request',
          heading: '依申请公开。',
          text: '本年共受理政府信息公开申请{{disclosure.requests.new.total|int}}件，上年结转{{disclosure.requests.carriedIn.total|int}}件；本年办结{{disclosure.requests.handledTotal.total|int}}件，其中予以公开{{disclosure.requests.granted.total|int}}件、部分公开{{disclosure.requests.partial.total|int}}件；结转下年度继续办理{{disclosure.requests.carriedOut.total|int}}件。所有申请均在法定期限内依法答复。',
        },
        {
          id: 'management',
          heading: '政府信息管理。',
          text: '严格执行政府信息公开保密审查制度，对拟公开的政府信息逐件审查，做到应公开尽公开、涉密信息不上网。',
        },
        {
          id: 'platform',
          heading: '平台建设。',
          text: '持续完善政府信息公开专栏，及时更新机构职能、政策文件、办事指南等栏目内容，畅通依申请公开受理渠道。',
        },
        {
          id: 'supervision',
          heading: '监督保障。',
          text: '将政府信息公开工作纳入年度工作考核，本年涉及政府信息公开的行政复议{{disclosure.review.reconsideration.total|int}}件、行政诉讼{{disclosure.review.litigationTotal|int}}件。',
        },
      ],
    },
    { key: 'proactive', heading: '主动公开政府信息情况', table: 'proactive', paragraphs: [] },
    { key: 'requests', heading: '收到和处理政府信息公开申请情况', table: 'requests', paragraphs: [] },
    { key: 'review', heading: '政府信息公开行政复议、行政诉讼情况', table: 'review', paragraphs: [] },
    {
      key: 'problems',
      heading: '存在的主要问题及改进情况',
      paragraphs: [
        {
          id: 'problems',
          text: '{{year}}年，我镇政府信息公开工作取得一定成效，但仍存在主动公开的深度和广度有待拓展、依申请公开答复的规范化水平有待提高等问题。下一步，我镇将加强业务培训，规范答复文书，提升政府信息公开工作质量。',
        },
      ],
    },
    {
      key: 'others',
      heading: '其他需要报告的事项',
      paragraphs: [
        {
          id: 'fees',
          text: '本年依据《政府信息公开信息处理费管理办法》收取信息处理费{{disclosure.feesYuan|num:2}}元。',
        },
        {
          id: 'suggestions',
          text: '本年办理人大代表建议和政协委员提案{{deputy_suggestion.handled|int}}件，均按期答复。',
        },
      ],
    },
  ],
};
