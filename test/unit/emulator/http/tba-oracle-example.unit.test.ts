// Reference 2.1: the Oracle worked TBA example (RESTlet POST, HMAC-SHA256) verifies in the local account's TBA
// verifier exactly as documented, header as a client sends it; one changed input or a second use does not.
import { TbaVerifier } from '../../../../emulator/http/tba-verifier';

const URL = 'https://123456.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=6&deploy=1&customParam=someValue&testParam=someOtherValue';
const CREDENTIALS = {
  consumerKey: 'ef40afdd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4',
  consumerSecret: 'd26ad321a4b2f23b0741c8d38392ce01c3e23e109df6c96eac6d099e9ab9e8b5',
  tokenId: '2b0ce516420110bcbd36b69e99196d1b7f6de3c6234c5afb799b73d87569f5cc',
  tokenSecret: 'c29a677df7d5439a458c063654187e3d678d73aca8e3c9d8bea1478a3eb0d295',
};
const TIMESTAMP = 1508242306;

function header(signature: string, realm = '123456'): string {
  return [
    `OAuth realm="${realm}"`,
    `oauth_consumer_key="${CREDENTIALS.consumerKey}"`,
    `oauth_token="${CREDENTIALS.tokenId}"`,
    'oauth_signature_method="HMAC-SHA256"',
    `oauth_timestamp="${TIMESTAMP}"`,
    'oauth_nonce="fjaLirsIcCGVZWzBX0pg"',
    'oauth_version="1.0"',
    `oauth_signature="${signature}"`,
  ].join(', ');
}

const DOCUMENTED = '%2BKK4SKNgz4ZiILGLwOMtfYlgcXSy1eis8ldE9X90azQ%3D'; // +KK4SK…azQ= in header form

function verifier(nowSeconds = TIMESTAMP + 30) {
  return new TbaVerifier({ realm: '123456', credentials: [CREDENTIALS], now: () => new Date(nowSeconds * 1000) });
}

describe('the Oracle worked TBA example (2.1)', () => {
  it('2.1: verifies with the documented signature, realm 123456 and the query params in the base string', () => {
    expect(verifier().verify({ method: 'POST', url: URL, authorization: header(DOCUMENTED) })).toEqual({
      ok: true,
      consumerKey: CREDENTIALS.consumerKey,
      tokenId: CREDENTIALS.tokenId,
    });
  });

  it('2.1: the same header fails for another method, another query value, the rendering-loss signature, or a replay', () => {
    expect(verifier().verify({ method: 'GET', url: URL, authorization: header(DOCUMENTED) })).toMatchObject({ ok: false, detail: 'InvalidSignature' });
    const otherQuery = URL.replace('someOtherValue', 'changed');
    expect(verifier().verify({ method: 'POST', url: otherQuery, authorization: header(DOCUMENTED) })).toMatchObject({ detail: 'InvalidSignature' });
    // The help page prints the signature without its leading '+': that form must not verify.
    expect(verifier().verify({ method: 'POST', url: URL, authorization: header(DOCUMENTED.replace('%2B', '')) })).toMatchObject({ detail: 'InvalidSignature' });
    const once = verifier();
    expect(once.verify({ method: 'POST', url: URL, authorization: header(DOCUMENTED) }).ok).toBe(true);
    expect(once.verify({ method: 'POST', url: URL, authorization: header(DOCUMENTED) })).toMatchObject({ code: 'INVALID_LOGIN_ATTEMPT', detail: 'nonce_used' });
  });

  it('2.1: more than 5 minutes after its timestamp the documented request is refused as InvalidTimestamp', () => {
    expect(verifier(TIMESTAMP + 301).verify({ method: 'POST', url: URL, authorization: header(DOCUMENTED) })).toMatchObject({
      ok: false,
      detail: 'InvalidTimestamp',
    });
    expect(verifier(TIMESTAMP + 300).verify({ method: 'POST', url: URL, authorization: header(DOCUMENTED) }).ok).toBe(true);
  });
});
