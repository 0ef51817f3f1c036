#!/bin/sh
# As the official nats image's: flags alone run nats-server with them.
set -e
if [ "${1#-}" != "$1" ]; then
  set -- nats-server "$@"
fi
exec "$@"
