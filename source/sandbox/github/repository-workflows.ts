// The repository's `.github/workflows/*.yml`: what the sandbox's runner plays (workflows.ts), written as the YAML a
// reader of the repository finds — the same jobs, needs, environments, inputs and run-name.

export const CI_CD_YML = `name: CI/CD Full Cycle

on:
  push:
    branches: [main, develop, 'release/**']
  pull_request:
    branches: [main, develop]

concurrency:
  group: ci-cd-\${{ github.ref }}
  cancel-in-progress: false

env:
  PYTHON_VERSION: '3.11'
  IMAGE: ghcr.io/legion14041981-ui/overlord-trading-system-v8

jobs:
  quality-gates:
    name: Quality Gates
    runs-on: ubuntu-latest
    steps:
      - name: Checkout code
        uses: actions/checkout@v4
      - name: Set up Python 3.11
        uses: actions/setup-python@v5
        with:
          python-version: \${{ env.PYTHON_VERSION }}
      - name: Lint (ruff)
        run: ruff check .
      - name: Type check (mypy)
        run: mypy src/
      - name: Coverage gate
        run: pytest --cov=src --cov-fail-under=85 -q

  security:
    name: Security Scanning
    needs: quality-gates
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Bandit
        run: bandit -r src -ll
      - name: Dependency audit
        run: pip-audit -r requirements.txt
      - name: Trivy filesystem scan
        run: trivy fs --severity HIGH,CRITICAL .

  unit-tests:
    name: Unit Tests
    needs: quality-gates
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Install dependencies
        run: pip install -r requirements-dev.txt
      - name: Run unit tests
        run: pytest tests/unit -q

  integration-tests:
    name: Integration Tests
    needs: [security, unit-tests]
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Start PostgreSQL and Redis
        run: docker compose -f docker-compose.test.yml up -d
      - name: Run integration tests
        run: pytest tests/integration -q

  e2e-tests:
    name: E2E Tests
    needs: integration-tests
    if: github.ref == 'refs/heads/main' && github.event_name == 'push'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Start the stack
        run: docker compose up -d --wait
      - name: Run E2E suite
        run: pytest tests/e2e -q

  docker-build:
    name: Docker Build
    needs: [integration-tests, e2e-tests]
    if: always() && needs.integration-tests.result == 'success' && needs.e2e-tests.result != 'failure'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      packages: write
    steps:
      - uses: actions/checkout@v4
      - name: Set up Docker Buildx
        uses: docker/setup-buildx-action@v3
      - name: Log in to ghcr.io
        uses: docker/login-action@v3
        with:
          registry: ghcr.io
          username: \${{ github.actor }}
          password: \${{ secrets.GITHUB_TOKEN }}
      - name: Build and push image
        uses: docker/build-push-action@v6
        with:
          push: true
          tags: \${{ env.IMAGE }}:\${{ github.sha }}

  deploy-production:
    name: Production Deployment
    needs: docker-build
    if: github.ref == 'refs/heads/main' && github.event_name == 'push'
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: actions/checkout@v4
      - name: Pre-deployment checks
        run: ./scripts/pre-deploy-check.sh production
      - name: Update image
        run: kubectl set image deployment/overlord overlord=\${{ env.IMAGE }}:\${{ needs.docker-build.outputs.version }} -n overlord-production
      - name: Wait for rollout
        run: kubectl rollout status deployment/overlord -n overlord-production --timeout=10m
      - name: Health checks
        run: curl -fsS https://api.overlord.example/health
      - name: Smoke tests
        run: ./scripts/smoke-tests.sh production
      - name: Slack notification
        uses: slackapi/slack-github-action@v1
        with:
          channel-id: overlord-deployments
`;

export const ROLLBACK_YML = `name: Rollback
run-name: Rollback \${{ inputs.environment }} to \${{ inputs.target_version }}

on:
  workflow_dispatch:
    inputs:
      environment:
        description: Environment to roll back
        required: true
        type: choice
        options: [staging, production]
      target_version:
        description: Release tag to roll back to (e.g. v1.1.0)
        required: true
        type: string

jobs:
  rollback:
    name: Rollback
    runs-on: ubuntu-latest
    environment: \${{ inputs.environment }}
    env:
      IMAGE: ghcr.io/legion14041981-ui/overlord-trading-system-v8
      NAMESPACE: overlord-\${{ inputs.environment }}
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - name: Verify target version
        run: git rev-parse --verify "refs/tags/\${{ inputs.target_version }}"
      - name: Roll back deployment
        run: kubectl set image deployment/overlord overlord=$IMAGE:\${{ inputs.target_version }} -n $NAMESPACE
      - name: Wait for rollout
        run: kubectl rollout status deployment/overlord -n $NAMESPACE --timeout=10m
      - name: Health checks
        run: curl -fsS https://api.overlord.example/health
      - name: Notify Slack
        uses: slackapi/slack-github-action@v1
        with:
          channel-id: overlord-deployments
`;
