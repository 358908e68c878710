/** The v1 specification as the repository holds it (spec/): the one copy code and tests cite. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of a file under the repository's `spec/` folder. */
export const specPath = (file: string): string => fileURLToPath(new URL(`../../spec/${file}`, import.meta.url));

/** One endpoint of `spec/endpoints.json`. */
export interface SpecEndpoint {
  method: string;
  path: string;
  group: string;
  [key: string]: unknown;
}

/** All 109 endpoints of `spec/endpoints.json`. */
export const specEndpoints = (): SpecEndpoint[] => JSON.parse(readFileSync(specPath('endpoints.json'), 'utf8')) as SpecEndpoint[];
