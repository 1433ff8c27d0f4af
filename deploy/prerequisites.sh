#!/usr/bin/env bash
# What `make run` and `make test` stand on, found, installed and started on a Debian or Ubuntu
# machine: the one place that knows how (the Makefile and .ci/run both call it).
#
#   deploy/prerequisites.sh python            prints the newest Python 3.11–3.13 found
#   deploy/prerequisites.sh run               RabbitMQ (make run keeps its stores in SQLite)
#   deploy/prerequisites.sh unit              poppler-utils (the document tests read PDFs; no server)
#   deploy/prerequisites.sh integration       PostgreSQL, RabbitMQ and poppler-utils
#   deploy/prerequisites.sh system|test       PostgreSQL, RabbitMQ, Chromium and poppler-utils
#   deploy/prerequisites.sh postgresql|rabbitmq|chromium|poppler   that one
#
# What is missing is installed with apt-get when the user is root or may use sudo without a
# password; otherwise the script stops at once, naming the one command that would install it,
# rather than letting fifteen minutes of tests fail one by one. A server that is installed
# but stopped is started. Set EMU_PREREQUISITES=skip to check nothing (a machine set up by
# other means, e.g. containers).
set -euo pipefail

what="${1:-test}"
[ "${EMU_PREREQUISITES:-}" = skip ] && [ "$what" != python ] && exit 0

say() { echo "prerequisites: $*" >&2; }
stop() { say "$*"; exit 2; }

# --- Python --------------------------------------------------------------------------------

python_ok() {  # interpreter: runs, is 3.11–3.13, and can make a virtualenv
  "$1" -c 'import sys, venv, ensurepip; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' \
    >/dev/null 2>&1
}

newest_python() {
  local candidates=() minor found
  for minor in 13 12 11; do
    candidates+=("python3.$minor")
    # pyenv keeps versions it has not put on the PATH (its shims answer "command not found")
    if command -v pyenv >/dev/null 2>&1; then
      for found in "$(pyenv root)"/versions/3."$minor".*/bin/python3."$minor"; do
        [ -x "$found" ] && candidates+=("$found")
      done
    fi
  done
  candidates+=(python3)
  for found in "${candidates[@]}"; do
    if python_ok "$found"; then command -v "$found"; return 0; fi
  done
  return 1
}

if [ "$what" = python ]; then
  newest_python || stop "Python 3.11, 3.12 or 3.13 with venv is needed: apt-get install -y python3 python3-venv"
  exit 0
fi

# --- installing ----------------------------------------------------------------------------

if [ "$(id -u)" = 0 ]; then as_root=""; elif sudo -n true 2>/dev/null; then as_root="sudo -n"; else as_root=none; fi
root() { if [ "$as_root" = none ] || [ -z "$as_root" ]; then "$@"; else $as_root "$@"; fi; }

apt_updated=""
install() {  # debian packages...
  if [ "$as_root" = none ] || ! command -v apt-get >/dev/null; then
    stop "missing: $*. Install it with: sudo apt-get install -y $*"
  fi
  say "installing $* (apt-get)"
  [ -n "$apt_updated" ] || { root apt-get update -qq; apt_updated=1; }
  root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

answers() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

wait_for() {  # port, name
  for _ in $(seq 1 90); do answers "$1" && return 0; sleep 1; done
  stop "$2 was started but does not answer on 127.0.0.1:$1"
}

# --- the servers ---------------------------------------------------------------------------

postgresql() {
  local fresh=""
  if ! answers 5432; then
    if ! command -v pg_ctlcluster >/dev/null; then install postgresql; fresh=1; fi
    [ -n "$(ls /etc/postgresql 2>/dev/null)" ] || stop "PostgreSQL is installed but has no cluster: pg_createcluster --start 15 main"
    say "starting PostgreSQL"
    root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main start || true
    wait_for 5432 PostgreSQL
  fi
  if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
    # The tests sign in as postgres over 127.0.0.1 without a password. A cluster installed just
    # now is given that (for this machine's loopback only); one that was there is left alone.
    [ -n "$fresh" ] || stop "PostgreSQL refuses user postgres on 127.0.0.1 without a password: allow it in pg_hba.conf (host all postgres 127.0.0.1/32 trust) or set TEST_PG_HOST/TEST_PG_PORT"
    local hba
    hba="$(ls /etc/postgresql/*/main/pg_hba.conf | sort -V | tail -n1)"
    root sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
    root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main reload
  fi
  psql -h 127.0.0.1 -U postgres -d postgres -tAc "select 1 from pg_database where datname='test'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -d postgres -c "create database test" >/dev/null
}

rabbitmq() {
  if ! answers 5672; then
    command -v rabbitmq-server >/dev/null || install rabbitmq-server
    say "starting RabbitMQ"
    root rabbitmq-server -detached || true
    wait_for 5672 RabbitMQ
  fi
  # the tests make a vhost each with rabbitmqctl
  command -v rabbitmqctl >/dev/null || stop "rabbitmqctl is needed on the PATH (package rabbitmq-server)"
}

chromium() {
  # The browser tests drive Debian's chromium (no browser is downloaded); EMU_CHROMIUM names another
  local browser="${EMU_CHROMIUM:-/usr/bin/chromium}"
  [ -x "$browser" ] || install chromium
  [ -x "$browser" ] || stop "$browser is still missing after installing chromium: set EMU_CHROMIUM to a Chromium binary"
}

poppler() {
  # The document tests read the rendered PDFs back with poppler's pdftotext and pdffonts, and
  # `make documents` draws them with pdftoppm (Debian's poppler-utils)
  command -v pdftotext >/dev/null && command -v pdffonts >/dev/null && command -v pdftoppm >/dev/null \
    || install poppler-utils
  command -v pdftotext >/dev/null || stop "pdftotext is still missing after installing poppler-utils"
}

case "$what" in
  run) rabbitmq ;;
  unit) poppler ;;
  integration) postgresql; rabbitmq; poppler ;;
  system|test) postgresql; rabbitmq; chromium; poppler ;;
  postgresql|rabbitmq|chromium|poppler) "$what" ;;
  *) stop "unknown: $what (python, run, unit, integration, system, test, or one of postgresql, rabbitmq, chromium, poppler)" ;;
esac
