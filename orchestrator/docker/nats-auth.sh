#!/bin/bash
# compose.yaml's nats-auth service: draws the mesh's NATS users once (`jetmesh nats-auth`,
# docs/security.md) and hands each out in a volume of its own, so that every container holds its
# own password only: the server's user list for nats, one URL each for the orchestrator, the
# client (CLI, demo) and every worker, whose user may act as its own node and nothing else.
# Runs as root: it writes into volumes that belong to no image. Kept while the volumes are; new
# passwords after `docker compose down -v`.
set -euo pipefail
workers=(${MESH_WORKER_NODES:-worker-1 worker-2 worker-3})
if [[ -f /auth/nats/nats-auth.conf ]]; then
  echo "nats-auth: the users exist (kept from an earlier start)"
  exit 0
fi
gen=$(mktemp -d)
nodes=()
for w in "${workers[@]}"; do nodes+=(--node "$w"); done
jetmesh nats-auth --out "$gen" --url nats://nats:4222 --stream "${MESH_STREAM:-MESH_EVENTS}" \
  "${nodes[@]}" >/dev/null
hand_out() { # file, volume directory
  install -m 600 -o 10001 -g 10001 "$gen/$1" "/auth/$2/nats.env"
}
hand_out orchestrator.env orchestrator
hand_out client.env client
for w in "${workers[@]}"; do hand_out "node-$w.env" "$w"; done
# Last: its presence says that every user was handed out.
install -m 600 "$gen/nats-auth.conf" /auth/nats/nats-auth.conf
rm -rf "$gen"
echo "nats-auth: users for orchestrator, client and ${workers[*]}"
