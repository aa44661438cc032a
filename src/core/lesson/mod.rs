//! The lectures as lessons: each claim of the lecture notes set up in one click, with
//! what to watch and a live observation that says whether the claim is visible in this
//! run. A lesson is a link (`…&lesson=<id>`): the page's lessons panel opens it, the
//! session's [`Observer`] (from [`observer_of`], which `Session::open` asks for the
//! link's lesson) computes the observation after every
//! evaluation, and `tests/native/lessons.rs` checks each claim natively on fixed seeds.
//!
//! A lesson is one row of [`LESSONS`], whose `observe` field is its observation (a
//! function of `observe.rs`): a row without one does not compile, and nothing else names
//! a lesson by its id.
//!
//! The seed files are the lecture notes the product is built from: 000 (GANs, CycleGAN),
//! 001 (Algorithm 1, vanishing gradients, non-convergence, mode collapse, BiGAN, CycleGAN,
//! f-GAN, WGAN), 002 (f-divergences, KL vs reverse KL, CycleGAN), 003 (WGAN, LSGAN,
//! EBGAN, conditional GANs), 004 (CycleGAN).

mod measures;
mod observe;

pub use measures::{clipped_share, mean_norm, weight_histogram};

use crate::core::session::link::LESSON_KEY;
use crate::core::session::{Observation, Observer, Session};
use observe::Memory;
use serde::Serialize;

/// One lesson: the claim, where the notes make it, its set-up, and what to watch.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Lesson {
    pub id: &'static str,
    pub title: &'static str,
    /// The claim as the notes state it.
    pub claim: &'static str,
    pub formula: &'static str,
    /// The seed file(s) of the lecture notes that make the claim.
    pub seed: &'static str,
    /// The set-up: a link over the defaults (without `lesson=`, which [`Lesson::link`]
    /// adds).
    pub setup: &'static str,
    /// Two or three sentences on what to watch.
    pub watch: &'static str,
    /// What this run shows of the claim, after each evaluation, from what the observer
    /// kept of the run's earlier evaluations (`observe.rs`).
    #[serde(skip)]
    observe: fn(&mut Memory, &Session) -> Observation,
}

impl Lesson {
    /// The lesson's link: its set-up and `lesson=<id>`.
    pub fn link(&self) -> String {
        format!("{}&{LESSON_KEY}={}", self.setup, self.id)
    }
}

/// Every lesson, in the order of the notes.
pub const LESSONS: &[Lesson] = &[
    Lesson {
        id: "d-star",
        title: "Algorithm 1: k steps of D bring it to D* = p/(p+q)",
        claim: "For a fixed G the optimal discriminator is D*(x) = p_data(x)/(p_data(x) + p_g(x)); Algorithm 1 takes k steps of D per step of G so that D stays near it.",
        formula: "D*(x) = p_data(x) / (p_data(x) + p_g(x))",
        seed: "001 (Algorithm 1); 000",
        setup: "dataset=two-clusters&loss=minimax&k=1&speed=third&show=real.fake.heatmap.optimal",
        watch: "The purple line is D*'s ½ contour, the background D. Let it train at k = 1, then raise k to 5 or 10: D's white band follows the purple line more closely, and the distance below falls.",
        observe: observe::d_star,
    },
    Lesson {
        id: "saturating",
        title: "The saturating G loss vanishes; the flip fixes it",
        claim: "∇ log(1 − D(G(z))) = −D(G(z)) ∇V: when D is confident (D(G(z)) → 0) the minimax generator gets no gradient; minimising −log D(G(z)) instead keeps it.",
        formula: "∇ₐ log(1 − σ(a)) = −σ(a)   vs   ∇ₐ(−log σ(a)) = −(1 − σ(a))",
        seed: "001 (Vanishing gradient strikes back again)",
        setup: "dataset=custom&points=3,3,3.25,3.1,3.5,3.2,3.75,3.3,4,3.4&loss=minimax&k=5&cmp=1&b.loss=non-saturating&speed=third&show=real.fake.heatmap.arrows",
        watch: "The data is a short line far from where G starts, so D soon tells them apart with confidence. Run A (left) uses minimax's saturating G loss, run B the non-saturating one, from the same weights: A's gradient arrows shrink to nothing while B's stay long.",
        observe: observe::saturating,
    },
    Lesson {
        id: "disjoint",
        title: "Disjoint supports: JS is stuck at log 2, W1 still falls",
        claim: "When p_data and p_g do not overlap, JS(p_data, p_g) = log 2 whatever the distance between them, so it gives no direction; the Wasserstein distance still measures how far apart they are.",
        formula: "JS = log 2 for disjoint supports;   W1 = inf_γ E‖x − y‖",
        seed: "003 (WGAN); 001",
        setup: "dataset=custom&points=10,10,10.25,10.1,10.5,10.2,10.75,10.3,11,10.4&loss=wgan-gp&lrg=0.0002&speed=slow&show=real.fake",
        watch: "The data is a short line far from where G starts. While the two are apart the JS readout stays at 0.693 (log 2) while W1 falls as the WGAN critic pulls G across.",
        observe: observe::disjoint,
    },
    Lesson {
        id: "kl-reverse-kl",
        title: "Forward KL covers the modes, reverse KL seeks one",
        claim: "Fitting one Gaussian to two clusters, KL(p_data‖p_g) (maximum likelihood) spreads over both; KL(p_g‖p_data) picks one cluster.",
        formula: "KL(p‖q) = E_p log(p/q)   vs   KL(q‖p) = E_q log(q/p)",
        seed: "002 (f-divergences); 001 (f-GAN)",
        setup: "dataset=two-clusters&layers=0&noisedim=2&noise=gaussian&loss=f-kl&cmp=1&b.loss=f-reverse-kl&speed=third&show=real.fake",
        watch: "G is affine (no hidden layer), so its samples are one Gaussian. Run A trains with the f-GAN KL, run B with reverse KL: A stays balanced between the clusters. The notes say B settles on one; in our engine B leans to one cluster and then swings to the other, again and again (a finding), so the readout averages each run's imbalance over the run.",
        observe: observe::kl_reverse_kl,
    },
    Lesson {
        id: "wgan-clip",
        title: "WGAN: weight clipping against the gradient penalty",
        claim: "Clipping the critic's weights to [−c, c] keeps it Lipschitz but crude: the weights pile up at ±c and the critic's slope is far from 1; the gradient penalty λ(‖∇D‖ − 1)² does not.",
        formula: "clip: w ← clip(w, −c, c)   vs   GP: λ E(‖∇ₓD(x̂)‖₂ − 1)²",
        seed: "003 (WGAN-GP); 001",
        setup: "dataset=ring8&loss=wgan&clip=0.1&k=5&cmp=1&b.loss=wgan-gp&b.gp=1&speed=third&show=real.fake.heatmap",
        watch: "Run A's critic is clipped, run B's penalised. The histogram shows A's weights: most sit at ±c. The readout compares the two critics' gradient norms.",
        observe: observe::wgan_clip,
    },
    Lesson {
        id: "mode-collapse",
        title: "Mode collapse on the ring, and a cure",
        claim: "The generator can put all its mass on a few modes (mode collapse); a zero-centred gradient penalty on real data (R1) damps the critic's oscillation and keeps every mode.",
        formula: "R1 = (γ/2) E_p ‖∇ₓV(x)‖²",
        seed: "001 (Mode-Collapse)",
        setup: "dataset=ring8&loss=non-saturating&hidden=64&layers=4&seed=4&cmp=1&b.r1=1&show=real.fake.heatmap",
        watch: "Run A has no cure, run B adds R1 (γ = 1) from the same weights. Watch the mode readout: A loses modes, B keeps all 8.",
        observe: observe::mode_collapse,
    },
    Lesson {
        id: "xy",
        title: "The xy game: gradient play circles instead of converging",
        claim: "min_x max_y xy has its only equilibrium at (0, 0), but simultaneous gradient steps spiral outwards (the radius grows by √(1 + η²) each step) and alternating steps orbit on a closed curve: neither converges.",
        formula: "(x, y) ← (x − η y, y + η x):  r ← r √(1 + η²)",
        seed: "001 (Non-Convergence)",
        setup: "game=xy&rate=30&show=real.fake.arrows",
        watch: "Orange: simultaneous steps, spiralling out. Blue: alternating steps, on an ellipse. Change lr D and lr G (the step sizes) live: larger steps spiral out faster.",
        observe: observe::xy,
    },
    Lesson {
        id: "bigan",
        title: "A BiGAN's encoder learns to invert G",
        claim: "With an encoder E beside G and a critic of (x, z) pairs, the optimum matches the joint distributions, which forces E = G⁻¹, though no loss compares G(E(x)) with x.",
        formula: "min_{G,E} max_D E_x log D(x, E(x)) + E_z log(1 − D(G(z), z))",
        seed: "001 (BiGAN)",
        setup: "game=bigan&show=real.fake.arrows",
        watch: "Left, the grey segments join data points x to their reconstructions G(E(x)): they shrink. Right, the encoded data E(x) spreads like the prior z.",
        observe: observe::bigan,
    },
    Lesson {
        id: "cyclegan",
        title: "CycleGAN: unpaired translation, kept honest by the cycle loss",
        claim: "G: X → Y and F: Y → X, each fooling a critic, map the sets onto each other; only the cycle loss λ(‖F(G(x)) − x‖₁ + ‖G(F(y)) − y‖₁) makes them a correspondence.",
        formula: "L_GAN(G, D_Y) + L_GAN(F, D_X) + λ (E‖F(G(x)) − x‖₁ + E‖G(F(y)) − y‖₁)",
        seed: "001, 000, 004 (CycleGAN)",
        setup: "game=cyclegan&show=real.fake.arrows",
        watch: "Right: x → F(G(x)), the way back. With λ = 10 the segments shrink to dots. Set λ to 0 (live) and watch them grow while G(x) still looks like Y.",
        observe: observe::cyclegan,
    },
    Lesson {
        id: "conditional",
        title: "A conditional GAN draws the digit asked for",
        claim: "Feeding the label y to G and D models p(x | y): G(z, y) draws digit y.",
        formula: "min_G max_D E log D(x | y) + E log(1 − D(G(z | y) | y))",
        seed: "003 (conditional GAN)",
        setup: "mode=mnist&cond=1",
        watch: "Row r of the grid asks for digit r. Pick a digit in the menu above the grid. The readout says how often the classifier reads the digit asked for.",
        observe: observe::conditional,
    },
    Lesson {
        id: "losses",
        title: "Least squares and hinge: other losses, the same game",
        claim: "LSGAN replaces the log loss by squares (targets 1 for real and 0 for fake); the hinge loss of SAGAN by max(0, 1 ∓ V); both train the generator towards the data.",
        formula: "LSGAN: ½E(V(x) − 1)² + ½E V(G(z))²   hinge: E max(0, 1 − V(x)) + E max(0, 1 + V(G(z)))",
        seed: "003 (LSGAN, EBGAN)",
        setup: "dataset=ring8&loss=lsgan&cmp=1&b.loss=hinge&show=real.fake.heatmap",
        watch: "Run A trains with LSGAN, run B with the hinge loss, from the same weights. Both critics' heatmaps differ in scale, but both runs cover the ring and W1 falls for both.",
        observe: observe::losses,
    },
    Lesson {
        id: "boundary-seeking",
        title: "Boundary seeking: G aims at D = ½",
        claim: "D* = p/(p + q) is ½ exactly where p_g = p_data, so a generator that puts its samples where D = ½ matches the data; the boundary-seeking loss ½(log D − log(1 − D))² asks for that directly, instead of pushing D(G(z)) towards 1.",
        formula: "L_G = ½ E_z (log D(G(z)) − log(1 − D(G(z))))² = ½ E_z V(G(z))²",
        seed: "003 (Boundary seeking GAN)",
        setup: "dataset=gaussian&loss=boundary-seeking&cmp=1&b.loss=non-saturating&show=real.fake.heatmap",
        watch: "Run A trains G with the boundary-seeking loss, run B with the non-saturating one, from the same weights and the same D loss. The white band is D = ½: A's samples settle on it as they cover the data. Its gradient, V·∇V, fades as D(G(z)) nears ½, so A moves more slowly than B; try ring8 or two moons (data set menu): in our engine A stalls there with D(G(z)) ≈ 0.3–0.45 while B covers the data (a finding).",
        observe: observe::boundary_seeking,
    },
    Lesson {
        id: "ebgan",
        title: "Energy-based GAN: the critic as an energy, with a margin",
        claim: "EBGAN's discriminator is an autoencoder whose reconstruction error E(x) is an energy: it learns to give the data low energy and to push the generator's samples up to the margin m, and G lowers the energy of its samples.",
        formula: "L_D = E(x) + [m − E(G(z))]⁺,  L_G = E(G(z)),  E(x) = ‖AE(x) − x‖²/d",
        seed: "003 (Energy-based GAN)",
        setup: "dataset=ring8&loss=ebgan&margin=1&show=real.fake.heatmap",
        watch: "The heatmap is the energy: blue where it is low, orange at the margin m and above (the colour bar under the plane). The data's ring turns blue while the plane around it stays at m; G's samples move into the low-energy valleys. Change m (more settings) live: the fakes are pushed up to the new margin.",
        observe: observe::ebgan,
    },
    Lesson {
        id: "conditional-plane",
        title: "A conditional GAN on the plane: one generator, a label picks the mode",
        claim: "Given a condition c beside the noise, G(z, c) learns p(x | c): one generator whose condition chooses what it draws (the notes' c¹ \"a dog is running\", c² \"a bird is flying\"); here c is the cluster.",
        formula: "min_G max_D E log D(x | c) + E log(1 − D(G(z, c) | c)),  D(x | c) = σ(w·φ(x) + b + cᵀEφ(x))",
        seed: "003 (Conditional GAN)",
        setup: "dataset=ring8&cond=1&show=real.fake.heatmap",
        watch: "Each label has its colour: the data's points pale, G's samples bright. They start mixed in the middle; as it trains each colour's samples move to their own cluster. Pick one label under the data (label shown): every sample is drawn with it, and the heatmap is the critic's for that label.",
        observe: observe::conditional_plane,
    },
    Lesson {
        id: "pix2pix",
        title: "pix2pix: L1 alone averages the right answers, the adversary picks one",
        claim: "Regressing a target with several right answers by L1 gives their median, an answer that is never right; a conditional adversary asks for an answer that looks real, so it picks one; L1 beside the adversary steadies training (L = L_cGAN + λ·L1).",
        formula: "G* = arg min_G max_D L_cGAN(G, D) + λ E|y − G(x, z)|",
        seed: "004 (pix2pix); 000 (adversarial loss, reconstruction loss)",
        setup: "game=pix2pix&pairs=circle&objective=l1&show=real.fake.heatmap",
        watch: "Blue: pairs (x, y) on the two halves of a circle; orange: G's answer for each x. With L1 alone (objective) the answers sit on y ≈ 0, between the halves. Switch the objective to adversary: they jump onto the halves. Then to both: they stay there and move less between measurements. The readout keeps each objective's numbers.",
        observe: observe::pix2pix,
    },
    Lesson {
        id: "vae-gan",
        title: "Why an adversary: a VAE's samples blur, a GAN's are sharp",
        claim: "A VAE maximises a likelihood whose decoder treats the coordinates (pixels) as independent and simply distributed given z (here a Gaussian of fixed σ), so its samples spread around and between the modes; a GAN's critic asks for samples that look real, so they sit on the modes.",
        formula: "VAE: max E_q log p(x|z) − KL(q(z|x) ‖ N(0, I)), p(x|z) = N(x̂(z), σ²I)   vs   GAN: min_G max_D V(D, G)",
        seed: "000 (Recap: VAE; the implication of a reconstruction loss); 002 (VAE)",
        setup: "dataset=ring8&cmp=vae&show=real.fake",
        watch: "Run A (left) is the GAN, run B (right) a VAE with the GAN's network sizes, data and seed. The readout counts the samples off every mode (farther than 3 standard deviations of a mode, 0.03 here). The VAE's samples fill the ring's gaps and stay σ wide; the GAN's land on the modes, though it may drop some (the mode readout): sharpness and coverage are different things. In the VAE game (game menu) tick “the decoder's means only” to see the means without σ's noise: sharper, but still joined between the modes; lower σ and the KL term grows.",
        observe: observe::vae_gan,
    },
    Lesson {
        id: "vae-mnist",
        title: "A VAE's digits are grey: the mean of what the decoder cannot tell apart",
        claim: "With a Bernoulli per pixel, independent given z, the best a VAE's decoder can give where several digits share a code is their mean: its samples are legible but grey and blurred, where real digits (and a trained GAN's) are nearly black and white.",
        formula: "−log p(x|z) = Σ_pixels softplus(l) − p·l,  sample = σ(l(z)), z ~ N(0, I);  H = mean −q log q − (1 − q) log(1 − q)",
        seed: "000 (What's the implication of a reconstruction loss?); 002 (VAE)",
        setup: "game=vae-mnist",
        watch: "The grid is the decoder's means at fixed z ~ N(0, I). Within a few hundred steps they read as digits, but their strokes stay soft and grey. The readout compares their mean per-pixel entropy with the real digits'; the ELBO chart shows the reconstruction term falling while KL settles.",
        observe: observe::vae_mnist,
    },
];

/// The lesson with this id.
pub fn find(id: &str) -> Option<&'static Lesson> {
    LESSONS.iter().find(|l| l.id == id)
}

/// The lesson with this id as the observer of its session; an unknown id is a note.
pub fn observer_of(id: &str) -> (Option<Box<dyn Observer>>, Option<String>) {
    match find(id) {
        Some(lesson) => (Some(observe::observer(lesson)), None),
        None => (
            None,
            Some(format!(
                "lesson: unknown lesson '{}'",
                id.chars().take(40).collect::<String>()
            )),
        ),
    }
}

/// Every lesson as JSON, with its link, for the page's panel.
pub fn lessons_json() -> String {
    let all: Vec<serde_json::Value> = LESSONS
        .iter()
        .map(|l| {
            let mut v = serde_json::to_value(l).unwrap_or_default();
            v["link"] = l.link().into();
            v
        })
        .collect();
    serde_json::Value::Array(all).to_string()
}
