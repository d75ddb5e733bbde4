// What every GraphQL resolver gets, and the errors they throw, shaped as GitHub's.
import type {Ctx, Reply} from './http.js';
import {HttpError} from './model.js';

export interface Gql {
	ctx: Ctx;
	/** An internal REST call as this request's user (no rate-limit cost, not logged); throws HttpError. */
	rest(method: string, path: string, body?: Record<string, unknown>): Promise<Reply>;
	/** The same GET's answer within one GraphQL request. */
	get(path: string): Promise<any>;
}

/** An error a resolver throws, reported with GitHub's `type` (NOT_FOUND, UNPROCESSABLE, FORBIDDEN…). */
export class GitHubGraphQLError extends Error {
	constructor(readonly type: string, message: string) {
		super(message);
	}
}

export const notFoundError = (message: string) => new GitHubGraphQLError('NOT_FOUND', message);

/** A REST refusal seen through GraphQL: the validation detail rather than "Validation Failed". */
export function fromRest(error: HttpError): GitHubGraphQLError {
	const type = error.status === 404 ? 'NOT_FOUND' : error.status === 403 ? 'FORBIDDEN' : 'UNPROCESSABLE';
	const details = Array.isArray(error.body.errors) ? error.body.errors : [];
	const texts = details.map(d => (typeof d === 'string' ? d : typeof d?.message === 'string' ? d.message : '')).filter(Boolean);
	return new GitHubGraphQLError(type, texts.length ? texts.join(', ') : String(error.body.message ?? error.message));
}

export {HttpError};
