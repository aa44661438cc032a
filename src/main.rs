#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: gan_playground::cli::alloc_count::Counting =
    gan_playground::cli::alloc_count::Counting;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    gan_playground::cli::main()
}

// The page is the library's `web` module; the binary has nothing to do in a browser.
#[cfg(target_arch = "wasm32")]
fn main() {}
