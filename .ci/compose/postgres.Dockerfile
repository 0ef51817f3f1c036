# Local stand-in for postgres:16-alpine, used by .ci/compose.local.yaml: Debian trixie's
# PostgreSQL 17 behind an entrypoint that honours the official image's contract: POSTGRES_USER,
# POSTGRES_PASSWORD, POSTGRES_DB, data in PGDATA=/var/lib/postgresql/data (initialised when
# empty), password auth over TCP, trust on the local socket, pg_isready on PATH.
FROM debian:trixie
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-17 \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /var/lib/postgresql/data /var/run/postgresql \
    && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql \
    && chmod 700 /var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN chmod 755 /usr/local/bin/docker-entrypoint.sh
ENV PATH=/usr/lib/postgresql/17/bin:$PATH \
    PGDATA=/var/lib/postgresql/data
EXPOSE 5432
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["postgres"]
