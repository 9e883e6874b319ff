export * from './district-annex-model';
export { writeDistrictAnnexXlsx } from './district-annex-xlsx';
export { buildDistrictAnnexDocx, writeDistrictAnnexDocx } from './district-annex-docx';
