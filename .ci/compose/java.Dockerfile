# Local stand-in for eclipse-temurin:21-jdk / eclipse-temurin:21-jre (no image registry is
# reachable on the test machines), built from the local debian:trixie by .ci/compose-test:
#   docker build --build-arg JAVA_PACKAGE=openjdk-21-jdk-headless -t eclipse-temurin:21-jdk ...
# Same contract as the official images: JAVA_HOME=/opt/java/openjdk, java on PATH, apt-get works.
# ca/ holds the CA certificates this host trusts beyond Debian's (copied by the script, may be
# empty): Maven in the build stage reaches Maven Central through this machine's egress proxy.
FROM debian:trixie
ARG JAVA_PACKAGE=openjdk-21-jre-headless
COPY ca/ /usr/local/share/ca-certificates/
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ca-certificates "$JAVA_PACKAGE" \
    && update-ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /opt/java \
    && ln -s "$(dirname "$(dirname "$(readlink -f /usr/bin/java)")")" /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8
CMD ["jshell"]
