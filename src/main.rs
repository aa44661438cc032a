#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    gan_playground::cli::main()
}

// The page is the library's `web` module; the binary has nothing to do in a browser.
#[cfg(target_arch = "wasm32")]
fn main() {}
