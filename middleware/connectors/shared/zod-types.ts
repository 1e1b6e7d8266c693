/** zod pieces shared by the provider schemas. */
import { z } from 'zod';

/** A platform id: digits as a string whether it arrived as a JSON number (safe) or as a kept-exact big integer. */
export const idString = z.union([z.string().min(1), z.number().int().nonnegative()]).transform((v) => String(v));

/** A decimal amount as the provider wrote it: string or JSON number; parsed later with the currency's precision. */
export const decimal = z.union([z.string(), z.number()]);
