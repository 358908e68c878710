/**
 * Messages (API §3.21) and emailing documents (API §3.20).
 */
import { FakeApiError, type FakeRequest, type RouteTable } from '../contract.js';
import { campaignState, type Mailing } from './state.js';
import { formatTimestamp, requireId } from './util.js';

function message(req: FakeRequest, kind: Mailing['kind']): Mailing {
  const id = req.params.messageId;
  const m = id === undefined ? undefined : campaignState(req.account).messages.get(id);
  if (!m || m.kind !== kind) throw new FakeApiError('No message with supplied ID');
  return m;
}

/** GET /message/{id} and /old/message/{id}: the pages leave the fields undocumented; these are ours. */
function messageInfo(m: Mailing): Record<string, unknown> {
  return {
    id: m.messageId,
    mailing: String(m.mailingId),
    ...(m.kind === 'publisher' ? { group: String(m.groupId) } : {}),
    template: String(m.templateId),
    document: String(m.documentId),
    subject: m.subject,
    from_address: m.fromAddress,
    senderdomain: m.senderDomain,
    tags: m.tags.join(';'),
    sent: formatTimestamp(m.sentAt),
    destinations: m.recipientCount,
  };
}

const BODY_TYPES = {
  html: { key: 'html', contentType: 'text/html; charset=utf-8' },
  text: { key: 'text', contentType: 'text/plain; charset=utf-8' },
  mime: { key: 'mime', contentType: 'message/rfc822' },
} as const;

export function registerMessageRoutes(routes: RouteTable): void {
  routes.add('GET', '/message/{messageId}', (req) => ({ status: 200, json: messageInfo(message(req, 'marketing-suite')) }));
  routes.add('GET', '/old/message/{messageId}', (req) => ({ status: 200, json: messageInfo(message(req, 'publisher')) }));

  // Without a format the index form answers the full MIME source (undocumented; our choice).
  routes.add('GET', '/message/{messageId}/body', (req) => {
    const m = message(req, 'marketing-suite');
    return { status: 200, text: m.mime, contentType: BODY_TYPES.mime.contentType };
  });
  routes.add('GET', '/message/{messageId}/body/{type}', (req) => {
    const m = message(req, 'marketing-suite');
    const type = (req.params.type ?? '').toLowerCase();
    if (!Object.hasOwn(BODY_TYPES, type)) {
      throw new FakeApiError(`Invalid body type ${JSON.stringify(req.params.type ?? '')}: use html, text or mime`);
    }
    const t = BODY_TYPES[type as keyof typeof BODY_TYPES];
    return { status: 200, text: m[t.key], contentType: t.contentType };
  });

  routes.add('GET', '/emailingdocument/{documentId}', (req) => {
    const id = requireId(req.params.documentId, 'document');
    const m = campaignState(req.account).mailings.find((x) => x.kind === 'marketing-suite' && x.documentId === id);
    if (!m) throw new FakeApiError('No document with supplied ID');
    return {
      status: 200,
      json: {
        id: String(m.documentId),
        template_id: String(m.templateId),
        name: m.subject,
        from_address: m.fromAddress,
        subject: m.subject,
        source: m.html,
      },
    };
  });
}
