/**
 * Fresh credentials for a local account (the sandbox prints them for clients): a TBA consumer and token, and an
 * OAuth 2.0 M2M client with an EC P-256 key pair (ES256) whose public half is registered as its certificate.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { TbaCredentials } from '../../core/netsuite/oauth1';
import type { M2mClient } from './oauth2';

export interface SandboxCredentials {
  tba: TbaCredentials;
  m2m: {
    clientId: string;
    certificateId: string;
    /** SPKI PEM: what the host registers. */
    publicKeyPem: string;
    /** PKCS#8 PEM: what the client signs its assertions with (alg ES256, kid = certificateId). */
    privateKeyPem: string;
    algorithm: 'ES256';
    scopes: string[];
  };
}

/** 64 hex characters, the shape NetSuite gives consumer and token keys and secrets. */
function hex64(): string {
  return randomBytes(32).toString('hex');
}

export function generateSandboxCredentials(): SandboxCredentials {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    tba: { consumerKey: hex64(), consumerSecret: hex64(), tokenId: hex64(), tokenSecret: hex64() },
    m2m: {
      clientId: hex64(),
      certificateId: randomBytes(16).toString('base64url'),
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      algorithm: 'ES256',
      scopes: ['restlets', 'rest_webservices'],
    },
  };
}

/** The host's `credentials` option for a set of sandbox credentials. */
export function hostCredentialsFor(creds: SandboxCredentials): { tba: TbaCredentials[]; m2m: M2mClient[] } {
  return {
    tba: [creds.tba],
    m2m: [
      {
        clientId: creds.m2m.clientId,
        certificateId: creds.m2m.certificateId,
        publicKey: creds.m2m.publicKeyPem,
        scopes: creds.m2m.scopes,
      },
    ],
  };
}
