// GitHub's GraphQL endpoint (`/api/graphql` on Enterprise, `/graphql` on api.github.com) served by
// graphql-js over the sandbox's schema. It is an adapter over the REST routes: mutations and
// reads that carry rules (a PR's creation, review and merge; a commit's checks and statuses) are
// internal REST calls, so GraphQL and REST can never disagree. Errors are shaped as GitHub's:
// HTTP 200 with `errors: [{type, path, locations, message}]`.
import {execute, type GraphQLError, type GraphQLFormattedError, parse, validate} from 'graphql';
import {fromRest, type Gql, GitHubGraphQLError, HttpError} from './graphql-context.js';
import {type Ctx, type Handler, match, type Reply, type Route} from './http.js';
import {mutationRoot} from './graphql-mutations.js';
import {queryRoot} from './graphql-objects.js';
import {sandboxSchema} from './graphql-schema.js';

function restCaller(ctx: Ctx, routes: Route[]): Gql['rest'] {
	return async (method, target, body = {}) => {
		const url = new URL(target, 'http://sandbox');
		const found = match(routes, method, url.pathname);
		if (!found || found === 'method') throw new HttpError(404, {message: 'Not Found'});
		const reply = await found.handler({...ctx, method, path: url.pathname, query: url.searchParams, body, params: found.params});
		const status = reply.status ?? 200;
		if (status >= 400) throw new HttpError(status, (reply.json ?? {message: reply.text}) as Record<string, unknown>);
		return reply;
	};
}

/** graphql-js's validation wording for an unknown field, in GitHub's words and with its `extensions`. */
function validationError(error: GraphQLError): GraphQLFormattedError {
	const unknown = /^Cannot query field "(.+?)" on type "(.+?)"\./.exec(error.message);
	const locations = error.locations?.map(l => ({line: l.line, column: l.column}));
	if (!unknown) return {message: error.message, locations};
	return {
		message: `Field '${unknown[1]}' doesn't exist on type '${unknown[2]}'`,
		locations,
		extensions: {code: 'undefinedField', typeName: unknown[2], fieldName: unknown[1]},
	};
}

function executionError(error: GraphQLError): Record<string, unknown> {
	const original = error.originalError instanceof HttpError ? fromRest(error.originalError) : error.originalError;
	const type = original instanceof GitHubGraphQLError ? original.type : undefined;
	const locations = error.locations?.map(l => ({line: l.line, column: l.column}));
	// A thrown JavaScript error is the sandbox's bug: say so rather than pass for GitHub.
	const message = type ? original!.message : !original ? error.message : `sandbox internal error: ${error.message}`;
	return {...(type ? {type} : {}), path: error.path, locations, message};
}

async function answer(ctx: Ctx, routes: Route[]): Promise<Reply> {
	const {query, variables, operationName} = (ctx.body ?? {}) as {query?: unknown; variables?: unknown; operationName?: unknown};
	if (typeof query !== 'string' || query.trim() === '') {
		return {json: {errors: [{message: 'A query attribute must be specified and must be a string.'}]}};
	}
	let document;
	try {
		document = parse(query);
	} catch (error) {
		return {json: {errors: [validationError(error as GraphQLError)]}};
	}
	const schema = sandboxSchema();
	const invalid = validate(schema, document);
	if (invalid.length) return {json: {errors: invalid.map(validationError)}};
	const rest = restCaller(ctx, routes);
	const gets = new Map<string, Promise<any>>();
	const gql: Gql = {ctx, rest, get: path => {
		if (!gets.has(path)) gets.set(path, rest('GET', path).then(r => r.json));
		return gets.get(path)!;
	}};
	const result = await execute({
		schema, document, rootValue: {...queryRoot(gql), ...mutationRoot(gql)}, contextValue: gql,
		variableValues: variables && typeof variables === 'object' ? variables as Record<string, unknown> : undefined,
		operationName: typeof operationName === 'string' ? operationName : undefined,
	});
	const body: Record<string, unknown> = {data: result.data ?? null};
	if (result.errors?.length) body.errors = result.errors.map(executionError);
	return {json: body};
}

/** The GraphQL route, given the REST routes it calls into. */
export function graphqlRoutes(routes: Route[]): Route[] {
	const handler: Handler = ctx => answer(ctx, routes);
	return [['POST', /^\/(?:api\/)?graphql$/, handler]];
}
