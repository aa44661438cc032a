//! The native command line, a thin shell over `core`: one dispatch here (`train` on 2D
//! data or on digits, `prepare-mnist`, `bench`, `benchmark`), one module per command, and the flags
//! and helpers they share in `common`.

pub mod alloc_count;
mod common;
pub mod flags;
pub mod memory;
mod mode_benchmark;
mod plot;
mod prepare;
mod speed_bench;
mod train_digits;
mod train_game;
mod train_plane;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "gan-playground",
    version,
    about = "Train small GANs natively on the gan-playground engine"
)]
#[command(allow_negative_numbers = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Train a GAN (2D data, or --dataset mnist) and report its metrics.
    Train(Box<common::TrainArgs>),
    /// Convert the MNIST IDX files to the project's digits files and train the quality
    /// classifier (the set-up runs this once).
    PrepareMnist(prepare::PrepareArgs),
    /// Time one benchmark configuration (iterations per second); see BENCHMARKS.md.
    Bench(speed_bench::BenchArgs),
    /// The mode-collapse benchmark (VEEGAN, PacGAN): N seeded runs on ring8 or grid25,
    /// modes covered, high-quality share and reverse KL; see docs/mode-collapse.md.
    Benchmark(Box<mode_benchmark::BenchmarkArgs>),
}

/// The whole command line's definition (its subcommands and their flags).
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

/// The settings' flags of a `train` command line (`args`, after `train`) as the CLI reads
/// them, or clap's one-line refusal.
pub fn train_settings(args: &[&str]) -> std::result::Result<flags::SettingFlags, String> {
    let all = ["gan-playground", "train"].iter().chain(args);
    match Cli::try_parse_from(all) {
        Ok(Cli {
            command: Command::Train(a),
        }) => Ok(a.settings),
        Ok(_) => Err("not a train command".into()),
        Err(e) => Err(e.to_string().lines().next().unwrap_or_default().to_string()),
    }
}

/// Runs the CLI; every error is one line on stderr and a non-zero exit, never a panic.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            let text = e.to_string();
            let line = text
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("invalid arguments");
            eprintln!("{line}");
            return ExitCode::from(2);
        }
    };
    let result = match cli.command {
        Command::Train(args) if args.game.is_some() => train_game::run(*args),
        Command::Train(args) if args.wants_digits() => train_digits::run(*args),
        Command::Train(args) => train_plane::run(*args),
        Command::PrepareMnist(args) => prepare::prepare(args),
        Command::Bench(args) => speed_bench::run(args),
        Command::Benchmark(args) => mode_benchmark::run(*args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
