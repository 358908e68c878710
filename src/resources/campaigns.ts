/**
 * Campaigns (spec/API.md §3.20–3.21): Marketing Suite e-mailing documents and messages (info and body),
 * and Publisher (legacy) messages under `/old/...`. The events of messages, templates and
 * documents live in `client.events`.
 */
import { z } from 'zod';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/config.js';
import type { Core } from '../core/transport.js';
import { checkInput } from '../core/input.js';
import { param, path, type Id } from '../core/path.js';
import { id, model, renameKeys } from '../core/schema.js';

/** Moves a lower-case `id` to `ID` (the emailing document and message pages use `id`). */
const upperId = renameKeys({ id: 'ID' });

/**
 * Metadata of a Marketing Suite e-mailing document (`GET /emailingdocument/{id}`). The page's
 * lower-case `id` is normalised to `ID` (either spelling is read); the snake_case keys are kept.
 * Properties other than `ID` and `name` read `undefined` when the reply's value was unusable (loose
 * mode). Equal to the output of its model (test/types/schemas.test-d.ts).
 */
export interface EmailingDocument {
  /** Document ID (the page spells it `id`). */
  ID: number;
  /** Template the document is built from. */
  template_id?: number | undefined;
  /** Name of the document. */
  name: string;
  /** Sender address of the mails made from it. */
  from_address?: string | undefined;
  /** Subject line (may contain personalisation tags). */
  subject?: string | undefined;
  /** The document's source (HTML with personalisation tags). */
  source?: string | undefined;
}

/** @internal The reply model of an e-mailing document (exported for the type test). */
export const EmailingDocumentModel = model((obj) =>
  z.preprocess(
    upperId,
    obj({
      ID: id,
      template_id: id,
      name: z.string(),
      from_address: z.string(),
      subject: z.string(),
      source: z.string(),
    }),
  ),
);

/**
 * General information about a sent message (`GET /message/{id}`, `GET /old/message/{id}`). The
 * pages do not document the fields, so only the ID is required (read from `id` or `ID`, given as
 * `ID`); everything else passes through as sent, in strict mode too.
 */
export interface MessageInfo {
  /** The opaque message ID (e.g. `dkJDF343Df`). */
  ID: string;
  [property: string]: unknown;
}

const MessageInfoSchema = z.preprocess(upperId, z.looseObject({ ID: z.union([z.string(), z.number()]).transform(String) }));

/** Formats of a message body: full MIME source with headers, the HTML part or the text part. */
export type MessageBodyFormat = 'mime' | 'html' | 'text';

const bodyFormat = z.enum(['mime', 'html', 'text']);

/** Marketing Suite e-mailing documents. */
export class EmailingDocuments extends APIResource {
  /**
   * Metadata of one e-mailing document.
   *
   * @example
   * const doc = await client.campaigns.documents.get(2201);
   * console.log(doc.subject, doc.template_id);
   */
  async get(documentId: Id, options?: RequestOptions): Promise<EmailingDocument> {
    return this._json('GET', path`/emailingdocument/${param.id(documentId, 'documentId')}`, EmailingDocumentModel, { options });
  }
}

/** Marketing Suite messages: information and body. */
export class Messages extends APIResource {
  /**
   * General information about one sent message (the page does not document the fields).
   *
   * @example const info = await client.campaigns.messages.get('dkJDF343Df');
   */
  async get(messageId: string, options?: RequestOptions): Promise<MessageInfo> {
    return this._json('GET', path`/message/${param.text(messageId, 'messageId')}`, MessageInfoSchema, { options });
  }

  /**
   * The body of a sent message as text: `'html'`, `'text'` or `'mime'` (full source with headers),
   * sent as the page documents it (`/message/{id}/body/{type}`, lower case). Without a format the
   * index form `/message/{id}/body` is called, whose reply the pages do not describe.
   *
   * @example const html = await client.campaigns.messages.body('dkJDF343Df', 'html');
   */
  async body(messageId: string, format?: MessageBodyFormat, options?: RequestOptions): Promise<string> {
    const msg = param.text(messageId, 'messageId');
    if (format === undefined) return this._text(path`/message/${msg}/body`, { options });
    const type = checkInput(bodyFormat, format, 'format');
    return this._text(path`/message/${msg}/body/${param.text(type, 'format')}`, { options });
  }
}

/** Publisher (legacy) messages, under `/old/message`. */
export class PublisherMessages extends APIResource {
  /**
   * General information about one Publisher message (fields undocumented).
   *
   * @example const info = await client.campaigns.publisher.messages.get('dkJDF343Df');
   */
  async get(messageId: string, options?: RequestOptions): Promise<MessageInfo> {
    return this._json('GET', path`/old/message/${param.text(messageId, 'messageId')}`, MessageInfoSchema, { options });
  }
}

/** Publisher, the legacy product (`/old/...`). Its template, message and document events are in `client.events`. */
export class Publisher extends APIResource {
  /** Publisher messages. */
  readonly messages: PublisherMessages;

  /** @internal */
  constructor(core: Core) {
    super(core);
    this.messages = new PublisherMessages(core);
  }
}

/**
 * Campaigns: `documents` (Marketing Suite e-mailing documents), `messages` (Marketing Suite
 * messages: info and body) and `publisher` (legacy `/old/...` messages).
 */
export class Campaigns extends APIResource {
  /** Marketing Suite e-mailing documents. */
  readonly documents: EmailingDocuments;
  /** Marketing Suite messages. */
  readonly messages: Messages;
  /** Publisher (legacy) resources. */
  readonly publisher: Publisher;

  /** @internal */
  constructor(core: Core) {
    super(core);
    this.documents = new EmailingDocuments(core);
    this.messages = new Messages(core);
    this.publisher = new Publisher(core);
  }
}
