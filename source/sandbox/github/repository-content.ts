// What the guide's repository holds, release by release: the files its commands use (pyproject.toml, the Makefile's
// quality targets, the scripts, the workflows) and the history the sandbox seeds — v1.0.0 and v1.1.0 on main, one
// feature on develop. Dates are fixed, so every sandbox builds the same commits with the same shas.
import {PRE_DEPLOYMENT_CHECKS, SMOKE_TESTS} from './repository-scripts.js';
import {CI_CD_YML, ROLLBACK_YML} from './repository-workflows.js';

export interface SeedFile {
	text: string;
	executable?: boolean;
}

export type SeedTree = Record<string, SeedFile>;

export interface Person {
	name: string;
	email: string;
}

export interface SeedCommit {
	/** A key the refs below name. */
	key: string;
	parent: string | null;
	message: string;
	author: Person;
	/** Seconds since the epoch, UTC. */
	date: number;
	tree: SeedTree;
}

export interface SeedHistory {
	commits: SeedCommit[];
	branches: Record<string, string>;
	/** Lightweight tags, as `git tag v1.1.0` makes: `git push origin v1.1.0:main` then pushes a commit. */
	tags: Record<string, string>;
}

export const GITHUB_COMMITTER: Person = {name: 'GitHub', email: 'noreply@github.com'};

/** The noreply address GitHub gives an account: `<id>+<login>@users.noreply.github.com`. */
export function noreplyPerson(login: string, id: number, name: string): Person {
	return {name, email: `${id}+${login}@users.noreply.github.com`};
}

const OPERATOR = noreplyPerson('devops-engineer', 142_001, 'DevOps Engineer');
const REVIEWER = noreplyPerson('tech-lead', 142_002, 'Tech Lead');

const at = (iso: string) => Math.floor(Date.parse(iso) / 1000);

export function pyproject(version: string, fastapi = '0.115.5'): string {
	return `[project]
name = "overlord-trading-system"
version = "${version}"
description = "OVERLORD v8.1 Trading System"
readme = "README.md"
requires-python = ">=3.11"
dependencies = [
    "fastapi==${fastapi}",
    "uvicorn[standard]==0.32.1",
    "sqlalchemy[asyncio]==2.0.36",
    "asyncpg==0.30.0",
    "redis==5.2.1",
    "alembic==1.14.0",
    "pydantic-settings==2.7.0",
]

[project.optional-dependencies]
dev = ["pytest==8.3.4", "pytest-asyncio==0.25.0", "pytest-cov==6.0.0", "ruff==0.8.4", "mypy==1.14.0", "bandit==1.8.0"]

[tool.ruff]
line-length = 120
target-version = "py311"

[tool.mypy]
strict = true
packages = ["app"]

[tool.pytest.ini_options]
asyncio_mode = "auto"
testpaths = ["tests"]
`;
}

/** A Makefile whose quality targets print what the real tools print, in well under a second. */
const MAKEFILE = `# OVERLORD developer targets. In the runbook sandbox the tools are stand-ins: each target prints what the real one
# prints on a green tree, at once.
.PHONY: help lint type-check test test-integration integration-test coverage security-scan check

help:
\t@echo "make lint | type-check | test | test-integration | coverage | security-scan | check"

lint:
\t@echo "ruff check app tests"
\t@echo "All checks passed!"
\t@echo "ruff format --check app tests"
\t@echo "87 files already formatted"

type-check:
\t@echo "mypy app"
\t@echo "Success: no issues found in 214 source files"

test:
\t@echo "pytest tests/unit -q"
\t@echo "........................................................................ [ 28%]"
\t@echo "........................................................................ [ 57%]"
\t@echo "........................................................................ [ 85%]"
\t@echo "....................................                                     [100%]"
\t@echo "1284 passed in 41.27s"

test-integration:
\t@echo "docker compose -f docker-compose.test.yml up -d"
\t@echo " Container overlord-postgres-1  Healthy"
\t@echo " Container overlord-redis-1  Healthy"
\t@echo "pytest tests/integration -q"
\t@echo "212 passed in 96.02s"

integration-test: test-integration

coverage:
\t@echo "pytest --cov=app --cov-report=term --cov-fail-under=85 -q tests/unit"
\t@echo "Name                          Stmts   Miss  Cover"
\t@echo "-------------------------------------------------"
\t@echo "app/api/v1/auth.py              142     11    92%"
\t@echo "app/api/v1/trading.py           388     47    88%"
\t@echo "app/db/session.py                61      6    90%"
\t@echo "app/engine/orders.py           512     79    85%"
\t@echo "app/engine/risk.py             297     38    87%"
\t@echo "-------------------------------------------------"
\t@echo "TOTAL                         9874   1253    87%"
\t@echo "Required test coverage of 85% reached. Total coverage: 87.31%"

security-scan:
\t@echo "bandit -r app -ll"
\t@echo "Test results:"
\t@echo "        No issues identified."
\t@echo "pip-audit -r requirements.txt"
\t@echo "No known vulnerabilities found"

check: lint type-check test coverage security-scan
`;

function readme(version: string): string {
	return `# OVERLORD Trading System v8

OVERLORD v8.1: order routing, risk and market data for the LEGION trading desks (release ${version}).

## Develop

\`\`\`bash
make lint type-check test      # what CI's Quality Gates run
make test-integration          # needs Docker (PostgreSQL, Redis)
make coverage                  # fails under 85%
\`\`\`

## Release

Releases follow docs/deployment/production-deployment-guide.md: a \`release/vX.Y.Z\` branch from \`develop\` with the
version bumped in \`pyproject.toml\`, a pull request to \`main\`, a squash merge. The push to \`main\` runs
\`.github/workflows/ci-cd-full-cycle.yml\`, whose Production Deployment waits for the \`production\` environment's review.
\`./scripts/pre-deployment-checks.sh ENV\` and \`./scripts/smoke-tests.sh ENV\` check an environment before and after.
Roll back with \`.github/workflows/rollback.yml\` (\`gh workflow run rollback.yml -f environment=production -f
target_version=vX.Y.Z\`).
`;
}

function changelog(version: string): string {
	const entries: Record<string, string> = {
		'v1.0.0': '## v1.0.0\n\n- Order routing, risk limits and market data feeds on FastAPI\n',
		'v1.1.0': '## v1.1.0\n\n- Fix: WebSocket reconnection after a feed restart\n- Faster order book snapshots\n',
	};
	const upTo = version === 'unreleased' ? 'v9' : version;
	const released = Object.keys(entries).filter(v => v <= upTo).reverse().map(v => entries[v]).join('\n');
	return `# Changelog\n\n${version === 'unreleased' ? '## Unreleased\n\n- Feature: order book depth alerts (#41)\n\n' : ''}${released}`;
}

const APP_MAIN = `from fastapi import FastAPI

from app.api.v1 import auth, trading

app = FastAPI(title="OVERLORD")
app.include_router(auth.router, prefix="/api/v1/auth")
app.include_router(trading.router, prefix="/api/v1/trading")


@app.get("/health")
async def health() -> dict[str, str]:
    from importlib.metadata import version

    return {"status": "healthy", "version": version("overlord-trading-system")}
`;

const DB_SESSION = `from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from app.settings import settings

engine = create_async_engine(settings.database_url, pool_size=20)
Session = async_sessionmaker(engine, expire_on_commit=False)


async def get_db() -> AsyncIterator[AsyncSession]:
    async with Session() as session:
        yield session
`;

const ALERTS = `from dataclasses import dataclass


@dataclass(frozen=True)
class DepthAlert:
    symbol: str
    side: str
    depth: float
    threshold: float


def depth_alerts(book: dict[str, list[tuple[float, float]]], symbol: str, threshold: float) -> list[DepthAlert]:
    out = []
    for side in ("bids", "asks"):
        depth = sum(size for _, size in book.get(side, [])[:10])
        if depth < threshold:
            out.append(DepthAlert(symbol, side, depth, threshold))
    return out
`;

export function requirements(fastapi = '0.115.5'): string {
	return `fastapi==${fastapi}\nuvicorn[standard]==0.32.1\nsqlalchemy[asyncio]==2.0.36\nasyncpg==0.30.0\nredis==5.2.1\nalembic==1.14.0\npydantic-settings==2.7.0\n`;
}

function tree(version: string, extra: SeedTree = {}): SeedTree {
	const v = version.replace(/^v/, '');
	return {
		'.gitignore': {text: '__pycache__/\n*.pyc\n.venv/\n.coverage\n.env\n'},
		'README.md': {text: readme(version)},
		'CHANGELOG.md': {text: changelog(version)},
		'pyproject.toml': {text: pyproject(v)},
		'requirements.txt': {text: requirements()},
		'Makefile': {text: MAKEFILE},
		'scripts/pre-deployment-checks.sh': {text: PRE_DEPLOYMENT_CHECKS, executable: true},
		'scripts/smoke-tests.sh': {text: SMOKE_TESTS, executable: true},
		'.github/workflows/ci-cd-full-cycle.yml': {text: CI_CD_YML},
		'.github/workflows/rollback.yml': {text: ROLLBACK_YML},
		'app/__init__.py': {text: ''},
		'app/main.py': {text: APP_MAIN},
		'app/db/__init__.py': {text: ''},
		'app/db/session.py': {text: DB_SESSION},
		...extra,
	};
}

/** main at v1.1.0 (tagged, as v1.0.0 before it), develop one feature ahead; no release branch until one is pushed. */
export function seedHistory(): SeedHistory {
	const v110 = tree('v1.1.0');
	return {
		commits: [
			{key: 'v1.0.0', parent: null, message: 'Release v1.0.0 (#31)', author: OPERATOR, date: at('2025-11-18T10:04:12Z'), tree: tree('v1.0.0')},
			{key: 'v1.1.0', parent: 'v1.0.0', message: 'Release v1.1.0 (#38)', author: OPERATOR, date: at('2025-12-20T14:31:45Z'), tree: v110},
			{
				key: 'develop', parent: 'v1.1.0', message: 'feat: order book depth alerts (#41)', author: REVIEWER, date: at('2026-01-05T09:12:08Z'),
				tree: {...v110, 'CHANGELOG.md': {text: changelog('unreleased')}, 'app/alerts/__init__.py': {text: ''}, 'app/alerts/orderbook.py': {text: ALERTS}},
			},
		],
		branches: {main: 'v1.1.0', develop: 'develop'},
		tags: {'v1.0.0': 'v1.0.0', 'v1.1.0': 'v1.1.0'},
	};
}
