#!/bin/sh
# Entrypoint of the orchestrator image, and its `jetmesh` command: loads the NATS user's settings
# (MESH_NATS_URL with its password) from MESH_NATS_ENV_FILE when set, as compose.yaml does with
# the file `jetmesh nats-auth` made for this container, then runs jetmesh.
set -e
if [ -n "${MESH_NATS_ENV_FILE:-}" ]; then
  set -a
  . "$MESH_NATS_ENV_FILE"
  set +a
fi
exec "$@"
