/**
 * User Events (reference 3.2): beforeLoad on reads, beforeSubmit/afterSubmit around saves, deletes and
 * submitFields, for the deployments whose record type and execution contexts match the write. Records written
 * by a User Event do not fire other User Events (no chaining).
 *
 * - context.type: create (new record, including copies and transforms), edit, delete, and xedit for
 *   submitFields (xedit for submitFields is UNCONFIRMED in the reference; it is the widely reported behaviour).
 * - beforeSubmit's newRecord is the record being saved: its changes persist. afterSubmit's newRecord is the
 *   stored record (with .id), read-only; oldRecord is null on create. For xedit, newRecord holds only the
 *   submitted fields (plus the id).
 * - A deployment runs when deployed and RELEASED or TESTING (in the local account the user is the script owner,
 *   for whom Testing deployments run).
 */
import type { FieldValue, RecordData, SaveOptions } from '../records/types';
import { platformRecord } from '../modules/record';
import type { DeploymentDef, ScriptDef } from './discovery';
import type { Trigger } from './execution';
import { loadScript, type ScriptHost } from './runner';

export const UserEventType = {
  APPROVE: 'approve', CANCEL: 'cancel', CHANGEPASSWORD: 'changepassword', COPY: 'copy', CREATE: 'create',
  DELETE: 'delete', DROPSHIP: 'dropship', EDIT: 'edit', EDITFORECAST: 'editforecast', EMAIL: 'email',
  MARKCOMPLETE: 'markcomplete', ORDERITEMS: 'orderitems', PACK: 'pack', PAYBILLS: 'paybills', PRINT: 'print',
  QUICKVIEW: 'quickview', REASSIGN: 'reassign', REJECT: 'reject', SHIP: 'ship', SPECIALORDER: 'specialorder',
  TRANSFORM: 'transform', VIEW: 'view', XEDIT: 'xedit',
} as const;

interface Match {
  script: ScriptDef;
  deployment: DeploymentDef;
}

export class UserEvents {
  constructor(private readonly host: ScriptHost) {}

  /** Deployments that run for a write of `recordType` in `trigger`'s context. */
  matching(recordType: string, trigger: Trigger): Match[] {
    if (trigger.fromUserEvent) return [];
    const out: Match[] = [];
    for (const script of this.host.scripts) {
      if (script.scriptType !== 'UserEventScript' || script.isInactive) continue;
      for (const deployment of script.deployments) {
        if (!deployment.isDeployed || deployment.recordType !== recordType.toLowerCase()) continue;
        if (deployment.status !== 'RELEASED' && deployment.status !== 'TESTING') continue;
        if (deployment.executionContexts && !deployment.executionContexts.includes(trigger.executionContext)) continue;
        out.push({ script, deployment });
      }
    }
    return out;
  }

  private fire(m: Match, entryPoint: string, trigger: Trigger, build: (slot: Parameters<typeof platformRecord>[1]) => Record<string, unknown>): void {
    const spec = { script: m.script, deployment: m.deployment, entryPoint, executionContext: trigger.executionContext };
    const loaded = loadScript(this.host, spec);
    if (typeof loaded.entry[entryPoint] !== 'function') return;
    loaded.run(spec, (fn) => fn({ ...build(loaded.slot), UserEventType }));
  }

  beforeLoad(data: RecordData, type: string, trigger: Trigger): void {
    for (const m of this.matching(data.type, trigger)) {
      this.fire(m, 'beforeLoad', trigger, (slot) => ({ type, newRecord: platformRecord(data, slot, true), form: null }));
    }
  }

  save(data: RecordData, options: SaveOptions, trigger: Trigger): string {
    const matches = this.matching(data.type, trigger);
    const isNew = data.id === null;
    const type = isNew ? UserEventType.CREATE : UserEventType.EDIT;
    const old = !isNew && matches.length > 0 ? this.host.engine.load(data.type, data.id as string) : null;
    for (const m of matches) {
      this.fire(m, 'beforeSubmit', trigger, (slot) => ({
        type,
        newRecord: platformRecord(data, slot, false),
        oldRecord: old ? platformRecord(old, slot, true) : null,
      }));
    }
    const id = this.host.engine.save(data, options);
    if (matches.length > 0) {
      const stored = this.host.engine.load(data.type, id);
      for (const m of matches) {
        this.fire(m, 'afterSubmit', trigger, (slot) => ({
          type,
          newRecord: platformRecord(stored, slot, true),
          oldRecord: old ? platformRecord(old, slot, true) : null,
        }));
      }
    }
    return id;
  }

  delete(type: string, id: string, trigger: Trigger): void {
    const matches = this.matching(type, trigger);
    const old = matches.length > 0 ? this.host.engine.load(type, id) : null;
    for (const m of matches) {
      this.fire(m, 'beforeSubmit', trigger, (slot) => ({
        type: UserEventType.DELETE,
        newRecord: platformRecord(old as RecordData, slot, true),
        oldRecord: platformRecord(old as RecordData, slot, true),
      }));
    }
    this.host.engine.delete(type, id);
    for (const m of matches) {
      this.fire(m, 'afterSubmit', trigger, (slot) => ({
        type: UserEventType.DELETE,
        newRecord: platformRecord(old as RecordData, slot, true),
        oldRecord: platformRecord(old as RecordData, slot, true),
      }));
    }
  }

  submitFields(type: string, id: string, values: Record<string, FieldValue>, options: SaveOptions, trigger: Trigger): string {
    const matches = this.matching(type, trigger);
    if (matches.length === 0) return this.host.engine.submitFields(type, id, values, options);
    const old = this.host.engine.load(type, id);
    // xedit: newRecord carries only the submitted fields; beforeSubmit changes to them persist.
    const partial: RecordData = { type, id, version: old.version, fields: { ...values }, sublists: {} };
    for (const m of matches) {
      this.fire(m, 'beforeSubmit', trigger, (slot) => ({
        type: UserEventType.XEDIT,
        newRecord: platformRecord(partial, slot, false),
        oldRecord: platformRecord(old, slot, true),
      }));
    }
    const saved = this.host.engine.submitFields(type, id, partial.fields, options);
    for (const m of matches) {
      this.fire(m, 'afterSubmit', trigger, (slot) => ({
        type: UserEventType.XEDIT,
        newRecord: platformRecord({ ...partial, id: saved }, slot, true),
        oldRecord: platformRecord(old, slot, true),
      }));
    }
    return saved;
  }
}
