// The object types of the sandbox's GraphQL schema: a subset of GitHub's public schema
// (octokit/graphql-schema's schema.graphql), cut to the fields gh 2.23 asks for in the guide's
// commands and a few neighbours. Names, argument lists, types, nullability and deprecations are
// GitHub's, descriptions left out; a field GitHub lacks must never appear here.
export const OBJECT_TYPES = /* GraphQL */ `
type User implements Actor & Node & RepositoryOwner & UniformResourceLocatable {
	avatarUrl(size: Int): URI!
	databaseId: Int
	id: ID!
	login: String!
	name: String
	repository(followRenames: Boolean = true, name: String!): Repository
	resourcePath: URI!
	url: URI!
}

type Organization implements Actor & Node & RepositoryOwner & UniformResourceLocatable {
	avatarUrl(size: Int): URI!
	databaseId: Int
	id: ID!
	login: String!
	name: String
	repository(followRenames: Boolean = true, name: String!): Repository
	resourcePath: URI!
	url: URI!
}

type Bot implements Actor & Node & UniformResourceLocatable {
	avatarUrl(size: Int): URI!
	databaseId: Int
	id: ID!
	login: String!
	resourcePath: URI!
	url: URI!
}

type Repository implements Node & UniformResourceLocatable {
	createdAt: DateTime!
	databaseId: Int
	defaultBranchRef: Ref
	deleteBranchOnMerge: Boolean!
	description: String
	hasIssuesEnabled: Boolean!
	hasWikiEnabled: Boolean!
	id: ID!
	isArchived: Boolean!
	isEmpty: Boolean!
	isFork: Boolean!
	isPrivate: Boolean!
	mergeCommitAllowed: Boolean!
	name: String!
	nameWithOwner: String!
	owner: RepositoryOwner!
	parent: Repository
	pullRequest(number: Int!): PullRequest
	pullRequests(after: String, baseRefName: String, before: String, first: Int, headRefName: String, labels: [String!], last: Int, orderBy: IssueOrder, states: [PullRequestState!]): PullRequestConnection!
	pushedAt: DateTime
	rebaseMergeAllowed: Boolean!
	ref(qualifiedName: String!): Ref
	resourcePath: URI!
	squashMergeAllowed: Boolean!
	sshUrl: GitSSHRemote!
	updatedAt: DateTime!
	url: URI!
	viewerDefaultMergeMethod: PullRequestMergeMethod!
	viewerPermission: RepositoryPermission
	visibility: RepositoryVisibility!
}

type Ref implements Node {
	id: ID!
	name: String!
	prefix: String!
	target: GitObject
}

type Commit implements GitObject & Node & UniformResourceLocatable {
	abbreviatedOid: String!
	authoredDate: DateTime!
	commitResourcePath: URI!
	commitUrl: URI!
	committedDate: DateTime!
	id: ID!
	message: String!
	messageBody: String!
	messageHeadline: String!
	oid: GitObjectID!
	repository: Repository!
	resourcePath: URI!
	statusCheckRollup: StatusCheckRollup
	url: URI!
}

type PullRequest implements Node & UniformResourceLocatable {
	additions: Int!
	author: Actor
	baseRef: Ref
	baseRefName: String!
	baseRefOid: GitObjectID!
	body: String!
	changedFiles: Int!
	closed: Boolean!
	closedAt: DateTime
	commits(after: String, before: String, first: Int, last: Int): PullRequestCommitConnection!
	createdAt: DateTime!
	databaseId: Int @deprecated(reason: "\`databaseId\` will be removed because it does not support 64-bit signed integer identifiers. Use \`fullDatabaseId\` instead. Removal on 2024-07-01 UTC.")
	deletions: Int!
	headRef: Ref
	headRefName: String!
	headRefOid: GitObjectID!
	headRepository: Repository
	headRepositoryOwner: RepositoryOwner
	id: ID!
	isCrossRepository: Boolean!
	isDraft: Boolean!
	isInMergeQueue: Boolean!
	isMergeQueueEnabled: Boolean!
	latestReviews(after: String, before: String, first: Int, last: Int): PullRequestReviewConnection
	maintainerCanModify: Boolean!
	mergeCommit: Commit
	mergeStateStatus: MergeStateStatus!
	mergeable: MergeableState!
	merged: Boolean!
	mergedAt: DateTime
	mergedBy: Actor
	number: Int!
	permalink: URI!
	potentialMergeCommit: Commit
	repository: Repository!
	resourcePath: URI!
	reviewDecision: PullRequestReviewDecision
	reviews(after: String, author: String, before: String, first: Int, last: Int, states: [PullRequestReviewState!]): PullRequestReviewConnection
	state: PullRequestState!
	title: String!
	updatedAt: DateTime!
	url: URI!
}

type PullRequestConnection {
	nodes: [PullRequest]
	pageInfo: PageInfo!
	totalCount: Int!
}

type PullRequestCommitConnection {
	nodes: [PullRequestCommit]
	pageInfo: PageInfo!
	totalCount: Int!
}

type PullRequestCommit implements Node & UniformResourceLocatable {
	commit: Commit!
	id: ID!
	pullRequest: PullRequest!
	resourcePath: URI!
	url: URI!
}

type PullRequestReviewConnection {
	nodes: [PullRequestReview]
	pageInfo: PageInfo!
	totalCount: Int!
}

type PullRequestReview implements Node {
	author: Actor
	body: String!
	commit: Commit
	databaseId: Int @deprecated(reason: "\`databaseId\` will be removed because it does not support 64-bit signed integer identifiers. Use \`fullDatabaseId\` instead. Removal on 2024-07-01 UTC.")
	id: ID!
	pullRequest: PullRequest!
	state: PullRequestReviewState!
	submittedAt: DateTime
	url: URI!
}

type PageInfo {
	endCursor: String
	hasNextPage: Boolean!
	hasPreviousPage: Boolean!
	startCursor: String
}

type StatusCheckRollup implements Node {
	commit: Commit
	contexts(after: String, before: String, first: Int, last: Int): StatusCheckRollupContextConnection!
	id: ID!
	state: StatusState!
}

type StatusCheckRollupContextConnection {
	nodes: [StatusCheckRollupContext]
	pageInfo: PageInfo!
	totalCount: Int!
}

type CheckRun implements Node & RequirableByPullRequest & UniformResourceLocatable {
	checkSuite: CheckSuite!
	completedAt: DateTime
	conclusion: CheckConclusionState
	databaseId: Int
	detailsUrl: URI
	id: ID!
	isRequired(pullRequestId: ID, pullRequestNumber: Int): Boolean!
	name: String!
	resourcePath: URI!
	startedAt: DateTime
	status: CheckStatusState!
	url: URI!
}

type CheckSuite implements Node {
	conclusion: CheckConclusionState
	databaseId: Int
	id: ID!
	status: CheckStatusState!
	workflowRun: WorkflowRun
}

type WorkflowRun implements Node & UniformResourceLocatable {
	createdAt: DateTime!
	databaseId: Int
	event: String!
	id: ID!
	resourcePath: URI!
	runNumber: Int!
	updatedAt: DateTime!
	url: URI!
	workflow: Workflow!
}

type Workflow implements Node & UniformResourceLocatable {
	databaseId: Int
	id: ID!
	name: String!
	resourcePath: URI!
	url: URI!
}

type StatusContext implements Node & RequirableByPullRequest {
	context: String!
	createdAt: DateTime!
	description: String
	id: ID!
	isRequired(pullRequestId: ID, pullRequestNumber: Int): Boolean!
	state: StatusState!
	targetUrl: URI
}
`;
