//! The papers' settings of the mode-collapse experiments, as links (`key=value&…` of the
//! setting tables). The page's buttons apply one over the defaults, keeping the data and
//! the seed (`session::plane::preset_changes`, as the best preset); the CLI's `--preset`
//! applies it over the other flags. Where our engine differs from the paper, the preset's `note`
//! says how.

/// A published setting.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct PaperPreset {
    /// The CLI's and the page's name.
    pub name: &'static str,
    pub label: &'static str,
    /// The paper and what it used.
    pub source: &'static str,
    /// Where ours differs.
    pub note: &'static str,
    pub link: &'static str,
}

/// PacGAN's networks and optimiser, then `$pack`.
macro_rules! pacgan_link {
    ($pack:literal) => {
        concat!(
            "hidden=400&layers=4&gbn=1&dhidden=200&dlayers=3&act=relu&noisedim=2",
            "&loss=non-saturating&k=1&lrd=0.0001&lrg=0.0001&b1d=0.8&b1g=0.8&batch=100",
            "&pack=",
            $pack
        )
    };
}

/// The presets, in the page's order.
pub const PAPER_PRESETS: &[PaperPreset] = &[
    PaperPreset {
        name: "pacgan",
        label: "PacGAN's GAN",
        source: "Lin et al. 2018 (PacGAN) §5.1, after VEEGAN (Srivastava et al. 2017): G 4×400 ReLU with batch norm, D 3×200 maxout, Adam lr 1e-4 β₁ 0.8, batch 100",
        note: "D uses ReLU units, not maxout; noise dimension 2",
        link: pacgan_link!("1"),
    },
    PaperPreset {
        name: "pacgan2",
        label: "PacGAN2",
        source: "Lin et al. 2018 (PacGAN) §5.1: the GAN's setting with D reading 2 samples at once",
        note: "as PacGAN's GAN; D's batch is 100 packs (200 samples)",
        link: pacgan_link!("2"),
    },
    PaperPreset {
        name: "pacgan4",
        label: "PacGAN4",
        source: "Lin et al. 2018 (PacGAN) §5.1: the GAN's setting with D reading 4 samples at once",
        note: "as PacGAN's GAN; D's batch is 100 packs (400 samples)",
        link: pacgan_link!("4"),
    },
    PaperPreset {
        name: "unrolled",
        label: "Unrolled GAN notebook",
        source: "Metz et al. 2017 (Unrolled GANs), the authors' 2D notebook: G 2×128 tanh, D 1×128 tanh, Adam lr D 1e-4 G 1e-3 β₁ 0.5, batch 512, 5 unrolled steps, noise dimension 256, ring of radius 2 and std 0.02",
        note: "noise dimension 8 (our most); the surrogate gradient (the notebook differentiates through the unrolled steps); our ring is the notebook's scaled by 1/2",
        link: "hidden=128&layers=2&dhidden=128&dlayers=1&act=tanh&noisedim=8\
            &loss=non-saturating&k=1&lrd=0.0001&lrg=0.001&b1d=0.5&b1g=0.5&batch=512&unroll=5",
    },
];

/// The preset named `name`.
pub fn paper_preset(name: &str) -> Option<&'static PaperPreset> {
    PAPER_PRESETS.iter().find(|p| p.name == name)
}
