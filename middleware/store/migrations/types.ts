/** A versioned schema migration. Ids are ordered ("0001_init", "0002_partner_auth" …) and applied once each. */
export interface Migration {
  id: string;
  /** Plain SQL, run inside one transaction; must work on PostgreSQL 15 and on PGlite. */
  sql: string;
}
