import { APIResource } from '../core/resource.js';

/** Placeholder: filled in by the resource-group work. */
export class Campaigns extends APIResource {}
