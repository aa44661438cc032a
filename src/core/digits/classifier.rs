//! The digit classifier behind the MNIST quality metrics: a small MLP the project trains
//! itself, deterministically, on the training digits. Its predicted classes give the
//! class coverage of a generator (the mode-collapse measure), and its last hidden layer is
//! the feature space of the Fréchet distance.

use crate::core::digits::data::{Digits, CLASSES};
use crate::core::error::{GanError, Result};
use crate::core::nn::mlp::{Activation, Mlp, MlpSpec};
use crate::core::nn::optim::{OptimConfig, Optimizer, OptimizerKind, Update};
use crate::core::rng::SeededRng;
use candle_core::{DType, Device, Tensor, D};
use std::collections::HashMap;

/// `784 → 128 → 128 → 10`: two ReLU layers of 128; the features are the second.
pub const FEATURES: usize = 128;
const PREFIX: &str = "classifier";

/// Training recipe: Adam 1e-3 (β₁ 0.5), batch 128, six passes over the data, seed 0.
pub const EPOCHS: usize = 6;
const BATCH: usize = 128;
const SEED: u64 = 0;

pub struct Classifier {
    net: Mlp,
    device: Device,
}

fn spec(input: usize) -> MlpSpec {
    MlpSpec {
        input,
        hidden: FEATURES,
        layers: 2,
        output: CLASSES,
        activation: Activation::Relu,
        output_tanh: false,
        batch_norm: false,
    }
}

impl Classifier {
    /// An untrained classifier for `input` pixels (for loading weights into).
    pub fn untrained(input: usize, device: &Device) -> Result<Self> {
        let mut rng = SeededRng::new(SEED);
        Ok(Self {
            net: Mlp::new(spec(input), PREFIX, &mut rng, device)?,
            device: device.clone(),
        })
    }

    /// Trains on `digits` with the fixed recipe: the same data gives the same weights.
    /// `progress` is called after each pass with its number.
    pub fn train(
        digits: &Digits,
        device: &Device,
        mut progress: impl FnMut(usize),
    ) -> Result<Self> {
        if digits.len() < BATCH {
            return Err(GanError::InvalidData(format!(
                "the classifier needs at least {BATCH} digits, got {}",
                digits.len()
            )));
        }
        let clf = Self::untrained(digits.dim(), device)?;
        let mut rng = SeededRng::new(SEED ^ 0xc1a55);
        let mut opt = Optimizer::new(clf.net.vars());
        let cfg = OptimConfig::new(OptimizerKind::Adam, 1e-3);
        for epoch in 0..EPOCHS {
            // A seeded Fisher-Yates shuffle per pass.
            let mut order: Vec<usize> = (0..digits.len()).collect();
            for i in (1..order.len()).rev() {
                order.swap(i, rng.below(i + 1));
            }
            for idx in order.chunks_exact(BATCH) {
                let x = Tensor::from_vec(digits.scaled(idx), (BATCH, digits.dim()), device)?;
                let y: Vec<u32> = idx.iter().map(|&i| digits.label(i) as u32).collect();
                let y = Tensor::from_vec(y, BATCH, device)?;
                let loss = candle_nn::loss::cross_entropy(&clf.net.forward(&x)?, &y)?;
                if let Update::Refused(_) = opt.step(&loss.backward()?, &cfg)? {
                    return Err(GanError::InvalidData(format!(
                        "the classifier's training diverged in pass {}",
                        epoch + 1
                    )));
                }
            }
            progress(epoch + 1);
        }
        Ok(clf)
    }

    /// `(features [n, FEATURES], predicted class per row, the probability given to it)`
    /// for images `x` `[n, pixels]` scaled to `[−1, 1]`.
    pub fn features_and_classes(&self, x: &Tensor) -> Result<(Tensor, Vec<u8>, Vec<f32>)> {
        let (logits, features) = self.net.forward_with_features(x)?;
        let classes = logits
            .argmax(D::Minus1)?
            .to_vec1::<u32>()?
            .into_iter()
            .map(|c| c as u8)
            .collect();
        // max softmax = 1 / Σ exp(l − max l), in the stable form.
        let logits = logits.to_dtype(DType::F32)?;
        let top = logits.max_keepdim(D::Minus1)?;
        let sum = logits.broadcast_sub(&top)?.exp()?.sum(D::Minus1)?;
        let confidence = sum.recip()?.to_vec1::<f32>()?;
        Ok((features, classes, confidence))
    }

    /// Fraction of `digits` classified as their label.
    pub fn accuracy(&self, digits: &Digits) -> Result<f64> {
        let mut right = 0;
        let idx: Vec<usize> = (0..digits.len()).collect();
        for chunk in idx.chunks(1000) {
            let x = Tensor::from_vec(
                digits.scaled(chunk),
                (chunk.len(), digits.dim()),
                self.device(),
            )?;
            let (_, classes, _) = self.features_and_classes(&x)?;
            right += chunk
                .iter()
                .zip(classes)
                .filter(|(&i, c)| digits.label(i) == *c)
                .count();
        }
        Ok(right as f64 / digits.len().max(1) as f64)
    }

    fn device(&self) -> &Device {
        &self.device
    }

    /// Named weights (`classifier.l{i}.weight|bias`), for a safetensors file.
    pub fn tensors(&self) -> Vec<(String, Tensor)> {
        self.net
            .named_vars()
            .into_iter()
            .map(|(n, v)| (n, v.as_tensor().clone()))
            .collect()
    }

    /// Weights from a safetensors map, checking every name and shape.
    pub fn load(input: usize, tensors: &HashMap<String, Tensor>, device: &Device) -> Result<Self> {
        let clf = Self::untrained(input, device)?;
        clf.net.load(tensors)?;
        Ok(clf)
    }
}

/// Features, predicted classes and their probabilities for images given in `[−1, 1]`,
/// batched so memory stays small.
pub fn features_of(
    clf: &Classifier,
    x: &[f32],
    dim: usize,
) -> Result<(Vec<f32>, Vec<u8>, Vec<f32>)> {
    let mut feats = Vec::with_capacity(x.len() / dim * FEATURES);
    let mut classes = Vec::with_capacity(x.len() / dim);
    let mut confidence = Vec::with_capacity(x.len() / dim);
    for chunk in x.chunks(1000 * dim) {
        let t = Tensor::from_vec(chunk.to_vec(), (chunk.len() / dim, dim), clf.device())?;
        let (f, c, p) = clf.features_and_classes(&t)?;
        feats.extend(f.to_dtype(DType::F32)?.flatten_all()?.to_vec1::<f32>()?);
        classes.extend(c);
        confidence.extend(p);
    }
    Ok((feats, classes, confidence))
}
