import type { LedgerDef } from '../types';
import { task } from './task';
import { legalityReview } from './legality_review';
import { normativeDocument } from './normative_document';
import { enforcementCase } from './enforcement_case';
import { training } from './training';
import { deputySuggestion } from './deputy_suggestion';
import { procuratorialRecommendation } from './procuratorial_recommendation';
import { disclosureRequest } from './disclosure_request';
import { litigation } from './litigation';
import { publicityActivity } from './publicity_activity';
import { legalConsultation } from './legal_consultation';
import { dispute } from './dispute';
import { petition } from './petition';
import { enterpriseService } from './enterprise_service';
import { indicator } from './indicator';
import { workEvent } from './work_event';

/** The 16 built-in ledger kinds, in the order of the spec's catalog. */
export const BUILTIN_LEDGERS: readonly LedgerDef[] = [
  task,
  legalityReview,
  normativeDocument,
  enforcementCase,
  training,
  deputySuggestion,
  procuratorialRecommendation,
  disclosureRequest,
  litigation,
  publicityActivity,
  legalConsultation,
  dispute,
  petition,
  enterpriseService,
  indicator,
  workEvent,
];
