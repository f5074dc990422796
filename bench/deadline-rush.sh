#!/usr/bin/env bash
# The deadline rush (docs/benchmarks.md): reporters sign in through the
# workspace, open their form, save drafts and submit while the portal is
# read, against `bagalau_web::serve_on` built with the release profile, on
# SQLite and, when PostgreSQL answers on 127.0.0.1:5432 (or
# BAGALAU_TEST_POSTGRES_URL names a server), on PostgreSQL too.
# Usage: bench/deadline-rush.sh [reporters, default 500] [sign-ins in ten seconds, default 30]
# More settings in crates/bagalau-web/benches/deadline_rush.rs.
set -euo pipefail
cd "$(dirname "$0")/.."
export RUSH_REPORTERS="${1:-${RUSH_REPORTERS:-500}}"
export RUSH_SIGN_INS_PER_TEN_SECONDS="${2:-${RUSH_SIGN_INS_PER_TEN_SECONDS:-30}}"
if [ -z "${BAGALAU_TEST_POSTGRES_URL:-}" ] && command -v psql >/dev/null \
  && psql postgres://postgres@127.0.0.1:5432/postgres -qAtc 'select 1' >/dev/null 2>&1; then
  export BAGALAU_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres
fi
exec cargo bench -q -p bagalau-web --bench deadline_rush
