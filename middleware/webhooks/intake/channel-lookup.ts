/**
 * The intake's channel lookups, batched (batcher.ts): the lookups asked for while one runs go together in one
 * query (`id = any(...)`), so under load a group of deliveries costs one lookup instead of one each. Every answer
 * comes from a query that started after its delivery asked, so a channel disabled or re-keyed a moment ago is seen
 * as such. The last row read per channel is kept as a hint (`recent`): a delivery may be verified with it, and is
 * then written only if the channel is still enabled with the same sealed secrets. The opened secrets are kept per
 * sealed value (the same sealed text always opens to the same secrets; a changed secret is a new sealed text), a
 * bounded number of them.
 */
import type { SecretBox } from '../../security/secret-box';
import type { Db } from '../../store/db';
import type { ChannelRow } from '../../store/sql/channels';
import { findChannelsByIds } from '../../store/sql/webhook-intake';
import type { ChannelSecrets } from '../../tenancy/channel-kinds';
import { openChannelSecrets } from '../../tenancy/tenancy-service';
import { createBatcher } from './batcher';

export interface ChannelLookup {
  /** Reads the channel now (batched with the other lookups waiting), and keeps the row for `recent`. */
  find(id: string): Promise<ChannelRow | undefined>;
  /**
   * The row the last `find` of this id read, if the channel was enabled then: a hint only. A delivery verified
   * with it is written only if the channel is still enabled with the same sealed secrets (the group statement
   * checks), else it is read again with `find`.
   */
  recent(id: string): ChannelRow | undefined;
  secrets(channel: ChannelRow): ChannelSecrets | undefined;
}

const MAX_OPENED = 1000;
const MAX_RECENT = 1000;

export function createChannelLookup(db: Db, box: SecretBox, options: { maxInFlight?: number } = {}): ChannelLookup {
  const batcher = createBatcher<string, ChannelRow | undefined>(
    async (ids) => {
      const rows = await findChannelsByIds(db, [...new Set(ids)]);
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id));
    },
    { maxBatch: 500, maxInFlight: options.maxInFlight ?? (db.kind === 'pglite' ? 1 : 2) },
  );
  const opened = new Map<string, ChannelSecrets | undefined>();
  const recent = new Map<string, ChannelRow>();
  return {
    async find(id) {
      const row = await batcher.add(id);
      recent.delete(id);
      if (row?.enabled) {
        if (recent.size >= MAX_RECENT) recent.delete(recent.keys().next().value as string);
        recent.set(id, row);
      }
      return row;
    },
    recent: (id) => recent.get(id),
    secrets(channel) {
      if (!channel.secrets_sealed) return undefined;
      const key = `${channel.id}\u0000${channel.secrets_sealed}`;
      if (opened.has(key)) return opened.get(key);
      const secrets = openChannelSecrets(box, channel);
      if (opened.size >= MAX_OPENED) opened.delete(opened.keys().next().value as string);
      opened.set(key, secrets);
      return secrets;
    },
  };
}
