# Local stand-in for nats:2.12-alpine, used by .ci/compose.local.yaml: Debian trixie's
# nats-server 2.10.27 (sync_interval needs 2.10+), the official image's entrypoint contract
# (arguments starting with '-' are flags of nats-server) and wget for the health check.
FROM debian:trixie
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nats-server wget \
    && rm -rf /var/lib/apt/lists/*
COPY nats-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN chmod 755 /usr/local/bin/docker-entrypoint.sh
EXPOSE 4222 6222 8222
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["nats-server"]
