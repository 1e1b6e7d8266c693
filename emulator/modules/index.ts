/**
 * The N/* modules the local account provides, by AMD id. N/file and N/render are not provided yet (the
 * invoice-PDF flow will need them); requiring them fails with MODULE_DOES_NOT_EXIST, as an unknown module does.
 */
import type { ModuleFactory } from '../runtime/loader';
import { createCacheModule } from './cache';
import { createEncodeModule } from './encode';
import { createErrorModule } from './error';
import { createFormatModule } from './format';
import { createHttpsModule } from './https';
import { createLogModule } from './log';
import { createRecordModule } from './record';
import { createRuntimeModule } from './runtime';
import { createSearchModule } from './search';
import { createTaskModule } from './task';

export const PLATFORM_MODULES: Record<string, ModuleFactory> = {
  'N/cache': createCacheModule,
  'N/encode': createEncodeModule,
  'N/error': createErrorModule,
  'N/format': createFormatModule,
  'N/https': createHttpsModule,
  'N/log': createLogModule,
  'N/record': createRecordModule,
  'N/runtime': createRuntimeModule,
  'N/search': createSearchModule,
  'N/task': createTaskModule,
};
