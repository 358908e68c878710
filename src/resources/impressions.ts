/**
 * Impressions (spec/API.md §3.24): opens registered through tracking images. A paged list.
 */
import { z } from 'zod';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/config.js';
import type { PageRequest, PageParams } from '../core/pagination.js';
import { checkInput } from '../core/input.js';
import { toId, type Id } from '../core/path.js';
import { id, model, timestamp } from '../core/schema.js';

/** One registered impression (open). */
export const ImpressionSchema = model((obj) =>
  obj({
    /** Impression ID. */
    ID: id,
    /** When it was registered, `YYYY-MM-DD hh:mm:ss`; `null` for a zero date. */
    timestamp,
    /** IP address of the opener. */
    ip: z.string().default(''),
    /** User-Agent header of the opener's mail client or browser; `''` when unknown. */
    'user-agent': z.string().default(''),
    /** The HTTP referer (Copernica's spelling, one r). */
    referer: z.string().default(''),
    /** Mailing ID. */
    emailing: id,
    /** Destination ID. */
    destination: id,
    /** Profile ID, `null` when not known. */
    profile: id
      .nullable()
      .optional()
      .transform((v) => v ?? null),
    /** Subprofile ID, `null` for mails to a profile. */
    subprofile: id
      .nullable()
      .optional()
      .transform((v) => v ?? null),
  }),
);
/**
 * One registered impression (open), as `GET /impressions` lists it: IDs as numbers. Properties
 * other than `ID` read `undefined` when the reply's value was unusable (loose mode). Equal to the
 * output of `ImpressionSchema` (test/types/schemas.test-d.ts).
 */
export interface Impression {
  /** Impression ID. */
  ID: number;
  /** When it was registered, `YYYY-MM-DD hh:mm:ss`; `null` for a zero date. */
  timestamp?: string | null | undefined;
  /** IP address of the opener; `''` when unknown. */
  ip?: string | undefined;
  /** User-Agent header of the opener's mail client or browser; `''` when unknown. */
  'user-agent'?: string | undefined;
  /** The HTTP referer (Copernica's spelling, one r); `''` when none. */
  referer?: string | undefined;
  /** Mailing ID. */
  emailing?: number | undefined;
  /** Destination ID. */
  destination?: number | undefined;
  /** Profile ID, `null` when not known. */
  profile?: number | null | undefined;
  /** Subprofile ID, `null` for mails to a profile. */
  subprofile?: number | null | undefined;
}

/** Filters and paging of `client.impressions.list()`. Filters are combined with AND. */
export interface ImpressionListParams extends PageParams {
  /** Only impressions of this mailing. */
  emailing?: Id;
  /** Only impressions of this destination. */
  destination?: Id;
  /** Only impressions of this profile. */
  profile?: Id;
  /** Only impressions of this subprofile. */
  subprofile?: Id;
}

const paramsSchema = z.strictObject({
  emailing: z.union([z.number(), z.string()]).optional(),
  destination: z.union([z.number(), z.string()]).optional(),
  profile: z.union([z.number(), z.string()]).optional(),
  subprofile: z.union([z.number(), z.string()]).optional(),
  start: z.number().optional(),
  limit: z.number().optional(),
  total: z.boolean().optional(),
  concurrency: z.number().optional(),
});

/** Impressions (opens). */
export class Impressions extends APIResource {
  /**
   * Registered impressions, optionally filtered. `await` for one page, `for await` for every item.
   *
   * @example
   * for await (const imp of client.impressions.list({ emailing: 4401 })) console.log(imp.timestamp, imp.profile);
   * const page = await client.impressions.list({ profile: 4567, limit: 10 });
   */
  list(params?: ImpressionListParams, options?: RequestOptions): PageRequest<Impression> {
    return this._pages(() => {
      const p = checkInput(paramsSchema, params ?? {}, 'params');
      const filter = (key: 'emailing' | 'destination' | 'profile' | 'subprofile') =>
        p[key] === undefined ? undefined : toId(p[key], `params.${key}`);
      const query = {
        emailing: filter('emailing'),
        destination: filter('destination'),
        profile: filter('profile'),
        subprofile: filter('subprofile'),
      };
      const paging: PageParams = {};
      if (p.start !== undefined) paging.start = p.start;
      if (p.limit !== undefined) paging.limit = p.limit;
      if (p.total !== undefined) paging.total = p.total;
      if (p.concurrency !== undefined) paging.concurrency = p.concurrency;
      return this._list('/impressions', ImpressionSchema, { query, params: paging, options });
    });
  }
}
