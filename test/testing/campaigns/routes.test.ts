import { describe, expect, it } from 'vitest';
import { Router } from '../../../src/testing/router.js';
import { registerCampaignRoutes } from '../../../src/testing/campaigns/index.js';
import { TestRoutes } from './harness.js';

/** The six campaign groups of spec/API.md / endpoints.json. */
const endpoints = (
  [
    ['GET', '/profile/{profileId}/events'],
    ['GET', '/subprofile/{subprofileId}/events'],
    ['GET', '/email/{email}/events'],
    ['GET', '/message/{messageId}/events'],
    ['GET', '/template/{templateId}/events'],
    ['GET', '/old/template/{templateId}/events'],
    ['GET', '/old/message/{messageId}/events'],
    ['GET', '/old/document/{documentId}/events'],
    ['GET', '/tags/{tags}/events'],
    ['GET', '/emailingdocument/{documentId}'],
    ['GET', '/message/{messageId}/body'],
    ['GET', '/message/{messageId}/body/{type}'],
    ['GET', '/message/{messageId}'],
    ['GET', '/old/message/{messageId}'],
    ['GET', '/logfiles'],
    ['GET', '/logfiles/{date}'],
    ['GET', '/logfiles/{filename}'],
    ['GET', '/logfiles/{filename}/header'],
    ['GET', '/logfiles/{filename}/json'],
    ['GET', '/logfiles/{filename}/xml'],
    ['GET', '/impressions'],
    ['POST', '/profile/{profileId}/datarequest'],
    ['POST', '/subprofile/{subprofileId}/datarequest'],
    ['POST', '/email/{email}/datarequest'],
    ['GET', '/datarequest/{datarequestId}/status'],
    ['GET', '/datarequest/{datarequestId}/data'],
    ['GET', '/datarequest/{datarequestId}'],
  ] as const
).map(([method, path]) => ({ method, path }));

/** A concrete path for a documented template. */
const sample = (path: string) =>
  path
    .replace('{date}', '2017-03-08')
    .replace(/\{(filename|name)\}/, 'cdm-click.2017-03-08.log')
    .replace('{email}', 'a@b.nl')
    .replace('{tags}', 'a;b')
    .replace('{type}', 'html')
    .replace(/\{messageId\}/, 'dkJDF343Df')
    .replace(/\{\w+\}/g, '12');

describe('campaign routes', () => {
  it('cover all 27 documented endpoints of the six groups', () => {
    expect(endpoints).toHaveLength(27);
    const routes = new TestRoutes();
    registerCampaignRoutes(routes);
    for (const e of endpoints) {
      expect(routes.match(e.method, sample(e.path)), `${e.method} ${e.path}`).toBeDefined();
    }
    // logfiles/{date} and logfiles/{filename} are one pattern
    expect(routes.routes.filter((r) => r.pattern.startsWith('/logfiles/{') && r.segments.length === 2)).toHaveLength(1);
  });

  it("register without conflicts in the fake's router", () => {
    const router = new Router();
    registerCampaignRoutes(router);
    for (const e of endpoints) {
      const segs = sample(e.path).split('/').filter(Boolean);
      expect(router.match(e.method, segs), `${e.method} ${e.path}`).toBeDefined();
    }
  });
});
