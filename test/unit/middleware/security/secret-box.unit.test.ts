import { createSecretBox, generateMasterKey, isSecretBoxError, SecretBoxError } from '../../../../middleware/security/secret-box';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isSecretBoxError(err)) return err.code;
    throw err;
  }
  throw new Error('expected a SecretBoxError');
}

/** Flips one bit of one base64url part of the envelope. */
function flip(sealed: string, partIndex: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[partIndex]!, 'base64url');
  bytes[0] = bytes[0]! ^ 0x01;
  parts[partIndex] = bytes.toString('base64url');
  return parts.join('.');
}

describe('secret box (AES-256-GCM at rest)', () => {
  const key = generateMasterKey();
  const box = createSecretBox(key);

  it('round-trips text, including unicode and the empty string', () => {
    for (const plain of ['shpss_0123456789abcdef', 'ünïcødé — 秘密', '']) {
      const sealed = box.seal(plain);
      expect(sealed.startsWith(`v1.${box.currentKeyId}.`)).toBe(true);
      expect(sealed).not.toContain(plain || 'never-empty-marker');
      expect(box.open(sealed)).toBe(plain);
    }
  });

  it('uses a fresh IV each time, so equal secrets never look equal at rest', () => {
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('detects tampering with the IV, tag or ciphertext', () => {
    const sealed = box.seal('consumer-secret-value');
    for (const part of [2, 3, 4]) {
      expect(codeOf(() => box.open(flip(sealed, part)))).toBe('decrypt_failed');
    }
  });

  it('refuses envelopes that are malformed or of an unknown version', () => {
    const sealed = box.seal('x');
    expect(codeOf(() => box.open('not-an-envelope'))).toBe('malformed');
    expect(codeOf(() => box.open(sealed.split('.').slice(0, 4).join('.')))).toBe('malformed');
    expect(codeOf(() => box.open(`v9${sealed.slice(2)}`))).toBe('unsupported_version');
    const shortIv = sealed.split('.');
    shortIv[2] = 'AAAA';
    expect(codeOf(() => box.open(shortIv.join('.')))).toBe('malformed');
  });

  it('will not open with the wrong key, and an attacker cannot relabel the key id', () => {
    const other = createSecretBox(generateMasterKey());
    const sealed = box.seal('secret');
    expect(codeOf(() => other.open(sealed))).toBe('unknown_key');
    const relabelled = sealed.split('.');
    relabelled[1] = other.currentKeyId;
    expect(codeOf(() => other.open(relabelled.join('.')))).toBe('decrypt_failed');
  });

  it('binds the additional authenticated data', () => {
    const sealed = box.seal('channel secret', 'channel:42');
    expect(box.open(sealed, 'channel:42')).toBe('channel secret');
    expect(codeOf(() => box.open(sealed, 'channel:43'))).toBe('decrypt_failed');
    expect(codeOf(() => box.open(sealed))).toBe('decrypt_failed');
    expect(codeOf(() => box.open(box.seal('no aad'), 'channel:42'))).toBe('decrypt_failed');
  });

  it('rotates: a new box opens values sealed by previous keys and says they need re-sealing', () => {
    const next = createSecretBox(generateMasterKey(), { previousKeys: [key] });
    const old = box.seal('old secret', 'row-1');
    expect(next.open(old, 'row-1')).toBe('old secret');
    expect(next.needsReseal(old)).toBe(true);
    const resealed = next.seal(next.open(old, 'row-1'), 'row-1');
    expect(next.needsReseal(resealed)).toBe(false);
    expect(codeOf(() => box.open(resealed, 'row-1'))).toBe('unknown_key');
  });

  it('rejects master keys that are not 32 bytes of base64', () => {
    expect(() => createSecretBox('too-short')).toThrow(SecretBoxError);
    expect(() => createSecretBox(Buffer.alloc(16).toString('base64'))).toThrow(/32 bytes/);
    expect(() => createSecretBox(key, { previousKeys: ['nope'] })).toThrow(SecretBoxError);
  });
});
