# syntax=docker/dockerfile:1
# Vigil in a container: built from source with the Swift runtime linked in statically, run as
# an unprivileged user on a slim Debian. Data in the /var/lib/vigil volume.
#   docker build -t vigil .
#   docker run -p 8080:8080 -v vigil-data:/var/lib/vigil vigil
FROM swift:6.3-bookworm AS build
WORKDIR /src
# The manifest names the test targets too, so their folders must exist (nothing in them is built).
COPY Package.swift ./
COPY Tests ./Tests
RUN swift package resolve
COPY Sources ./Sources
RUN swift build -c release --static-swift-stdlib --product vigil \
    && install -D -m 0755 .build/release/vigil /out/vigil

FROM debian:bookworm-slim
# ca-certificates: TLS to PostgreSQL, webhooks and mail relays; curl: the health check.
# Versions follow the bookworm point release the image is built from.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl libstdc++6 zlib1g \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/vigil --shell /usr/sbin/nologin vigil \
    && install -d -m 0700 -o vigil -g vigil /var/lib/vigil
COPY --from=build /out/vigil /usr/local/bin/vigil
USER 10001:10001
WORKDIR /var/lib/vigil
ENV VIGIL_HOST=0.0.0.0 \
    VIGIL_PORT=8080 \
    VIGIL_DATABASE_URL=sqlite:///var/lib/vigil/vigil.sqlite \
    VIGIL_LOG_FORMAT=json
VOLUME ["/var/lib/vigil"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["curl", "-fsS", "http://127.0.0.1:8080/readyz"]
ENTRYPOINT ["/usr/local/bin/vigil"]
CMD ["serve"]
