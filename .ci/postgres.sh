#!/usr/bin/env bash
# PostgreSQL for the decision log's tests (issue 10): Debian's package, started on loopback,
# a role and a fresh database; prints the database URL. Idempotent and quiet; runs as root.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
fi
ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$ver main"; then
  pg_createcluster "$ver" main >/dev/null
fi
port=$(pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $3}')
# Already running is fine.
pg_ctlcluster "$ver" main start >/dev/null 2>&1 || true
for _ in $(seq 1 60); do
  if runuser -u postgres -- pg_isready -q -h 127.0.0.1 -p "$port"; then break; fi
  sleep 1
done
as_pg() { runuser -u postgres -- "$@"; }
as_pg psql -qtA -p "$port" -c "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rulebook') THEN
    CREATE ROLE rulebook LOGIN PASSWORD 'rulebook';
  END IF; END \$\$;" >/dev/null
# A fresh database each run, so the migrations run from the start.
as_pg dropdb -p "$port" --if-exists rulebook_test 2>/dev/null
as_pg createdb -p "$port" -O rulebook rulebook_test
echo "postgres://rulebook:rulebook@127.0.0.1:$port/rulebook_test"
