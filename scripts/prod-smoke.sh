#!/usr/bin/env bash
# Production smoke test: the production stack on loopback, and a real import through it.
#
#   scripts/prod-smoke.sh          (./dev test runs it; needs PostgreSQL 15, redis-server; nginx optional)
#
# Brings up, each in a throw-away directory: PostgreSQL 15 (127.0.0.1:54332, its own cluster), Redis
# (127.0.0.1:56380), two gunicorn app servers (127.0.0.1:8106 and :8107, PINGAN_ENV=production), one
# Celery worker, and — when nginx is installed — nginx on 127.0.0.1:8108 in front of both app servers
# with deploy/nginx/pingan-locations.conf. Migrates, collects static files, loads one banner's
# jurisdiction tree and a police-command user, then runs scripts/prod-smoke-client.py: sign in on app
# server 1, upload a 110 CSV above the job threshold there, poll the job on app server 2 until it
# succeeds and check its counts, then an export job the other way round. Tears everything down on
# exit and prints one PASS/FAIL line; exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=$ROOT/.venv
STARTED=$(date +%s)
ROWS=${SMOKE_ROWS:-2500}
APP1=8106 APP2=8107 NGINX_PORT=8108 REDIS_PORT=56380
export PG_TEST_PORT=54332
SMOKE_DIR=$(mktemp -d /tmp/pingan-smoke.XXXXXX)
chmod 755 "$SMOKE_DIR"
PIDS=()

say() { printf '\033[1;34mprod-smoke:\033[0m [%3ss] %s\n' "$(( $(date +%s) - STARTED ))" "$*"; }

teardown() {
  local rc=$?
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 100); do  # up to 10 s for all of them together, then no more waiting
    local alive=0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -f "$SMOKE_DIR/nginx/nginx.pid" ] && kill "$(cat "$SMOKE_DIR/nginx/nginx.pid")" 2>/dev/null || true
  [ -f "$SMOKE_DIR/redis.pid" ] && kill "$(cat "$SMOKE_DIR/redis.pid")" 2>/dev/null || true
  pg_test_stop 2>/dev/null || true
  local took=$(( $(date +%s) - STARTED ))
  if [ $rc = 0 ]; then
    echo "prod-smoke: PASS — 2 app servers + 1 worker on PostgreSQL and Redis, ${ROWS}-row import as a job (${took}s)"
  else
    for f in "$SMOKE_DIR"/*.log; do
      [ -f "$f" ] || continue
      echo "----- tail of $(basename "$f")"; tail -n 25 "$f"
    done
    echo "prod-smoke: FAIL — see the lines above (${took}s)"
  fi
  rm -rf "$SMOKE_DIR"
  exit $rc
}
trap teardown EXIT
trap 'exit 130' INT TERM

for need in /usr/lib/postgresql/15/bin/initdb redis-server; do
  command -v "$need" >/dev/null || { echo "prod-smoke: FAIL — $need is not installed (.ci/run installs it)"; exit 1; }
done

# shellcheck source=scripts/pg-test.sh
source scripts/pg-test.sh
say "PostgreSQL 15 on 127.0.0.1:$PG_TEST_PORT"
pg_test_start

say "Redis on 127.0.0.1:$REDIS_PORT"
mkdir -p "$SMOKE_DIR/redis"
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$SMOKE_DIR/redis" --save "" --appendonly no \
  --daemonize yes --pidfile "$SMOKE_DIR/redis.pid" --logfile "$SMOKE_DIR/redis.log"

# One environment for every process, as /etc/pingan/pingan.env would give it.
export PINGAN_ENV=production
export PINGAN_SECRET_KEY="smoke-$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 60)"
export PINGAN_ALLOWED_HOSTS=127.0.0.1,localhost
export PINGAN_FIELD_KEYS="$(head -c 32 /dev/urandom | base64 | tr '+/' '-_')"
export PINGAN_HASH_KEY="smoke-$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)"
export DATABASE_URL=$PG_TEST_URL
export PINGAN_DB_CONN_MAX_AGE=60
export PINGAN_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
export PINGAN_VAR_DIR=$SMOKE_DIR/var
export PINGAN_MEDIA_ROOT=$SMOKE_DIR/shared-media
export PINGAN_BACKUP_DIR=$SMOKE_DIR/backups
export PINGAN_JOB_IMPORT_ROWS=2000 PINGAN_JOB_EXPORT_ROWS=1000
export PINGAN_PROXY_COUNT=1 PINGAN_LOG_LEVEL=WARNING
export PINGAN_OTP_REQUIRED_ROLES=sysadmin,secadmin,auditor  # the import is done by a police-command user
mkdir -p "$PINGAN_VAR_DIR" "$PINGAN_MEDIA_ROOT"
ln -s "$ROOT/var/assets" "$PINGAN_VAR_DIR/assets"   # front-end packages installed by ./dev setup
PASSWORD="Smoke-$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')#7"

say "migrate, collectstatic (manifest), one banner's tree and a 局领导/指挥中心 user"
# collectstatic beside migrate; the app servers and the worker start as soon as the static files are
# collected (they read the manifest at start) and load while migrate goes on.
"$VENV/bin/pingan" collectstatic --no-input -v 0 >"$SMOKE_DIR/collectstatic.log" 2>&1 &
STATIC_PID=$!
PIDS+=($STATIC_PID)
(
  "$VENV/bin/pingan" migrate --no-input -v 0
  SMOKE_PASSWORD=$PASSWORD "$VENV/bin/pingan" shell -c "
import os
from django.core.management import call_command
from pingan.accounts.models import User
from pingan.areas.models import Area
call_command('areas', 'load', '--banner', '150824')
u = User(username='zhihui', role='police_leader', full_name='指挥中心(冒烟测试)',
         jurisdiction=Area.objects.get(code='150824000000'))
u.set_password(os.environ['SMOKE_PASSWORD']); u.save()
"
) >"$SMOKE_DIR/migrate.log" 2>&1 &
MIGRATE_PID=$!
PIDS+=($MIGRATE_PID)
wait $STATIC_PID || { echo "collectstatic failed"; exit 1; }

say "2 gunicorn app servers (:$APP1, :$APP2) and 1 Celery worker (starting while migrate runs)"
for port in $APP1 $APP2; do
  GUNICORN_WORKERS=2 "$VENV/bin/gunicorn" --config deploy/gunicorn.conf.py --bind "127.0.0.1:$port" --preload \
    --access-logfile - >"$SMOKE_DIR/app-$port.log" 2>&1 &
  PIDS+=($!)
done
"$VENV/bin/celery" -A pingan.celery worker --hostname "smoke@%h" --concurrency 1 --loglevel WARNING \
  --without-gossip --without-mingle >"$SMOKE_DIR/worker.log" 2>&1 &
PIDS+=($!)
wait $MIGRATE_PID || { echo "migrate or the data load failed"; exit 1; }
say "migrated; tree of 乌拉特中旗 and the user loaded"

NGINX_URL=""
if command -v nginx >/dev/null; then
  mkdir -p "$SMOKE_DIR/nginx/tmp"
  sed "s#/opt/pingan/var/static/#$PINGAN_VAR_DIR/static/#" deploy/nginx/pingan-locations.conf >"$SMOKE_DIR/nginx/locations.conf"
  cat >"$SMOKE_DIR/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $SMOKE_DIR/nginx/nginx.pid;
error_log $SMOKE_DIR/nginx.log warn;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path $SMOKE_DIR/nginx/tmp/body;
  proxy_temp_path $SMOKE_DIR/nginx/tmp/proxy;
  fastcgi_temp_path $SMOKE_DIR/nginx/tmp/fastcgi;
  uwsgi_temp_path $SMOKE_DIR/nginx/tmp/uwsgi;
  scgi_temp_path $SMOKE_DIR/nginx/tmp/scgi;
  upstream pingan_app { server 127.0.0.1:$APP1; server 127.0.0.1:$APP2; keepalive 8; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    include $SMOKE_DIR/nginx/locations.conf;
  }
}
EOF
  chmod -R a+rX "$PINGAN_VAR_DIR/static"
  nginx -e "$SMOKE_DIR/nginx.log" -p "$SMOKE_DIR/nginx" -c "$SMOKE_DIR/nginx/nginx.conf"
  NGINX_URL=http://127.0.0.1:$NGINX_PORT
  say "nginx on :$NGINX_PORT in front of both (deploy/nginx/pingan-locations.conf)"
fi

for port in $APP1 $APP2; do
  for i in $(seq 100); do
    if "$VENV/bin/python" -c "import http.client,sys; c=http.client.HTTPConnection('127.0.0.1',$port,timeout=2); c.request('GET','/login/',headers={'X-Forwarded-Proto':'https'}); sys.exit(c.getresponse().status!=200)" 2>/dev/null; then
      break
    fi
    [ "$i" = 100 ] && { echo "app server :$port did not come up"; exit 1; }
    sleep 0.2
  done
done

say "a person's import and export through the stack"
"$VENV/bin/python" scripts/prod-smoke-client.py "http://127.0.0.1:$APP1" "http://127.0.0.1:$APP2" zhihui "$PASSWORD" \
  "$ROWS" $NGINX_URL

# In the database: every row there, and the import ran exactly once (in the Celery worker's process).
"$VENV/bin/pingan" shell -c "
from pingan.jobs.models import Job
from pingan.incidents.models import Incident
job = Job.objects.get(kind='incidents.import')
n = Incident.objects.filter(number__startswith='SMOKE').count()
assert n == $ROWS, n
assert job.status == 'succeeded' and job.attempts == 1, (job.status, job.attempts)
print(f'  ✓ {n} incidents in PostgreSQL; the import ran once (attempts={job.attempts}) in worker process {job.worker}')
" 2>&1 | grep -v "objects imported automatically" | grep .
