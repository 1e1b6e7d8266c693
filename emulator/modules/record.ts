/**
 * N/record over the record engine: create, load, copy, transform, delete, submitFields, and the Record object
 * (body fields, sublists in standard and dynamic mode, save). Every call is charged at its unit cost for the
 * record's category (reference 1.1: load/create/copy/transform/submitFields 10/2/5, save/delete 20/4/10);
 * saves, deletes and submitFields go through the account so User Events fire (reference 3.2).
 */
import type { FieldValue, LineData, RecordData, SaveOptions } from '../records/types';
import type { Execution, ExecutionSlot } from '../runtime/execution';
import { SuiteScriptError, platform } from '../runtime/errors';
import { RECORD_COSTS } from '../runtime/governance';
import { RecordType } from './record-type';

type Options = Record<string, unknown> | undefined;

function required(options: Options, fn: string, ...names: string[]): Record<string, unknown> {
  if (!options || typeof options !== 'object') {
    throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', `${fn}: missing a required argument: options`);
  }
  for (const n of names) {
    if (options[n] === undefined || options[n] === null || options[n] === '') {
      throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', `${fn}: missing a required argument: ${n}`);
    }
  }
  return options;
}

/** Brings a value from a script's realm into ours (Dates and arrays from a vm context fail instanceof checks). */
export function importValue(value: unknown): FieldValue {
  if (value === undefined) return null;
  if (Object.prototype.toString.call(value) === '[object Date]') return new Date((value as Date).getTime());
  if (Array.isArray(value)) return value.map((v) => String(v));
  if (typeof value === 'object' && value !== null) return String(value);
  return value as FieldValue;
}

function copyData(data: RecordData): RecordData {
  return {
    type: data.type,
    id: data.id,
    version: data.version,
    fields: { ...data.fields },
    sublists: Object.fromEntries(Object.entries(data.sublists).map(([k, lines]) => [k, lines.map((l) => ({ ...l }))])),
  };
}

/**
 * SuiteScript returns numeric internal ids from save() and record.id. An id past 2^53 has no exact number, so it
 * stays a string rather than come back as a different id.
 */
export function scriptId(id: string | null): number | string | null {
  if (id === null) return null;
  return /^\d+$/.test(id) && Number.isSafeInteger(Number(id)) ? Number(id) : id;
}

function fieldIdOf(options: unknown, fn: string): string {
  const id = typeof options === 'string' ? options : (options as { fieldId?: unknown } | undefined)?.fieldId;
  if (typeof id !== 'string' || id === '') throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', `${fn}: missing a required argument: fieldId`);
  return id;
}

interface CurrentLine {
  sublistId: string;
  index: number;
  isNew: boolean;
  values: LineData;
}

export interface RecordHandleOptions {
  isDynamic: boolean;
  /** Changes are not saved back anywhere (afterSubmit newRecord, oldRecord). */
  readOnly?: boolean;
  /** The execution whose meter pays for save(); null for records handed to User Events by the UI. */
  slot: ExecutionSlot | null;
}

/** The Record object scripts receive. */
export class ScriptRecord {
  private current: CurrentLine | null = null;

  constructor(
    readonly data: RecordData,
    private readonly options: RecordHandleOptions,
  ) {}

  get id(): number | string | null {
    return scriptId(this.data.id);
  }

  get type(): string {
    return this.data.type;
  }

  get isDynamic(): boolean {
    return this.options.isDynamic;
  }

  getFields(): string[] {
    return Object.keys(this.data.fields);
  }

  getSublists(): string[] {
    return Object.keys(this.data.sublists);
  }

  getValue(options: unknown): unknown {
    const fieldId = fieldIdOf(options, 'Record.getValue');
    if (fieldId === 'id') return this.data.id ?? '';
    const v = this.data.fields[fieldId];
    return v === undefined ? '' : v;
  }

  setValue(options: Options): this {
    const o = required(options, 'Record.setValue', 'fieldId');
    const fieldId = String(o.fieldId);
    this.data.fields[fieldId] = importValue(o.value);
    if (o.ignoreFieldChange !== true) this.source(fieldId);
    return this;
  }

  /**
   * Field-change sourcing, where the engine offers it (setting the customer of a payment or refund lists its open
   * documents in the apply sublist). ignoreFieldChange: true skips it, as in NetSuite.
   */
  private source(fieldId: string): void {
    if (fieldId !== 'entity' && fieldId !== 'customer') return;
    const engine = this.options.slot?.current.host.engine as { sourceField?: (r: RecordData, f: string) => RecordData } | undefined;
    if (typeof engine?.sourceField !== 'function') return;
    const sourced = platform(() => (engine.sourceField as (r: RecordData, f: string) => RecordData)(this.data, fieldId));
    this.data.fields = sourced.fields;
    this.data.sublists = sourced.sublists;
  }

  getText(options: unknown): string {
    const fieldId = fieldIdOf(options, 'Record.getText');
    const v = this.data.fields[fieldId];
    if (v === undefined || v === null || v === '') return '';
    return platform(() => this.engine().textOf(this.data.type, fieldId, v));
  }

  /**
   * Sets a field by its display text: a select field takes the internal id of the record with that name (a
   * customer's name, an item's SKU, a location, account or currency name), or INVALID_FLD_VALUE when nothing has
   * that name; other fields keep the text. Field-change sourcing runs as for setValue.
   */
  setText(options: Options): this {
    const o = required(options, 'Record.setText', 'fieldId');
    const value = this.valueOfText(String(o.fieldId), o.text);
    return this.setValue({ fieldId: o.fieldId, value, ignoreFieldChange: o.ignoreFieldChange });
  }

  /** The value a display text stands for on this record's field (engine lookup; the text itself without one). */
  private valueOfText(fieldId: string, text: unknown, sublistId?: string): unknown {
    if (text === undefined || text === null || text === '') return text;
    const engine = this.options.slot?.current.host.engine;
    if (typeof engine?.valueOfText !== 'function') return text;
    const given = Array.isArray(text) ? text.map((t) => String(t)) : String(text);
    return platform(() => (engine.valueOfText as NonNullable<typeof engine.valueOfText>)(this.data.type, fieldId, given, sublistId));
  }

  // ---- sublists -------------------------------------------------------------------------------------------

  private lines(sublistId: unknown, fn: string): LineData[] {
    if (typeof sublistId !== 'string' || sublistId === '') {
      throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', `${fn}: missing a required argument: sublistId`);
    }
    const existing = this.data.sublists[sublistId];
    if (existing) return existing;
    const created: LineData[] = [];
    this.data.sublists[sublistId] = created;
    return created;
  }

  private line(options: Options, fn: string, allowAppend = false): { lines: LineData[]; index: number } {
    const o = required(options, fn, 'sublistId');
    const lines = this.lines(o.sublistId, fn);
    const index = Number(o.line);
    const max = allowAppend ? lines.length : lines.length - 1;
    if (!Number.isInteger(index) || index < 0 || index > max) {
      throw new SuiteScriptError('SSS_INVALID_SUBLIST_OPERATION', `${fn}: line ${String(o.line)} is out of range for sublist ${String(o.sublistId)} (${lines.length} lines).`);
    }
    return { lines, index };
  }

  /**
   * Mode errors: NetSuite refuses standard-mode-only calls on a dynamic record and vice versa. The exact code is
   * UNCONFIRMED in the reference; SSS_INVALID_API_USAGE names the misuse.
   */
  private requireMode(dynamic: boolean, fn: string): void {
    if (this.options.isDynamic !== dynamic) {
      throw new SuiteScriptError('SSS_INVALID_API_USAGE', `${fn} is only available on a record in ${dynamic ? 'dynamic' : 'standard'} mode.`);
    }
  }

  getLineCount(options: Options): number {
    const o = required(options, 'Record.getLineCount', 'sublistId');
    return this.data.sublists[String(o.sublistId)]?.length ?? -1;
  }

  getSublistValue(options: Options): unknown {
    const o = required(options, 'Record.getSublistValue', 'sublistId', 'fieldId');
    const { lines, index } = this.line(o, 'Record.getSublistValue');
    const v = lines[index]?.[String(o.fieldId)];
    return v === undefined ? '' : v;
  }

  getSublistText(options: Options): string {
    const o = required(options, 'Record.getSublistText', 'sublistId', 'fieldId');
    const v = this.getSublistValue(o);
    if (v === '' || v === null) return '';
    return platform(() => this.engine().textOf(this.data.type, String(o.fieldId), v as FieldValue));
  }

  /** Standard mode: sets a value on a line; line === getLineCount() appends a new line. */
  setSublistValue(options: Options): this {
    this.requireMode(false, 'Record.setSublistValue');
    const o = required(options, 'Record.setSublistValue', 'sublistId', 'fieldId');
    const { lines, index } = this.line(o, 'Record.setSublistValue', true);
    if (index === lines.length) lines.push({});
    (lines[index] as LineData)[String(o.fieldId)] = importValue(o.value);
    return this;
  }

  setSublistText(options: Options): this {
    const o = required(options, 'Record.setSublistText', 'sublistId', 'fieldId');
    return this.setSublistValue({ ...o, value: this.valueOfText(String(o.fieldId), o.text, String(o.sublistId)) });
  }

  insertLine(options: Options): this {
    const o = required(options, 'Record.insertLine', 'sublistId');
    const { lines, index } = this.line(o, 'Record.insertLine', true);
    lines.splice(index, 0, {});
    if (this.options.isDynamic) this.current = { sublistId: String(o.sublistId), index, isNew: false, values: {} };
    return this;
  }

  removeLine(options: Options): this {
    const o = required(options, 'Record.removeLine', 'sublistId');
    const { lines, index } = this.line(o, 'Record.removeLine');
    lines.splice(index, 1);
    if (this.current && this.current.sublistId === o.sublistId) this.current = null;
    return this;
  }

  findSublistLineWithValue(options: Options): number {
    const o = required(options, 'Record.findSublistLineWithValue', 'sublistId', 'fieldId');
    const lines = this.data.sublists[String(o.sublistId)] ?? [];
    const wanted = String(importValue(o.value));
    return lines.findIndex((l) => {
      const v = l[String(o.fieldId)];
      return v !== undefined && v !== null && String(v) === wanted;
    });
  }

  // ---- dynamic mode ---------------------------------------------------------------------------------------

  selectLine(options: Options): this {
    this.requireMode(true, 'Record.selectLine');
    const o = required(options, 'Record.selectLine', 'sublistId');
    const { lines, index } = this.line(o, 'Record.selectLine');
    this.current = { sublistId: String(o.sublistId), index, isNew: false, values: { ...lines[index] } };
    return this;
  }

  selectNewLine(options: Options): this {
    this.requireMode(true, 'Record.selectNewLine');
    const o = required(options, 'Record.selectNewLine', 'sublistId');
    const lines = this.lines(o.sublistId, 'Record.selectNewLine');
    this.current = { sublistId: String(o.sublistId), index: lines.length, isNew: true, values: {} };
    return this;
  }

  private currentLine(sublistId: unknown, fn: string): CurrentLine {
    this.requireMode(true, fn);
    if (!this.current || this.current.sublistId !== sublistId) {
      throw new SuiteScriptError('SSS_INVALID_SUBLIST_OPERATION', `${fn}: no line of sublist ${String(sublistId)} is selected.`);
    }
    return this.current;
  }

  getCurrentSublistIndex(options: Options): number {
    const o = required(options, 'Record.getCurrentSublistIndex', 'sublistId');
    return this.current && this.current.sublistId === o.sublistId ? this.current.index : -1;
  }

  setCurrentSublistValue(options: Options): this {
    const o = required(options, 'Record.setCurrentSublistValue', 'sublistId', 'fieldId');
    this.currentLine(o.sublistId, 'Record.setCurrentSublistValue').values[String(o.fieldId)] = importValue(o.value);
    return this;
  }

  setCurrentSublistText(options: Options): this {
    const o = required(options, 'Record.setCurrentSublistText', 'sublistId', 'fieldId');
    return this.setCurrentSublistValue({ ...o, value: this.valueOfText(String(o.fieldId), o.text, String(o.sublistId)) });
  }

  getCurrentSublistValue(options: Options): unknown {
    const o = required(options, 'Record.getCurrentSublistValue', 'sublistId', 'fieldId');
    const v = this.currentLine(o.sublistId, 'Record.getCurrentSublistValue').values[String(o.fieldId)];
    return v === undefined ? '' : v;
  }

  commitLine(options: Options): this {
    const o = required(options, 'Record.commitLine', 'sublistId');
    const line = this.currentLine(o.sublistId, 'Record.commitLine');
    const lines = this.lines(o.sublistId, 'Record.commitLine');
    if (line.isNew) lines.push(line.values);
    else lines[line.index] = line.values;
    this.current = null;
    return this;
  }

  cancelLine(options: Options): this {
    const o = required(options, 'Record.cancelLine', 'sublistId');
    this.currentLine(o.sublistId, 'Record.cancelLine');
    this.current = null;
    return this;
  }

  // ---- save -----------------------------------------------------------------------------------------------

  save(options?: Options): number | string | null {
    const exec = this.execution('Record.save');
    if (this.options.readOnly) {
      throw new SuiteScriptError('SSS_INVALID_API_USAGE', 'This record is read-only in this context and cannot be saved.');
    }
    const category = platform(() => exec.host.engine.category(this.data.type));
    exec.meter.charge('record.save', RECORD_COSTS.save[category], this.data.type);
    const saveOptions: SaveOptions = {};
    if (options?.enableSourcing !== undefined) saveOptions.enableSourcing = options.enableSourcing === true;
    if (options?.ignoreMandatoryFields !== undefined) saveOptions.ignoreMandatoryFields = options.ignoreMandatoryFields === true;
    // An uncommitted dynamic-mode line is not saved (commitLine is what adds it).
    this.current = null;
    const id = platform(() => exec.host.saveRecord(this.data, saveOptions, exec.trigger()));
    const stored = platform(() => exec.host.engine.load(this.data.type, id));
    this.data.id = id;
    this.data.version = stored.version;
    return scriptId(id);
  }

  toJSON(): Record<string, unknown> {
    return { id: this.data.id, type: this.data.type, isDynamic: this.options.isDynamic, fields: this.data.fields, sublists: this.data.sublists };
  }

  private execution(fn: string): Execution {
    if (!this.options.slot) throw new SuiteScriptError('SSS_INVALID_API_USAGE', `${fn} is not available on this record.`);
    return this.options.slot.current;
  }

  private engine() {
    if (this.options.slot) return this.options.slot.current.host.engine;
    throw new SuiteScriptError('SSS_INVALID_API_USAGE', 'No account is bound to this record.');
  }
}

/** A record handed to a script by the platform (User Event newRecord/oldRecord). */
export function platformRecord(data: RecordData, slot: ExecutionSlot, readOnly: boolean): ScriptRecord {
  return new ScriptRecord(readOnly ? copyData(data) : data, { isDynamic: false, readOnly, slot });
}

export function createRecordModule(slot: ExecutionSlot): Record<string, unknown> {
  const exec = () => slot.current;
  const charge = (api: string, kind: 'load' | 'save', type: string) => {
    const category = platform(() => exec().host.engine.category(type));
    exec().meter.charge(api, RECORD_COSTS[kind][category], type);
  };
  const handle = (data: RecordData, isDynamic: unknown) => new ScriptRecord(data, { isDynamic: isDynamic === true, slot });
  const defaults = (v: unknown): Record<string, FieldValue> | undefined => {
    if (!v || typeof v !== 'object') return undefined;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, importValue(x)]));
  };

  return {
    Type: RecordType,
    create(options: Options) {
      const o = required(options, 'record.create', 'type');
      const type = String(o.type).toLowerCase();
      charge('record.create', 'load', type);
      return handle(platform(() => exec().host.engine.newRecord(type, defaults(o.defaultValues))), o.isDynamic);
    },
    load(options: Options) {
      const o = required(options, 'record.load', 'type', 'id');
      const type = String(o.type).toLowerCase();
      charge('record.load', 'load', type);
      const data = platform(() => exec().host.engine.load(type, String(o.id)));
      // Reference 3.2: beforeLoad is triggered by server SuiteScript reads. The context.type a scripted load
      // carries is UNCONFIRMED; 'view' (a read that is not an edit form) is used. A User Event's own loads fire
      // nothing (no chaining), and the handler gets a copy: its changes do not reach this record.
      if (exec().scriptType !== 'UserEventScript') exec().host.fireBeforeLoad(data, 'view', exec().trigger());
      return handle(data, o.isDynamic);
    },
    copy(options: Options) {
      const o = required(options, 'record.copy', 'type', 'id');
      const type = String(o.type).toLowerCase();
      charge('record.copy', 'load', type);
      return handle(platform(() => exec().host.engine.copy(type, String(o.id))), o.isDynamic);
    },
    /** Charged by the category of the record being created (toType); UNCONFIRMED which side NetSuite uses. */
    transform(options: Options) {
      const o = required(options, 'record.transform', 'fromType', 'fromId', 'toType');
      const toType = String(o.toType).toLowerCase();
      charge('record.transform', 'load', toType);
      const data = platform(() =>
        exec().host.engine.transform(String(o.fromType).toLowerCase(), String(o.fromId), toType, defaults(o.defaultValues)),
      );
      return handle(data, o.isDynamic);
    },
    delete(options: Options) {
      const o = required(options, 'record.delete', 'type', 'id');
      const type = String(o.type).toLowerCase();
      charge('record.delete', 'save', type);
      platform(() => exec().host.deleteRecord(type, String(o.id), exec().trigger()));
      return scriptId(String(o.id));
    },
    submitFields(options: Options) {
      const o = required(options, 'record.submitFields', 'type', 'id', 'values');
      const type = String(o.type).toLowerCase();
      charge('record.submitFields', 'load', type);
      const values = defaults(o.values) ?? {};
      const opts = (o.options ?? {}) as Record<string, unknown>;
      const saveOptions: SaveOptions = {
        enableSourcing: opts.enableSourcing !== false,
        ignoreMandatoryFields: opts.ignoreMandatoryFields === true,
      };
      const id = platform(() => exec().host.submitFields(type, String(o.id), values, saveOptions, exec().trigger()));
      return scriptId(id);
    },
  };
}
