// The sandbox's GraphQL schema (graphql-js): the roots, interfaces, unions, payloads, inputs,
// enums and scalars, as GitHub declares them, plus the object types in graphql-schema-types.ts.
// gh's queries declare variable types (`$input: CreatePullRequestInput!`, `$states:
// [PullRequestState!]`), so those names and shapes must be GitHub's exactly.
import {buildSchema, type GraphQLSchema} from 'graphql';
import {OBJECT_TYPES} from './graphql-schema-types.js';

const ROOTS = /* GraphQL */ `
type Query implements Node {
	id: ID!
	node(id: ID!): Node
	nodes(ids: [ID!]!): [Node]!
	repository(followRenames: Boolean = true, name: String!, owner: String!): Repository
	repositoryOwner(login: String!): RepositoryOwner
	user(login: String!): User
	viewer: User!
}

type Mutation {
	addPullRequestReview(input: AddPullRequestReviewInput!): AddPullRequestReviewPayload
	createPullRequest(input: CreatePullRequestInput!): CreatePullRequestPayload
	mergePullRequest(input: MergePullRequestInput!): MergePullRequestPayload
}

interface Node {
	id: ID!
}

interface Actor {
	avatarUrl(size: Int): URI!
	login: String!
	resourcePath: URI!
	url: URI!
}

interface RepositoryOwner {
	avatarUrl(size: Int): URI!
	id: ID!
	login: String!
	repository(followRenames: Boolean = true, name: String!): Repository
	resourcePath: URI!
	url: URI!
}

interface UniformResourceLocatable {
	resourcePath: URI!
	url: URI!
}

interface GitObject {
	abbreviatedOid: String!
	commitResourcePath: URI!
	commitUrl: URI!
	id: ID!
	oid: GitObjectID!
	repository: Repository!
}

interface RequirableByPullRequest {
	isRequired(pullRequestId: ID, pullRequestNumber: Int): Boolean!
}

union StatusCheckRollupContext = CheckRun | StatusContext

type CreatePullRequestPayload {
	clientMutationId: String
	pullRequest: PullRequest
}

type AddPullRequestReviewPayload {
	clientMutationId: String
	pullRequestReview: PullRequestReview
}

type MergePullRequestPayload {
	actor: Actor
	clientMutationId: String
	pullRequest: PullRequest
}

input AddPullRequestReviewInput {
	body: String
	clientMutationId: String
	comments: [DraftPullRequestReviewComment]
	commitOID: GitObjectID
	event: PullRequestReviewEvent
	pullRequestId: ID!
	threads: [DraftPullRequestReviewThread]
}

input CreatePullRequestInput {
	baseRefName: String!
	body: String
	clientMutationId: String
	draft: Boolean = false
	headRefName: String!
	headRepositoryId: ID
	maintainerCanModify: Boolean = true
	repositoryId: ID!
	title: String!
}

input MergePullRequestInput {
	authorEmail: String
	clientMutationId: String
	commitBody: String
	commitHeadline: String
	expectedHeadOid: GitObjectID
	mergeMethod: PullRequestMergeMethod = MERGE
	pullRequestId: ID!
}

input IssueOrder {
	direction: OrderDirection!
	field: IssueOrderField!
}

input DraftPullRequestReviewComment {
	body: String!
	path: String!
	position: Int!
}

input DraftPullRequestReviewThread {
	body: String!
	line: Int!
	path: String!
	side: DiffSide = RIGHT
	startLine: Int
	startSide: DiffSide = RIGHT
}

enum PullRequestState { CLOSED MERGED OPEN }

enum PullRequestMergeMethod { MERGE REBASE SQUASH }

enum RepositoryPermission { ADMIN MAINTAIN READ TRIAGE WRITE }

enum RepositoryVisibility { INTERNAL PRIVATE PUBLIC }

enum MergeStateStatus {
	BEHIND
	BLOCKED
	CLEAN
	DIRTY
	DRAFT @deprecated(reason: "DRAFT state will be removed from this enum and \`isDraft\` should be used instead Use PullRequest.isDraft instead. Removal on 2021-01-01 UTC.")
	HAS_HOOKS
	UNKNOWN
	UNSTABLE
}

enum MergeableState { CONFLICTING MERGEABLE UNKNOWN }

enum PullRequestReviewDecision { APPROVED CHANGES_REQUESTED REVIEW_REQUIRED }

enum PullRequestReviewState { APPROVED CHANGES_REQUESTED COMMENTED DISMISSED PENDING }

enum StatusState { ERROR EXPECTED FAILURE PENDING SUCCESS }

enum CheckConclusionState { ACTION_REQUIRED CANCELLED FAILURE NEUTRAL SKIPPED STALE STARTUP_FAILURE SUCCESS TIMED_OUT }

enum CheckStatusState { COMPLETED IN_PROGRESS PENDING QUEUED REQUESTED WAITING }

enum PullRequestReviewEvent { APPROVE COMMENT DISMISS REQUEST_CHANGES }

enum OrderDirection { ASC DESC }

enum IssueOrderField { COMMENTS CREATED_AT UPDATED_AT }

enum DiffSide { LEFT RIGHT }

scalar URI

scalar GitObjectID

scalar DateTime

scalar GitSSHRemote
`;

let schema: GraphQLSchema | undefined;

/** Built once, on the first GraphQL request. */
export function sandboxSchema(): GraphQLSchema {
	schema ??= buildSchema(`${ROOTS}\n${OBJECT_TYPES}`);
	return schema;
}
