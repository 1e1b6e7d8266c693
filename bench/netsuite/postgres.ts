/** A throwaway PostgreSQL 15 server for the benchmark (initdb/pg_ctl as user postgres, high port, temp dir). */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const BIN = '/usr/lib/postgresql/15/bin';

export interface TempPostgres {
  url: string;
  stop(): void;
}

export function startPostgres(port = 55_000 + Math.floor(Math.random() * 5000)): TempPostgres {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-bench-pg-'));
  fs.chmodSync(dir, 0o777);
  // stdio ignored: the server pg_ctl starts would otherwise hold our pipe open and the call would never return.
  const asPostgres = (args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'ignore' });
  asPostgres([`${BIN}/initdb`, '-D', `${dir}/data`, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  asPostgres([`${BIN}/pg_ctl`, '-D', `${dir}/data`, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', `${dir}/log`, '-w', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        asPostgres([`${BIN}/pg_ctl`, '-D', `${dir}/data`, '-m', 'immediate', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
