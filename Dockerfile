# wb in a container: multi-stage, dependencies cached in their own layer,
# small non-root runtime, data in /data.
# (No Docker engine runs on the development machines: this file is untested here.)

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
# Dependency layer: build against an empty crate so it is cached until Cargo.lock changes.
COPY Cargo.toml Cargo.lock ./
RUN mkdir -p src benches && echo 'fn main() {}' > src/main.rs && touch src/lib.rs \
    && cargo build --release --locked --bin wb || true
COPY . .
RUN touch src/main.rs src/lib.rs && cargo build --release --locked --bin wb

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data wb \
    && mkdir -p /data && chown wb /data
COPY --from=build /src/target/release/wb /usr/local/bin/wb
USER wb
WORKDIR /data
VOLUME ["/data"]
ENV DATABASE_URL=sqlite:///data/wb.db \
    WB_LISTEN=0.0.0.0:3000 \
    RUST_LOG=info
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
    CMD curl -fsS http://127.0.0.1:3000/healthz || exit 1
ENTRYPOINT ["wb"]
CMD ["serve"]
