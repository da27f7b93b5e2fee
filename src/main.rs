//! `wb`: parse the command line, start telemetry, run the subcommand.

use clap::Parser;
use wb::cli::{Cli, Command};
use wb::config::Mode;

/// mimalloc: cheaper than glibc's malloc for wb's many small allocations
/// made and freed on different threads (see bench/README.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    if let Err(err) = dotenvy::dotenv() {
        if !err.not_found() {
            eprintln!("wb: .env: {err}");
            std::process::exit(2);
        }
    }
    let cli = Cli::parse();
    if let Err(err) = wb::telemetry::init(&cli.log_format) {
        eprintln!("wb: {err}");
        std::process::exit(2);
    }
    let result = match cli.command {
        Command::Serve(args) => wb::startup::serve(args, Mode::Http).await,
        Command::Socket(args) => wb::startup::serve(args, Mode::Socket).await,
        Command::Playground { listen, db } => wb::playground::run(&listen, &db).await,
        offline => wb::offline::run(offline, &wb::clock::Clock::system())
            .await
            .unwrap_or(Ok(())),
    };
    if let Err(err) = result {
        eprintln!("wb: {err}");
        std::process::exit(err.code);
    }
}
