import fs from 'node:fs';
import path from 'node:path';
import type { CliCommand } from './index';
import { opt, req, UsageError } from '../args';
import { reportDocumentFor } from '../../app/reports';
import { AppError } from '../../core/errors';
import { PdfUnavailableError } from '../../documents/pdf';
import { isReportFormat, REPORT_FORMATS, writeReport } from '../../documents/report-output';
import { isReportType, REPORT_TYPES } from '../../core/report';

const reportCommand: CliCommand = {
  usage: `report --org CODE --year YYYY [--type ${REPORT_TYPES.join('|')}] --format ${REPORT_FORMATS.join('|')} --out FILE   生成年度报告（默认法治政府建设情况报告，disclosure 为政府信息公开工作年度报告；该年度最新版本，尚未创建则用默认模板生成草稿）`,
  matches: (p) => p.positionals[0] === 'report' && p.positionals.length === 1,
  async run(ctx, p) {
    const out = req(p, 'out');
    const format = opt(p, 'format') ?? path.extname(out).slice(1);
    if (!isReportFormat(format)) throw new UsageError(`格式“${format}”无效，应为 ${REPORT_FORMATS.join('、')} 之一`);
    const year = Number(req(p, 'year'));
    if (!Number.isInteger(year)) throw new UsageError('--year 应为四位年份，如 2023');
    const type = opt(p, 'type') ?? 'rule_of_law';
    if (!isReportType(type)) throw new UsageError(`报告类型“${type}”无效，应为 ${REPORT_TYPES.join('、')} 之一`);
    const r = await reportDocumentFor(ctx, req(p, 'org'), year, type);
    let body: Buffer;
    try {
      body = await writeReport(r.document, format);
    } catch (e) {
      // Without LibreOffice the message says what to install; no stack trace for that.
      if (e instanceof PdfUnavailableError) throw new AppError('BAD_REQUEST', e.message);
      throw e;
    }
    fs.writeFileSync(out, body);
    const which = r.version === null ? '尚未创建报告，已按默认模板生成草稿' : `第${r.version}版，${r.state}`;
    console.log(`已生成“${r.document.title}”（${which}）：${out}`);
    const warnings = r.document.warnings;
    if (warnings.length) {
      console.log(`提示（${warnings.length}条）：`);
      for (const w of warnings.slice(0, 20)) console.log(`  · ${w.message}`);
      if (warnings.length > 20) console.log('  · ……');
    }
  },
};

export const REPORT_COMMANDS: CliCommand[] = [reportCommand];
