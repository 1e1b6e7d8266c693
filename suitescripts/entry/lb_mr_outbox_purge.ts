/**
 * @NApiVersion 2.1
 * @NScriptType MapReduceScript
 * @NModuleScope SameAccount
 */

import type { EntryPoints } from 'N/types';
import { purgeCutoff, retentionDays } from '../domain/outbox-purge';
import { scriptParameter } from '../gateways/account';
import * as log from '../gateways/log';
import { deleteEventIfExists, deliveredOnOrBeforeSearch } from '../gateways/outbox-store';

// Deletes delivered (acknowledged) outbox entries once they are older than the retention (custscript_lb_purge_days,
// default 7 days), so customrecord_lb_outbox stays bounded. Pending entries are never deleted.
// Governance: getInputData hands the search to the framework (no units of its own); each map invocation deletes
// one entry (4 units of its 1,000); the framework yields and resumes the job past 10,000 units. Resumable by
// design: nothing is remembered between runs; every run searches again, and an entry already gone is skipped.

interface SearchResultJson {
  id: string;
}

export const getInputData: EntryPoints.MapReduce.getInputData = () => {
  const days = retentionDays(scriptParameter('custscript_lb_purge_days'));
  return deliveredOnOrBeforeSearch(purgeCutoff(new Date(), days));
};

export const map: EntryPoints.MapReduce.map = (context) => {
  const { id } = JSON.parse(context.value) as SearchResultJson;
  context.write({ key: deleteEventIfExists(id) ? 'deleted' : 'gone', value: id });
};

export const summarize: EntryPoints.MapReduce.summarize = (summary) => {
  const counts: Record<string, number> = { deleted: 0, gone: 0 };
  summary.output.iterator().each((key) => {
    counts[key] = (counts[key] ?? 0) + 1;
    return true;
  });
  let failed = 0;
  summary.mapSummary.errors.iterator().each((key, error) => {
    failed += 1;
    log.error(`outbox entry ${key} not purged`, error);
    return true;
  });
  log.audit('outbox purge finished', `deleted ${counts.deleted}, already gone ${counts.gone}, failed ${failed}, yields ${summary.yields}`);
};
