/**
 * The campaign half of the fake Copernica v1 server: events, emailing documents, messages,
 * logfiles, impressions and data requests (API §3.19–3.25), plus the control functions the
 * `fake` object exposes (`sendMailing`, `generateLogfile`, …). See README.md in this folder.
 */
import type { RouteTable } from '../contract.js';
import { registerDataRequestRoutes } from './datarequests.js';
import { registerEventRoutes } from './events.js';
import { registerImpressionRoutes } from './impressions.js';
import { registerLogfileRoutes } from './logfiles.js';
import { registerMessageRoutes } from './messages.js';

export { sendMailing, type MailingRates, type MailingSummary, type SendMailingOptions } from './mailing.js';
export { generateLogfile, LogfileStream, type GenerateLogfileOptions, type LogfileFormat } from './logfiles.js';
export { completeDataRequest } from './datarequests.js';
export { MAX_RECENT_MAILINGS, seedRecentMailings } from './recent.js';
export {
  LOGFILE_COLUMNS,
  LOGFILE_TYPES,
  type CdmLogfileType,
  type LogfileRecord,
  type LogfileType,
  type PomLogfileType,
} from './logfile-types.js';
export { CampaignState, campaignState, configureCampaigns, type CampaignOptions, type MailingKind } from './state.js';

/** Register every endpoint of the six campaign groups (27 routes). */
export function registerCampaignRoutes(routes: RouteTable): void {
  registerEventRoutes(routes);
  registerMessageRoutes(routes);
  registerLogfileRoutes(routes);
  registerImpressionRoutes(routes);
  registerDataRequestRoutes(routes);
}
