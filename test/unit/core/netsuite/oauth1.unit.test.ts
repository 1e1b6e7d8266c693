import {
  OAuthSyntaxError,
  baseStringUri,
  buildAuthorizationHeader,
  computeSignature,
  hostForAccount,
  normalizeParameters,
  parseAuthorizationHeader,
  parseFormPairs,
  percentDecode,
  percentEncode,
  realmForAccount,
  safeEqual,
  signTbaRequest,
  signatureBaseString,
  signingKey,
  type SignatureMethod,
} from '../../../../core/netsuite/oauth1';
import { readFixtureJson } from '../../../helpers/fixtures';


// Reference netsuite-platform.md 2.1, "Verified test vector".
const worked = {
  consumerKey: 'ef40afdd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4',
  consumerSecret: 'd26ad321a4b2f23b0741c8d38392ce01c3e23e109df6c96eac6d099e9ab9e8b5',
  tokenId: '2b0ce516420110bcbd36b69e99196d1b7f6de3c6234c5afb799b73d87569f5cc',
  tokenSecret: 'c29a677df7d5439a458c063654187e3d678d73aca8e3c9d8bea1478a3eb0d295',
  nonce: 'fjaLirsIcCGVZWzBX0pg',
  timestamp: '1508242306',
  realm: '123456',
};

describe('NetSuite TBA worked example (reference 2.1)', () => {
  it('signs the RESTlet POST exactly as documented', () => {
    const url =
      'https://123456.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=6&deploy=1&customParam=someValue&testParam=someOtherValue';
    const signed = signTbaRequest({ ...worked, method: 'POST', url });
    expect(signed.baseString.startsWith(
      'POST&https%3A%2F%2F123456.restlets.api.netsuite.com%2Fapp%2Fsite%2Fhosting%2Frestlet.nl&customParam%3DsomeValue%26deploy%3D1%26oauth_consumer_key%3D',
    )).toBe(true);
    expect(signed.baseString.endsWith('oauth_version%3D1.0%26script%3D6%26testParam%3DsomeOtherValue')).toBe(true);
    expect(signed.signature).toBe('+KK4SKNgz4ZiILGLwOMtfYlgcXSy1eis8ldE9X90azQ=');
    // Header form: each value percent-encoded, realm first (reference 2.1 "Header").
    expect(signed.authorization).toBe(
      'OAuth realm="123456", oauth_consumer_key="ef40afdd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4", ' +
        'oauth_token="2b0ce516420110bcbd36b69e99196d1b7f6de3c6234c5afb799b73d87569f5cc", ' +
        'oauth_nonce="fjaLirsIcCGVZWzBX0pg", oauth_timestamp="1508242306", oauth_signature_method="HMAC-SHA256", ' +
        'oauth_version="1.0", oauth_signature="%2BKK4SKNgz4ZiILGLwOMtfYlgcXSy1eis8ldE9X90azQ%3D"',
    );
  });

  it('signs the REST web services GET exactly as documented', () => {
    const url = 'https://123456.suitetalk.api.netsuite.com/services/rest/record/v1/employee/40';
    expect(signTbaRequest({ ...worked, method: 'get', url }).signature).toBe(
      'B5OIWznZ2YP0OB7VrJrGkYsTh+8H+5T9Hag+o92q0zY=',
    );
  });

  it('gives a different signature when any input changes', () => {
    const url = 'https://123456.suitetalk.api.netsuite.com/services/rest/record/v1/employee/40';
    const good = signTbaRequest({ ...worked, method: 'GET', url }).signature;
    expect(signTbaRequest({ ...worked, method: 'GET', url: `${url}1` }).signature).not.toBe(good);
    expect(signTbaRequest({ ...worked, method: 'GET', url, nonce: 'other-nonce' }).signature).not.toBe(good);
    expect(signTbaRequest({ ...worked, method: 'GET', url, tokenSecret: 'x' }).signature).not.toBe(good);
  });
});

interface RfcRequest {
  name: string;
  method: string;
  base_string_uri: string;
  query?: Record<string, string>;
  oauth_params: Record<string, string>;
  realm: string;
  token_secret: string;
  expected_oauth_signature: string;
  as_published_in_header: string;
}
interface RfcVectors {
  client_shared_secret: string;
  signature_method: SignatureMethod;
  requests: RfcRequest[];
  section_3_4_1_example: {
    request: string;
    oauth_params: Record<string, string>;
    normalized_parameters: string;
    signature_base_string: string;
    base_string_uri_examples: { request: string; base_string_uri: string }[];
  };
}

describe('RFC 5849 vectors (test/fixtures/vectors/oauth1)', () => {
  const vectors = readFixtureJson<RfcVectors>('vectors', 'oauth1', 'rfc5849-vectors.json');

  it.each(vectors.requests.map((r) => [r.name, r] as const))('%s reproduces the published HMAC-SHA1 signature', (_name, r) => {
    // base_string_uri records the scheme each request was signed with (https for 1 and 2, http for 3).
    const query = new URLSearchParams(r.query ?? {}).toString();
    const url = query ? `${r.base_string_uri}?${query}` : r.base_string_uri;
    const baseString = signatureBaseString({ method: r.method, url, oauthParams: { ...r.oauth_params, realm: r.realm } });
    const signature = computeSignature(
      vectors.signature_method,
      baseString,
      signingKey(vectors.client_shared_secret, r.token_secret),
    );
    expect(signature).toBe(r.expected_oauth_signature);
    expect(percentEncode(signature)).toBe(r.as_published_in_header);
  });

  it('builds the section 3.4.1 base string, form body parameters included', () => {
    const ex = vectors.section_3_4_1_example;
    const formParams = parseFormPairs('c2&a3=2+q');
    const url = 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b';
    const pairs = [...parseFormPairs(new URL(url).search), ...formParams, ...Object.entries(ex.oauth_params)];
    expect(normalizeParameters(pairs)).toBe(ex.normalized_parameters);
    expect(signatureBaseString({ method: 'POST', url, oauthParams: ex.oauth_params, formParams })).toBe(
      ex.signature_base_string,
    );
  });

  it('normalizes the base string URI examples of 3.4.1.2', () => {
    expect(baseStringUri('http://EXAMPLE.COM:80/r%20v/X?id=123')).toBe(vectors.section_3_4_1_example.base_string_uri_examples[0]!.base_string_uri);
    expect(baseStringUri('https://www.example.net:8080/?q=1')).toBe(vectors.section_3_4_1_example.base_string_uri_examples[1]!.base_string_uri);
    expect(baseStringUri('https://Example.COM:443/a#frag')).toBe('https://example.com/a');
  });

  it('PLAINTEXT signs with the key itself (RFC 5849 3.4.4)', () => {
    expect(computeSignature('PLAINTEXT', 'ignored', signingKey('kd94hf93k423kf44', 'a b'))).toBe('kd94hf93k423kf44&a%20b');
  });
});

describe('percent-encoding (RFC 5849 3.6)', () => {
  it('leaves only unreserved characters unencoded, upper-case hex, UTF-8', () => {
    expect(percentEncode("AZaz09-._~ !*'()+/=&%")).toBe('AZaz09-._~%20%21%2A%27%28%29%2B%2F%3D%26%25');
    expect(percentEncode('é☃')).toBe('%C3%A9%E2%98%83');
  });

  it('decodes strictly', () => {
    expect(percentDecode('a%2Bb+c')).toBe('a+b+c');
    expect(() => percentDecode('%E0%A4%A')).toThrow(OAuthSyntaxError);
  });
});

describe('realm and host for an account (reference 2.1 sandbox rule)', () => {
  it('upper-cases the sandbox realm with an underscore and lower-cases the host with a hyphen', () => {
    expect(realmForAccount('123456')).toBe('123456');
    expect(realmForAccount('123456-sb1')).toBe('123456_SB1');
    expect(realmForAccount('123456_sb1')).toBe('123456_SB1');
    expect(hostForAccount('123456_SB1')).toBe('123456-sb1.restlets.api.netsuite.com');
    expect(hostForAccount('123456', 'suitetalk')).toBe('123456.suitetalk.api.netsuite.com');
    expect(() => realmForAccount('not an account')).toThrow(/not a NetSuite account id/);
  });
});

describe('Authorization header parsing', () => {
  it('round-trips a built header', () => {
    const header = buildAuthorizationHeader('123456_SB1', { oauth_consumer_key: 'c k', oauth_signature: 'a+b/c=' });
    expect(parseAuthorizationHeader(header)).toEqual({
      realm: '123456_SB1',
      params: { oauth_consumer_key: 'c k', oauth_signature: 'a+b/c=' },
    });
  });

  it.each([
    ['another scheme', 'Basic abc'],
    ['unquoted value', 'OAuth realm="1", oauth_nonce=abc'],
    ['repeated parameter', 'OAuth oauth_nonce="a", oauth_nonce="b"'],
    ['non-oauth parameter', 'OAuth realm="1", foo="bar"'],
    ['bad escape', 'OAuth oauth_signature="%ZZ"'],
    ['trailing garbage', 'OAuth oauth_nonce="a" x'],
  ])('refuses %s with a typed error', (_name, header) => {
    expect(() => parseAuthorizationHeader(header)).toThrow(OAuthSyntaxError);
  });
});

describe('safeEqual', () => {
  it('compares exactly', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
