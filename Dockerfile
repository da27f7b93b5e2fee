# wb in a container. Multi-stage: the dependencies are compiled in a layer of
# their own, rebuilt only when Cargo.toml or Cargo.lock change; the runtime is
# distroless (no shell, no curl) and non-root, with the data in /data. The
# health check is `wb healthcheck`: it asks /readyz on WB_ADMIN_LISTEN, so it
# works in `wb serve` and in `wb socket` alike.
# No Docker engine runs on the development machines: tests/docker.rs parses
# this file and runs the dependency stage's build command.

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
# Dependency layer: an empty crate with every target Cargo.toml declares (the
# binary, the library, the `export` and `bar_raiser` benches), built with the
# real manifest and lock file. A build error here fails the image: nothing is
# hidden.
COPY Cargo.toml Cargo.lock ./
RUN mkdir -p src benches \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs \
    && echo 'fn main() {}' > benches/export.rs \
    && echo 'fn main() {}' > benches/bar_raiser.rs \
    && cargo build --release --locked --bin wb
# The application: only what its build reads (the migrations are embedded).
COPY src src
COPY migrations migrations
# Newer than the stub's artifacts, so cargo rebuilds wb itself.
RUN touch src/main.rs src/lib.rs \
    && cargo build --release --locked --bin wb \
    && mkdir -p /data

# Debian 12's glibc and CA certificates, as in the build stage; nothing else.
FROM gcr.io/distroless/cc-debian12:nonroot AS runtime
COPY --from=build /src/target/release/wb /usr/local/bin/wb
COPY --from=build --chown=65532:65532 /data /data
USER 65532:65532
WORKDIR /data
VOLUME ["/data"]
ENV DATABASE_URL=sqlite:///data/wb.db \
    WB_LISTEN=0.0.0.0:3000 \
    WB_ADMIN_LISTEN=0.0.0.0:9090 \
    RUST_LOG=info
# 3000: Slack's requests (wb serve). 9090: /healthz, /readyz, /metrics.
EXPOSE 3000 9090
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["/usr/local/bin/wb", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/wb"]
CMD ["serve"]
