import { inspect } from 'node:util';
import { checkRequestOptions, mergeOptions, resolveClientOptions, type ClientOptions, type RequestOptions } from './core/config.js';
import { ValidationError } from './core/errors.js';
import { checkRawPath } from './core/path.js';
import type { QueryInput } from './core/query.js';
import { writeResultOf } from './core/results.js';
import { Core, type HttpMethod } from './core/transport.js';
import type { ResponseHeaders } from './core/errors.js';
import type { APIResource } from './core/resource.js';
import { IdentityResource } from './resources/identity.js';
import { Databases } from './resources/databases.js';
import { Collections } from './resources/collections.js';
import { Profiles } from './resources/profiles.js';
import { Subprofiles } from './resources/subprofiles.js';
import { Views } from './resources/views.js';
import { Rules } from './resources/rules.js';
import { Miniviews } from './resources/miniviews.js';
import { Minirules } from './resources/minirules.js';
import { Campaigns } from './resources/campaigns.js';
import { Events } from './resources/events.js';
import { Logfiles } from './resources/logfiles.js';
import { Impressions } from './resources/impressions.js';
import { DataRequests } from './resources/datarequests.js';
import { shareFieldDefinitions } from './resources/field-definitions.js';

/** A low-level call, for any endpoint the SDK does not wrap. */
export interface RawRequest {
  /** `GET`, `POST`, `PUT` or `DELETE`. A POST is retried only when it provably was not sent. */
  method: HttpMethod;
  /** Path below the base URL, e.g. `/identity` or `/database/12/profiles`. Build it from trusted parts. */
  path: string;
  /** Query parameters; arrays become repeated `key[]` entries. The client adds `access_token`. */
  query?: QueryInput;
  /** JSON body, for POST and PUT. */
  body?: unknown;
  /** How to read a success body: `json` (default), `text`, `stream` (a Readable you must consume) or `none`. */
  responseType?: 'json' | 'text' | 'stream' | 'none';
}

/** The reply to a low-level call. */
export interface RawResponse<T = unknown> {
  /** HTTP status of the reply (a success status: other statuses throw an {@link APIError}). */
  status: number;
  /** Lower-case header names; secrets redacted. */
  headers: ResponseHeaders;
  /** Parsed JSON, text, a Readable, or undefined for empty bodies. */
  data: T;
  /** ID of a created or touched entity (`X-Created`, `X-location`, `Location`), if any. */
  id: number | undefined;
  /** `X-location` or `Location`, redacted. */
  location: string | undefined;
}

/** Reads a client's core (set in the class's static block; the field stays private). */
let coreOf: (client: Copernica) => Core;

/**
 * The Copernica REST API v1 client.
 *
 * @example
 * import { Copernica } from 'copernica-rest';
 * const client = new Copernica({ accessToken: process.env.COPERNICA_ACCESS_TOKEN! });
 * const me = await client.identity.get();
 */
export class Copernica {
  readonly #core: Core;

  static {
    coreOf = (client) => client.#core;
  }

  /** The account of the token: `GET /identity`. */
  declare readonly identity: IdentityResource;
  /** Databases, their fields, interests and unsubscribe behaviour. */
  declare readonly databases: Databases;
  /** Collections (of a database), their fields and unsubscribe behaviour. */
  declare readonly collections: Collections;
  /** Profiles (of a database or a view), their fields and interests; `sync` and `changes`. */
  declare readonly profiles: Profiles;
  /** Subprofiles (of a collection, a miniview or a profile) and their fields. */
  declare readonly subprofiles: Subprofiles;
  /** Views (selections). */
  declare readonly views: Views;
  /** Rules of views, and their conditions. */
  declare readonly rules: Rules;
  /** Miniviews (miniselections) of collections. */
  declare readonly miniviews: Miniviews;
  /** Minirules of miniviews, and their conditions. */
  declare readonly minirules: Minirules;
  /** Emailing documents, messages and templates (Marketing Suite and Publisher). */
  declare readonly campaigns: Campaigns;
  /** Events (deliveries, opens, clicks, bounces, …). */
  declare readonly events: Events;
  /** Logfiles: lists, downloads as streams, typed records. */
  declare readonly logfiles: Logfiles;
  /** Impressions. */
  declare readonly impressions: Impressions;
  /** Data requests (privacy exports). */
  declare readonly dataRequests: DataRequests;

  constructor(options: ClientOptions);
  /** @internal */
  constructor(options: ClientOptions, core: Core);
  constructor(options: ClientOptions, core?: Core) {
    if (core) {
      this.#core = core;
    } else {
      const { config, token } = resolveClientOptions(options);
      this.#core = new Core(config, token);
    }
    // The namespaces are made on first use (own, enumerable, lazy properties): a client that only
    // calls one of them builds one object, not fourteen.
    Object.defineProperties(this, NAMESPACES);
  }

  /** The API base URL this client talks to. */
  get baseUrl(): string {
    return this.#core.config.baseUrl;
  }

  /**
   * A new client with some options changed (the token stays). Clients are immutable.
   *
   * @example const patient = client.withOptions({ timeout: 120_000, maxRetries: 5 });
   */
  withOptions(options: Omit<Partial<ClientOptions>, 'accessToken'>): Copernica {
    if (options && typeof options === 'object' && 'accessToken' in options) {
      throw new ValidationError('withOptions() cannot change the accessToken: make a new Copernica client');
    }
    const core = this.#core.with(mergeOptions(this.#core.config, options));
    shareFieldDefinitions(this.#core, core); // the same token: validateFields' definitions stay shared
    return new Copernica(undefined as unknown as ClientOptions, core);
  }

  /**
   * Calls any endpoint through the same pipeline as the typed methods (token, retries, deadline,
   * errors, redaction). The path is checked: no query, fragment or dot segments.
   *
   * @example
   * const res = await client.request({ method: 'GET', path: '/databases', query: { limit: 10 } });
   * console.log(res.status, res.data);
   */
  async request<T = unknown>(req: RawRequest, options?: RequestOptions): Promise<RawResponse<T>> {
    if (typeof req !== 'object' || req === null) throw new ValidationError('request() takes { method, path, query?, body? }');
    if (!['GET', 'POST', 'PUT', 'DELETE'].includes(req.method)) {
      throw new ValidationError(`method must be GET, POST, PUT or DELETE, got ${JSON.stringify(String(req.method))}`);
    }
    if (req.responseType !== undefined && !['json', 'text', 'stream', 'none'].includes(req.responseType)) {
      throw new ValidationError('responseType must be json, text, stream or none');
    }
    const res = await this.#core.call<T>({
      method: req.method,
      path: checkRawPath(req.path),
      query: req.query,
      body: req.body,
      responseType: req.responseType ?? 'json',
      options: checkRequestOptions(options),
    });
    const write = writeResultOf(res);
    // `headers` is redacted when first read (an own, enumerable getter: spreads and JSON see it).
    return {
      status: res.status,
      get headers() {
        return res.headers;
      },
      data: res.data,
      id: write.id,
      location: write.location,
    };
  }

  /** No secrets: only the base URL and settings. */
  toJSON(): Record<string, unknown> {
    const c = this.#core.config;
    return { baseUrl: c.baseUrl, timeout: c.timeout, maxRetries: c.maxRetries, accessToken: '***' };
  }

  /** What `console.log` and `util.inspect` show: `Copernica { baseUrl, timeout, maxRetries, accessToken: '***' }`. */
  [inspect.custom](): string {
    return `Copernica ${inspect(this.toJSON())}`;
  }
}

/** The names of the client's namespaces: every property whose value is a resource. */
type NamespaceName = { [K in keyof Copernica]: Copernica[K] extends APIResource ? K : never }[keyof Copernica];

/** The class of each namespace: a missing or mistyped entry does not compile. */
const NAMESPACE_CLASSES: { readonly [K in NamespaceName]: new (core: Core) => Copernica[K] } = {
  identity: IdentityResource,
  databases: Databases,
  collections: Collections,
  profiles: Profiles,
  subprofiles: Subprofiles,
  views: Views,
  rules: Rules,
  miniviews: Miniviews,
  minirules: Minirules,
  campaigns: Campaigns,
  events: Events,
  logfiles: Logfiles,
  impressions: Impressions,
  dataRequests: DataRequests,
};

/**
 * The client's namespaces as own enumerable properties that build their object on first read and
 * then hold it as a read-only value (`Object.entries(client)` and spreads see every namespace).
 */
const NAMESPACES: PropertyDescriptorMap = Object.fromEntries(
  Object.entries(NAMESPACE_CLASSES).map(([name, Class]: [string, new (core: Core) => APIResource]): [string, PropertyDescriptor] => [
    name,
    {
      enumerable: true,
      configurable: true,
      get(this: Copernica) {
        const value = new Class(coreOf(this));
        Object.defineProperty(this, name, { value, enumerable: true, writable: false, configurable: false });
        return value;
      },
    },
  ]),
);
