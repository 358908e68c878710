import { z } from 'zod';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/config.js';
import { id, model } from '../core/schema.js';

/** The account an access token belongs to (`GET /identity`). */
export const IdentitySchema = model((obj) =>
  obj({
    /** Account ID. */
    ID: id,
    /** Account name. */
    name: z.string(),
    /** Account description; `''` when there is none. */
    description: z.string().default(''),
    /** The paying company. */
    company: z.string().default(''),
  }),
);
/**
 * The account an access token belongs to (`GET /identity`). `description` and `company` read
 * `undefined` when the reply's value was unusable (loose mode). Equal to the output of
 * `IdentitySchema` (test/types/schemas.test-d.ts).
 */
export interface Identity {
  /** Account ID. */
  ID: number;
  /** Account name. */
  name: string;
  /** Account description; `''` when there is none. */
  description?: string | undefined;
  /** The paying company; `''` when none is given. */
  company?: string | undefined;
}

/** The account of the token. */
export class IdentityResource extends APIResource {
  /**
   * Which account the access token belongs to: useful when one OAuth application holds tokens for
   * several accounts.
   *
   * @example
   * const me = await client.identity.get();
   * console.log(me.ID, me.name);
   */
  async get(options?: RequestOptions): Promise<Identity> {
    return this._json('GET', '/identity', IdentitySchema, { options });
  }
}
