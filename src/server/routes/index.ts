import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { authRoutes } from './auth';
import { ledgerRoutes } from './ledgers';
import { orgRoutes } from './orgs';
import { userRoutes } from './users';
import { recordRoutes, transitionRoutes } from './records';
import { healthRoutes } from './health';
import { exchangeRoutes } from './exchange';
import { xlsxRoutes } from './xlsx';
import { importJobRoutes } from './import-jobs';
import { exportJobRoutes } from './export-jobs';
import { calendarRoutes } from './calendar';
import { todoRoutes } from './todo';
import { metricRoutes } from './metrics';
import { reportRoutes } from './reports';
import { districtRoutes } from './district';
import { dashboardRoutes } from './dashboard';
import { attachmentRoutes } from './attachments';
import { securityRoutes } from './security';
import { recordExportRoutes } from './record-export';
import { supervisionRoutes } from './supervision';
import { auditRoutes } from './audit';
import { tokenRoutes } from './tokens';
import { dictionaryRoutes } from './dictionary';

/** Every resource's routes; each file is thin and calls the commands in src/app. */
export const ROUTES: ((ctx: AppContext) => FastifyPluginAsyncZod)[] = [
  healthRoutes,
  authRoutes,
  ledgerRoutes,
  orgRoutes,
  userRoutes,
  recordRoutes,
  recordExportRoutes,
  transitionRoutes,
  exchangeRoutes,
  xlsxRoutes,
  importJobRoutes,
  exportJobRoutes,
  attachmentRoutes,
  metricRoutes,
  reportRoutes,
  districtRoutes,
  dashboardRoutes,
  calendarRoutes,
  todoRoutes,
  securityRoutes,
  supervisionRoutes,
  auditRoutes,
  tokenRoutes,
  dictionaryRoutes,
];
