# A throw-away PostgreSQL 15 cluster on 127.0.0.1 for the test suite. Sourced by ./dev.
# PostgreSQL refuses to run as root, so the cluster belongs to the postgres user.
PG_BIN=/usr/lib/postgresql/15/bin
PG_TEST_PORT=${PG_TEST_PORT:-54329}

pg_test_start() {
  PG_TEST_DIR=$(mktemp -d /tmp/pingan-pg.XXXXXX)
  local as=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$PG_TEST_DIR"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$PG_BIN/initdb" -D "$PG_TEST_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  "${as[@]}" "$PG_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PG_TEST_PORT -k $PG_TEST_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
  "${as[@]}" psql -h 127.0.0.1 -p "$PG_TEST_PORT" -U postgres -q -c "CREATE ROLE pingan LOGIN CREATEDB CREATEROLE PASSWORD 'pingan'" \
    -c "CREATE DATABASE pingan OWNER pingan" >/dev/null
  export PG_TEST_URL="postgres://pingan:pingan@127.0.0.1:$PG_TEST_PORT/pingan"
  export PG_TEST_DIR
}

pg_test_stop() {
  [ -n "${PG_TEST_DIR:-}" ] || return 0
  local as=()
  [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
  "${as[@]}" "$PG_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_TEST_DIR"
}
