#!/bin/bash
# Entrypoint of the worker image (worker/Dockerfile). Makes MESH_WORKSPACE a git repository with
# one commit when it is empty, so that a fresh volume works, then runs the worker. Workers that
# share a volume initialise it once: the first one under a lock, the others wait for it.
set -euo pipefail
# The node's NATS user (MESH_NATS_URL with its password, MESH_NODE_ID), from the file that
# `jetmesh nats-auth` made for this container (compose.yaml), when MESH_NATS_ENV_FILE is set.
if [[ -n ${MESH_NATS_ENV_FILE:-} ]]; then
  set -a
  # shellcheck disable=SC1090
  . "$MESH_NATS_ENV_FILE"
  set +a
fi
ws="${MESH_WORKSPACE:-/mesh/workspace}"
mkdir -p "$ws" "${MESH_WORKTREE_BASE:-/mesh/worktrees}"
exec 9>"$(dirname "$ws")/.jetmesh-init.lock"
flock 9
if ! git -C "$ws" rev-parse --verify --quiet HEAD >/dev/null 2>&1; then
  if [ -n "$(ls -A "$ws")" ] && [ ! -d "$ws/.git" ]; then
    echo "jetmesh-worker: $ws is not empty and not a git repository; refusing to initialise it" >&2
    exit 2
  fi
  echo "jetmesh-worker: initialising workspace repository $ws"
  git init -q -b main "$ws"
  printf '# jetmesh workspace\n\nWorkers branch from and merge into this repository.\n' \
    >"$ws/README.md"
  git -C "$ws" add README.md
  git -C "$ws" -c user.name="jetmesh" -c user.email="jetmesh@jetmesh.invalid" \
    commit -q -m "Initial commit"
fi
flock -u 9
exec 9>&-
exec java -XX:MaxRAMPercentage=75 -jar /app/jetmesh-worker.jar "$@"
