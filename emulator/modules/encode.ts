/** N/encode: convert({string, inputEncoding, outputEncoding}) between UTF_8, BASE_64, BASE_64_URL_SAFE and HEX. */
import { SuiteScriptError } from '../runtime/errors';

const Encoding = {
  UTF_8: 'UTF_8',
  BASE_16: 'BASE_16',
  BASE_32: 'BASE_32',
  BASE_64: 'BASE_64',
  BASE_64_URL_SAFE: 'BASE_64_URL_SAFE',
  HEX: 'HEX',
} as const;

const NODE_ENCODING: Record<string, BufferEncoding> = {
  UTF_8: 'utf8',
  BASE_16: 'hex',
  HEX: 'hex',
  BASE_64: 'base64',
  BASE_64_URL_SAFE: 'base64url',
};

export function createEncodeModule(): Record<string, unknown> {
  return {
    Encoding,
    convert(options: { string?: unknown; inputEncoding?: unknown; outputEncoding?: unknown } | undefined) {
      if (!options || typeof options.string !== 'string' || !options.inputEncoding || !options.outputEncoding) {
        throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'encode.convert: string, inputEncoding and outputEncoding are required.');
      }
      const from = NODE_ENCODING[String(options.inputEncoding)];
      const to = NODE_ENCODING[String(options.outputEncoding)];
      if (!from || !to) {
        throw new SuiteScriptError('SSS_INVALID_ENCODING', `encode.convert: unsupported encoding ${String(!from ? options.inputEncoding : options.outputEncoding)} (BASE_32 is not emulated).`);
      }
      return Buffer.from(options.string, from).toString(to);
    },
  };
}
