import { createCachedTokenSource, type TokenFetch } from '../../../../../middleware/connectors/ebay/token';

describe('createCachedTokenSource', () => {
  it('shares one request among concurrent callers, caches until a minute before expiry, and never caches failures', async () => {
    let clock = 0;
    const answers: Array<Awaited<ReturnType<TokenFetch>>> = [
      { ok: false, error: { code: 'reauthorization_required', message: 'needs re-authorisation', retryable: false } },
      { ok: true, value: { accessToken: 'a', expiresInSeconds: 300 } },
      { ok: true, value: { accessToken: 'b', expiresInSeconds: 300 } },
      { ok: true, value: { accessToken: 'c', expiresInSeconds: 300 } },
    ];
    let calls = 0;
    const source = createCachedTokenSource(async () => {
      calls += 1;
      await new Promise((r) => setTimeout(r, 5));
      return answers.shift() as Awaited<ReturnType<TokenFetch>>;
    }, { now: () => clock });

    const failed = await Promise.all([source.getAccessToken(), source.getAccessToken()]);
    expect(failed.map((r) => !r.ok && r.error.code)).toEqual(['reauthorization_required', 'reauthorization_required']);
    expect(calls).toBe(1);
    expect(await source.getAccessToken()).toEqual({ ok: true, value: 'a' });
    clock = 239_000;
    expect(await source.getAccessToken()).toEqual({ ok: true, value: 'a' });
    expect(calls).toBe(2);
    clock = 240_000;
    expect(await source.getAccessToken()).toEqual({ ok: true, value: 'b' });
    source.invalidate();
    expect(await source.getAccessToken()).toEqual({ ok: true, value: 'c' });
    expect(calls).toBe(4);
  });
});
