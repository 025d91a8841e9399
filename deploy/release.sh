#!/usr/bin/env bash
# Bring a Pingan machine to the checked-out version: install, migrate (once per release, from one
# machine), collect static files, check the deployment, restart the services present here.
#   sudo -u pingan /opt/pingan/deploy/release.sh [--no-migrate]
set -euo pipefail
cd "$(dirname "$0")/.."
set -a; . /etc/pingan/pingan.env; set +a
migrate=1
[ "${1:-}" = "--no-migrate" ] && migrate=0
./dev setup
[ "$migrate" = 1 ] && .venv/bin/pingan migrate --no-input
.venv/bin/pingan collectstatic --no-input -v 0
.venv/bin/pingan check --deploy --fail-level WARNING
if command -v systemctl >/dev/null && [ "$(id -u)" = 0 ]; then
  systemctl try-reload-or-restart 'pingan-web@*' 'pingan-worker@*' pingan-beat || true
else
  echo "now, as root: systemctl try-reload-or-restart 'pingan-web@*' 'pingan-worker@*' pingan-beat"
fi
