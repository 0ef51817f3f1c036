# Docker Compose v2 (Debian trixie's docker-compose 2.26, with the docker CLI) in a container, for
# .ci/compose-test: containers-here provides docker-compose 1.29 only, and compose.yaml must work
# with both. Run with the host's Docker socket and the repository at the same path.
FROM debian:trixie
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends docker-cli docker-compose \
    && rm -rf /var/lib/apt/lists/*
ENTRYPOINT ["docker", "compose"]
