#!/usr/bin/env bash
# Schemathesis (PyPI) against the running service and its own OpenAPI document (issue 10): no
# 5xx, no response outside the document (status, content type, schema), invalid input refused.
# Bounded to a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/ci-venv
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check schemathesis
fi
cargo build -q
tmp=$(mktemp -d)
target/debug/rulebook serve --policy policies --addr 127.0.0.1:0 --db "$tmp/log.sqlite" \
  >"$tmp/out" 2>"$tmp/err" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 1 200); do
  if grep -q listening "$tmp/out"; then break; fi
  sleep 0.1
done
base=$(sed -n 's/^rulebook serve: listening on //p' "$tmp/out")
[ -n "$base" ] || { cat "$tmp/err"; echo "the service did not start" >&2; exit 1; }
# The batch's JSON Lines body is sent as its documented text/plain alternative (schemathesis has
# no serializer for application/x-ndjson).
timeout 300 "$venv/bin/python" .ci/schemathesis_run.py run "$base/v1/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection \
  --max-examples 100 --workers 2 --no-color --suppress-health-check all
# The service survived all of it.
kill -0 "$pid"
