//! Hostile files: sizes read from a header are checked
//! and capped before anything is sliced or allocated, weights must be finite floats, and
//! the CLI opens only regular files of a plausible size. Each case is refused with a
//! one-line error that names what is wrong, never a panic or a hang.

use candle_core::{Device, Tensor};
use gan_playground::core::digits::data::{Digits, MAX_BODY_BYTES, MAX_FILE_BYTES};
use gan_playground::core::digits::trainer::digit_train_config;
use gan_playground::core::digits::{DigitModel, DigitTrainer};
use gan_playground::core::weights::{from_safetensors, to_safetensors, MAX_WEIGHTS_BYTES};
use safetensors::tensor::TensorView;
use safetensors::Dtype;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A compact digits file with the given header numbers and body (the checksum is right).
fn digits_file(count: u32, rows: u32, cols: u32, body: &[u8]) -> Vec<u8> {
    let mut out = b"GANDIGIT".to_vec();
    for v in [1, count, rows, cols, crc32fast::hash(body)] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(body);
    out
}

fn err(r: Result<impl std::fmt::Debug, gan_playground::core::error::GanError>) -> String {
    let e = r.unwrap_err().to_string();
    assert!(!e.contains('\n'), "one line: {e}");
    e
}

#[test]
fn a_digits_header_whose_size_wraps_around_is_refused() {
    // count 2³¹ · (1 + 14329·599479) = 2³¹ · 2³³ = 2⁶⁴: wrapped, the header "says" 28
    // bytes, the length matched, and slicing the labels panicked.
    let file = digits_file(1 << 31, 14329, 599479, &[]);
    assert_eq!(file.len(), 28);
    let e = err(Digits::from_bytes(&file));
    assert!(e.contains("image size 14329×599479"), "{e}");
    // Sizes that do not wrap but ask for more than the cap name the count.
    let e = err(Digits::from_bytes(&digits_file(u32::MAX, 28, 28, &[])));
    assert!(
        e.contains("count 4294967295") && e.contains("256 MiB"),
        "{e}"
    );
    let e = err(Digits::from_bytes(&digits_file(1, 0, 28, &[])));
    assert!(e.contains("image size 0×28"), "{e}");
}

fn idx_images(n: u32, rows: u32, cols: u32) -> Vec<u8> {
    [
        &[0, 0, 8, 3][..],
        &n.to_be_bytes(),
        &rows.to_be_bytes(),
        &cols.to_be_bytes(),
    ]
    .concat()
}

fn idx_labels(n: u32) -> Vec<u8> {
    [&[0, 0, 8, 1][..], &n.to_be_bytes(), &vec![0; n as usize]].concat()
}

#[test]
fn idx_headers_whose_size_overflows_are_refused() {
    // n·rows·cols = 2¹⁶·2²⁴·2²⁴ = 2⁶⁴: a panic with overflow checks, 0 without.
    let e = err(Digits::from_idx(
        &idx_images(1 << 16, 1 << 24, 1 << 24),
        &idx_labels(1 << 16),
    ));
    assert!(e.contains("image size 16777216×16777216"), "{e}");
    // 2²⁰ images of 64 × 64 wrap a 32-bit size (the page's) to 0; refused by the cap.
    let e = err(Digits::from_idx(
        &idx_images(1 << 20, 64, 64),
        &idx_labels(1 << 20),
    ));
    assert!(e.contains("count 1048576") && e.contains("256 MiB"), "{e}");
    // At the cap exactly, the size is fine and the file is just truncated.
    let n = (MAX_BODY_BYTES / 785) as u32;
    let e = err(Digits::from_idx(&idx_images(n, 28, 28), &idx_labels(n)));
    assert!(e.contains("truncated"), "{e}");
}

#[test]
fn digits_from_parts_check_their_sizes() {
    let e = err(Digits::new(usize::MAX, 2, vec![], vec![]));
    assert!(e.contains("image size"), "{e}");
    let e = err(Digits::new(2, 2, vec![1], vec![0; 3]));
    assert!(e.contains("1 labels need 4 pixels, found 3"), "{e}");
}

/// The weights of a small digit GAN, as (name, tensor), and the trainer they came from.
fn small_gan() -> (DigitTrainer, Vec<(String, Tensor)>) {
    let digits = Digits::new(
        28,
        28,
        (0..20)
            .collect::<Vec<u8>>()
            .iter()
            .map(|i| i % 10)
            .collect(),
        vec![128; 20 * 784],
    )
    .unwrap();
    let t = DigitTrainer::new(
        DigitModel::default(),
        digit_train_config(),
        Arc::new(digits),
        &Device::Cpu,
    )
    .unwrap();
    let tensors = t.tensors();
    (t, tensors)
}

/// The small GAN's weights with `name` replaced by `data` of type `dtype` (same shape).
fn with_tensor(name: &str, dtype: Dtype, data: &[u8]) -> Vec<u8> {
    let (_, tensors) = small_gan();
    let owned: Vec<(String, Vec<usize>, Dtype, Vec<u8>)> = tensors
        .iter()
        .map(|(n, t)| {
            let shape = t.dims().to_vec();
            if n == name {
                let numel: usize = shape.iter().product();
                let bytes = data
                    .iter()
                    .copied()
                    .cycle()
                    .take(numel * dtype.bitsize() / 8)
                    .collect();
                (n.clone(), shape, dtype, bytes)
            } else {
                let v = t.flatten_all().unwrap().to_vec1::<f32>().unwrap();
                let bytes = v.iter().flat_map(|x| x.to_le_bytes()).collect();
                (n.clone(), shape, Dtype::F32, bytes)
            }
        })
        .collect();
    let views: Vec<(String, TensorView)> = owned
        .iter()
        .map(|(n, s, d, b)| (n.clone(), TensorView::new(*d, s.clone(), b).unwrap()))
        .collect();
    safetensors::tensor::serialize(views, None).unwrap()
}

#[test]
fn weights_with_a_value_that_is_not_finite_are_refused() {
    let (mut trainer, tensors) = small_gan();
    let before = trainer.grid(1, 5).unwrap();
    let nan = with_tensor("generator.l0.weight", Dtype::F32, &f32::NAN.to_le_bytes());
    let e = err(from_safetensors(&nan, &Device::Cpu));
    assert!(
        e.contains("generator.l0.weight") && e.contains("not finite"),
        "{e}"
    );
    let inf = with_tensor("discriminator.l1.bias", Dtype::F16, &[0x00, 0x7c]);
    let e = err(from_safetensors(&inf, &Device::Cpu));
    assert!(
        e.contains("discriminator.l1.bias") && e.contains("not finite"),
        "{e}"
    );
    // Finite as an f64 but not as the f32 the networks hold.
    let huge = with_tensor("generator.l1.weight", Dtype::F64, &1e300f64.to_le_bytes());
    let e = err(from_safetensors(&huge, &Device::Cpu));
    assert!(
        e.contains("generator.l1.weight") && e.contains("not finite"),
        "{e}"
    );
    // The valid file still loads, and so does one with a BF16 tensor.
    let good = to_safetensors(tensors).unwrap();
    trainer
        .load(&from_safetensors(&good, &Device::Cpu).unwrap())
        .unwrap();
    assert_eq!(trainer.grid(1, 5).unwrap(), before);
    let bf16 = with_tensor("generator.l0.weight", Dtype::BF16, &[0x80, 0x3f]);
    assert!(from_safetensors(&bf16, &Device::Cpu).is_ok());
}

#[test]
fn weights_of_an_integer_or_f8_type_are_refused_naming_the_type() {
    for (dtype, shown) in [
        (Dtype::I64, "I64"),
        (Dtype::U8, "U8"),
        (Dtype::I32, "I32"),
        (Dtype::F8_E4M3, "F8_E4M3"),
        (Dtype::F8_E5M2, "F8_E5M2"),
    ] {
        let file = with_tensor("generator.l0.weight", dtype, &[1]);
        let e = err(from_safetensors(&file, &Device::Cpu));
        assert!(
            e.contains("generator.l0.weight") && e.contains(shown) && e.contains("F32"),
            "{e}"
        );
    }
}

#[test]
fn a_weights_file_over_the_cap_is_refused_before_parsing() {
    let mut bytes = vec![0u8; MAX_WEIGHTS_BYTES + 1];
    let header = br#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#;
    bytes[..8].copy_from_slice(&(header.len() as u64).to_le_bytes());
    bytes[8..8 + header.len()].copy_from_slice(header);
    let e = err(from_safetensors(&bytes, &Device::Cpu));
    assert!(e.contains("64 MiB"), "{e}");
}

// ---- The CLI reads only regular files of a plausible size ----

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gan-readers-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `train --dataset mnist` on `data_dir`, killed after 120 s (a refusal takes well under a
/// second, so only a hang reaches that, however busy the machine); its address space is
/// capped at 4 GB (`ulimit -v`) so that a reader which does not stop cannot take the
/// machine's memory with it. Returns (exit code, stderr, seconds).
fn train_mnist(data_dir: &Path) -> (Option<i32>, String, f64) {
    let bin = env!("CARGO_BIN_EXE_gan-playground");
    let mut child = Command::new("sh")
        .args(["-c", "ulimit -v 4000000; exec \"$0\" \"$@\""])
        .arg(bin)
        .args(["train", "--dataset", "mnist", "--steps", "1", "--data-dir"])
        .arg(data_dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if t0.elapsed() > Duration::from_secs(120) {
            child.kill().unwrap();
            child.wait().unwrap();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    (
        status.and_then(|s| s.code()),
        stderr,
        t0.elapsed().as_secs_f64(),
    )
}

fn assert_refused(data_dir: &Path, why: &str) {
    let (code, stderr, secs) = train_mnist(data_dir);
    assert_eq!(
        code,
        Some(2),
        "exit code after {secs:.1}s; stderr: {stderr}"
    );
    let path = data_dir.join("train.digits");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&path.display().to_string()) && stderr.contains(why),
        "{stderr}"
    );
}

#[test]
fn the_cli_refuses_a_link_to_dev_zero() {
    let dir = temp_dir("zero");
    std::os::unix::fs::symlink("/dev/zero", dir.join("train.digits")).unwrap();
    assert_refused(&dir, "not a regular file");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn the_cli_refuses_a_fifo() {
    let dir = temp_dir("fifo");
    let fifo = dir.join("train.digits");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    assert_refused(&dir, "not a regular file");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn the_cli_refuses_a_digits_file_larger_than_any_header_may_ask_for() {
    let dir = temp_dir("big");
    // Sparse: no disk is used.
    let f = std::fs::File::create(dir.join("train.digits")).unwrap();
    f.set_len(MAX_FILE_BYTES + 1).unwrap();
    assert_refused(&dir, "more than");
    std::fs::remove_dir_all(dir).ok();
}

/// The user's own 2D points from a file (the page's "load points"): CSV and JSON read to
/// the exact values; each hostile or malformed file refused in one line naming the file
/// and what is wrong.
#[test]
fn point_files_are_read_exactly_or_refused_in_one_line() {
    use gan_playground::core::plane::points_file::{
        read_points_file, MAX_FILE_POINTS, MAX_POINTS_FILE_BYTES,
    };
    let read = |s: &str| read_points_file(s.as_bytes(), "my.csv");
    let want = vec![[0.5, 0.25], [-1.0, 1.0], [0.125, -0.5]];
    assert_eq!(
        read("x,y\n0.5,0.25\n-1,1\n# note\n\n0.125;-0.5\n").unwrap(),
        want
    );
    assert_eq!(read("0.5\t0.25\r\n-1 1\r\n0.125   -0.5").unwrap(), want);
    assert_eq!(
        read("[[0.5, 0.25], {\"x\": -1, \"y\": 1}, [0.125, -0.5]]").unwrap(),
        want
    );
    assert_eq!(
        read("{\"points\": [[0.5, 0.25], [-1, 1], [0.125, -0.5]]}").unwrap(),
        want
    );
    let refused = |s: &[u8], needle: &str| {
        let e = read_points_file(s, "my.csv").unwrap_err().to_string();
        assert!(e.contains("my.csv") && e.contains(needle), "{needle}: {e}");
        assert_eq!(e.lines().count(), 1, "{e}");
    };
    refused(b"x,y\n0.5,NaN\n", "line 2: NaN is not a finite number");
    refused(b"1,2\n3,inf\n", "line 2: inf");
    refused(b"1,2,3\n", "line 1 has 3 column(s)");
    refused(b"x,y\n1\n", "line 2 has 1 column(s)");
    refused(b"1,2\nfoo,bar\n", "line 2 has 2 column(s) 'foo,bar'");
    refused(b"2000,0\n", "within ±1000");
    refused(b"# only a comment\n", "no points");
    refused(b"", "no points");
    refused(b"[[1, 2], [3]]", "point 2 is not [x, y]");
    refused(b"[[1, 2], [3", "not valid JSON");
    refused(b"{\"pts\": []}", "\"points\" array");
    refused(b"\xff\xfe1,2", "not UTF-8");
    let many: String = (0..=MAX_FILE_POINTS)
        .map(|i| format!("{},{}\n", i % 100, i / 100))
        .collect();
    refused(many.as_bytes(), &format!("at most {MAX_FILE_POINTS}"));
    refused(&vec![b' '; MAX_POINTS_FILE_BYTES + 1], "bytes, at most");
}
