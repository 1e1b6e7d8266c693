/**
 * The account's schema: standard record types plus the custom record types and custom fields registered at run
 * time (the runtime reads them from the SDF Objects).
 */
import {
  CUSTOM_FIELD_PREFIX, STANDARD_TYPES, kindOfSdfType, type FieldKind, type RecordTypeDef,
} from './record-types';
import { NsError, type CustomFieldDefinition, type CustomRecordTypeDefinition } from './types';

type AppliesTo = 'transactionbody' | 'transactioncolumn' | 'entity' | 'item';

export interface Schema {
  def(type: string): RecordTypeDef;
  find(type: string): RecordTypeDef | undefined;
  fieldKind(type: string, fieldId: string, sublistId?: string): FieldKind | undefined;
  /** Whether the field exists on the type (standard, registered custom field, or custom record field). */
  hasField(type: string, fieldId: string): boolean;
  customFieldsFor(type: string): CustomFieldDefinition[];
  registerCustomRecordType(def: CustomRecordTypeDefinition): void;
  registerCustomField(def: CustomFieldDefinition & { appliesTo: AppliesTo }): void;
}

const APPLIES_TO_FAMILY: Record<AppliesTo, string> = {
  transactionbody: 'transaction', transactioncolumn: 'transaction', entity: 'entity', item: 'item',
};

export function createSchema(): Schema {
  const custom = new Map<string, RecordTypeDef>();
  const customDefs = new Map<string, CustomFieldDefinition[]>();
  const fields = new Map<string, CustomFieldDefinition & { appliesTo: AppliesTo }>();

  const find = (type: string) => STANDARD_TYPES.get(type) ?? custom.get(type.toLowerCase());
  const def = (type: string): RecordTypeDef => {
    const d = find(type);
    if (!d) throw new NsError('SSS_INVALID_RECORD_TYPE', `The record type [${type}] is invalid.`);
    return d;
  };

  function customField(type: string, fieldId: string, column: boolean) {
    const f = fields.get(fieldId);
    if (!f) return undefined;
    const family = find(type)?.family;
    if (APPLIES_TO_FAMILY[f.appliesTo] !== family) return undefined;
    if ((f.appliesTo === 'transactioncolumn') !== column) return undefined;
    return f;
  }

  return {
    def,
    find,
    fieldKind(type, fieldId, sublistId) {
      const d = find(type);
      if (!d) return undefined;
      if (sublistId) {
        const standard = d.sublists[sublistId]?.[fieldId];
        if (standard) return standard;
        const f = customField(type, fieldId, true);
        return f ? kindOfSdfType(f.fieldType) : undefined;
      }
      const standard = d.body[fieldId];
      if (standard) return standard;
      const f = customField(type, fieldId, false);
      return f ? kindOfSdfType(f.fieldType) : undefined;
    },
    hasField(type, fieldId) {
      const d = find(type);
      if (!d) return false;
      return fieldId in d.body || fieldId === 'internalid' || customField(type, fieldId, false) !== undefined;
    },
    customFieldsFor(type) {
      const d = find(type);
      if (!d) return [];
      const own = customDefs.get(d.type) ?? [];
      const applied = [...fields.values()].filter(
        (f) => f.appliesTo !== 'transactioncolumn' && APPLIES_TO_FAMILY[f.appliesTo] === d.family,
      );
      return [...own, ...applied];
    },
    registerCustomRecordType(input) {
      const type = input.scriptid.toLowerCase();
      if (!type.startsWith('customrecord')) {
        throw new NsError('INVALID_RCRD_TYPE', `Custom record type ids start with 'customrecord': ${input.scriptid}`);
      }
      const body: Record<string, FieldKind> = {
        name: 'text', externalid: 'text', isinactive: 'checkbox', owner: 'select', created: 'date',
        lastmodified: 'date', createddate: 'date', lastmodifieddate: 'date',
      };
      for (const f of input.fields) body[f.id] = kindOfSdfType(f.fieldType);
      custom.set(type, {
        type, family: 'custom', category: 'custom', label: input.scriptid, body, sublists: {},
        mandatory: Object.fromEntries(input.fields.filter((f) => f.mandatory).map((f) => [f.id, f.id])),
        creatable: true, copyable: true,
      });
      customDefs.set(type, input.fields.map((f) => ({ ...f })));
    },
    registerCustomField(input) {
      const prefix = input.id.split('_')[0] ?? '';
      const expected = CUSTOM_FIELD_PREFIX[prefix];
      if (expected && expected !== input.appliesTo) {
        throw new NsError('INVALID_FLD', `Custom field ${input.id} does not apply to ${input.appliesTo}`);
      }
      fields.set(input.id, { ...input });
    },
  };
}
