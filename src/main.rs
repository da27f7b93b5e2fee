//! `wb`: parse the command line, start telemetry, run the subcommand.

use clap::Parser;

#[tokio::main]
async fn main() {
    if let Err(err) = dotenvy::dotenv() {
        if !err.not_found() {
            eprintln!("wb: .env: {err}");
            std::process::exit(2);
        }
    }
    let cli = wb::cli::Cli::parse();
    if let Err(err) = wb::telemetry::init() {
        eprintln!("wb: {err}");
        std::process::exit(2);
    }
    if let Err(err) = wb::cli::run(cli).await {
        eprintln!("wb: {err}");
        std::process::exit(err.code);
    }
}
