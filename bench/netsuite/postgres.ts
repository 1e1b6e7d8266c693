/** The throughput benchmark's throwaway PostgreSQL: the benchmarks' shared cluster (bench/common/postgres.js), typed. */
import * as path from 'node:path';

export interface TempPostgres {
  url: string;
  stop(): void;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the shared module is plain JS for the JS benchmarks
const shared = require(path.join(__dirname, '..', 'common', 'postgres.js')) as { startPostgres(settings?: Record<string, string>): Promise<TempPostgres> };

export function startPostgres(): Promise<TempPostgres> {
  return shared.startPostgres({ fsync: 'off' });
}
