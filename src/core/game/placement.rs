//! Where a game runs fastest: the rule behind the CLI's `--device auto`.
//!
//! A GPU step costs at least its kernel launches: Candle launches one kernel (or more)
//! per tensor op, and one GAN iteration is a few hundred ops (forward, backward and the
//! optimiser's update of every weight, for both players), so even an empty iteration
//! takes milliseconds on a GPU. The CPU costs only the arithmetic: natively on one core
//! the fused MLP step reaches tens of GFLOP/s (`BENCHMARKS.md`'s rows times each
//! configuration's FLOPs per iteration; about 50 on the slower hosts of this kind), several
//! times Candle's autograd. So small games belong on the CPU and big ones on the GPU;
//! the break-even is where the CPU's time equals the GPU's floor.

/// The native fused MLP step's rate on one core, the slower hosts' figure (see the
/// module's docs).
pub const CPU_FUSED_FLOPS_PER_S: f64 = 50e9;
/// Candle's autograd step on the CPU (measured likewise).
pub const CPU_AUTOGRAD_FLOPS_PER_S: f64 = 8e9;
/// An estimate of a GPU iteration's floor, the kernel launches and their
/// synchronisations: about 200 launches of 10 µs. Not yet measured on our GPU runs
/// (`scripts/gpu-run.sh` reports the real figure as the CUDA rows of the benchmark).
pub const GPU_ITERATION_FLOOR_S: f64 = 2e-3;
/// The arithmetic rate a small-batch GAN reaches on a data-centre GPU once launches
/// are paid (a fraction of its peak; an estimate).
pub const GPU_FLOPS_PER_S: f64 = 5e12;

/// The decision and its reason, as the CLI prints it.
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    pub gpu: bool,
    pub reason: String,
}

/// Where an iteration of `flops` runs fastest: `t_cpu = flops / r_cpu` (`r_cpu` the
/// fused or the autograd rate) against `t_gpu = floor + flops / r_gpu`; the GPU only
/// when one is usable (`gpu_error` says why not).
pub fn auto_placement(flops: f64, fused_on_cpu: bool, gpu_error: Option<&str>) -> Placement {
    let (rate, path) = if fused_on_cpu {
        (CPU_FUSED_FLOPS_PER_S, "the fused CPU step")
    } else {
        (CPU_AUTOGRAD_FLOPS_PER_S, "Candle's autograd on the CPU")
    };
    let cpu_ms = flops / rate * 1e3;
    let gpu_ms = (GPU_ITERATION_FLOOR_S + flops / GPU_FLOPS_PER_S) * 1e3;
    let size = format!("{:.1} MFLOP per iteration", flops / 1e6);
    let estimate = format!(
        "estimated {cpu_ms:.2} ms per iteration with {path} against {gpu_ms:.2} ms on a GPU"
    );
    if cpu_ms <= gpu_ms {
        return Placement {
            gpu: false,
            reason: format!("cpu: {size}, {estimate}, whose kernel launches dominate at this size"),
        };
    }
    match gpu_error {
        None => Placement {
            gpu: true,
            reason: format!("cuda: {size}, {estimate}"),
        },
        Some(why) => Placement {
            gpu: false,
            reason: format!(
                "cpu: a GPU would be faster ({size}, {estimate}) but none is usable: {why}"
            ),
        },
    }
}
