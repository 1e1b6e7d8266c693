/** NetSuite connection credentials by auth kind: Token-Based Authentication (OAuth 1.0a) or OAuth 2.0 M2M. */
import { z } from 'zod';

export const tbaCredentialsSchema = z.strictObject({
  consumerKey: z.string().min(1),
  consumerSecret: z.string().min(1),
  tokenId: z.string().min(1),
  tokenSecret: z.string().min(1),
});

export const m2mCredentialsSchema = z.strictObject({
  clientId: z.string().min(1),
  certificateId: z.string().min(1),
  /** PEM private key whose certificate is uploaded in NetSuite (OAuth 2.0 Client Credentials (M2M) Setup). */
  privateKey: z.string().includes('PRIVATE KEY'),
});

export type TbaCredentials = z.infer<typeof tbaCredentialsSchema>;
export type M2mCredentials = z.infer<typeof m2mCredentialsSchema>;
export type NetSuiteCredentials = { kind: 'tba'; tba: TbaCredentials } | { kind: 'm2m'; m2m: M2mCredentials };

export const AUTH_KINDS = ['tba', 'm2m'] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];

export function credentialsSchemaFor(kind: AuthKind): z.ZodType<TbaCredentials | M2mCredentials> {
  return kind === 'tba' ? tbaCredentialsSchema : m2mCredentialsSchema;
}
