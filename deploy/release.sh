#!/usr/bin/env bash
# Bring a Pingan machine to the checked-out version: install, migrate (once per release, from one
# machine), collect static files, check the deployment, restart the services present here.
#   sudo -u pingan /opt/pingan/deploy/release.sh [--no-migrate]
# With two database roles (README, "Two database roles"), pingan.env holds the app role's URL and
# /etc/pingan/owner.env (readable by the operator only) PINGAN_OWNER_DATABASE_URL (and
# PINGAN_APP_DATABASE_ROLE if the app role is not pingan_app): migrations then
# run as the owner, and the app role's grants are re-applied for the tables they added.
set -euo pipefail
cd "$(dirname "$0")/.."
set -a; . /etc/pingan/pingan.env; set +a
migrate=1
[ "${1:-}" = "--no-migrate" ] && migrate=0
./dev setup
if [ "$migrate" = 1 ]; then
  owner="" app_role=pingan_app
  if [ -r /etc/pingan/owner.env ]; then
    owner=$(. /etc/pingan/owner.env; echo "${PINGAN_OWNER_DATABASE_URL:-}")
    app_role=$(. /etc/pingan/owner.env; echo "${PINGAN_APP_DATABASE_ROLE:-pingan_app}")
  fi
  if [ -n "$owner" ]; then
    DATABASE_URL="$owner" .venv/bin/pingan migrate --no-input
    DATABASE_URL="$owner" .venv/bin/pingan db_grants --app "$app_role" --apply
  else
    .venv/bin/pingan migrate --no-input
  fi
fi
.venv/bin/pingan collectstatic --no-input -v 0
.venv/bin/pingan check --deploy --fail-level WARNING
if command -v systemctl >/dev/null && [ "$(id -u)" = 0 ]; then
  systemctl try-reload-or-restart 'pingan-web@*' 'pingan-worker@*' pingan-beat || true
else
  echo "now, as root: systemctl try-reload-or-restart 'pingan-web@*' 'pingan-worker@*' pingan-beat"
fi
