//! The conditional GAN on the plane: labels from the data set's modes, G(z, c) and the
//! projection critic, the label the pictures show, the refusals, and its weights file.

use super::support::session;
use candle_core::Device;
use gan_playground::core::game::{Game, TrainConfig};
use gan_playground::core::plane::data::Dataset;
use gan_playground::core::plane::trainer::nearest_modes;
use gan_playground::core::plane::{PlaneModel, PlaneTrainer};
use gan_playground::core::session::plane::PlaneLab;
use gan_playground::core::session::Layers;
use gan_playground::core::weights::{from_safetensors, to_safetensors};

fn conditional(dataset: Dataset) -> PlaneModel {
    PlaneModel {
        dataset,
        cond: true,
        ..PlaneModel::default()
    }
}

/// Each point's label is the mode it is nearest, checked by hand on ring8's centres.
#[test]
fn labels_are_the_nearest_modes() {
    let modes = Dataset::Ring8.modes().unwrap();
    assert_eq!(conditional(Dataset::Ring8).classes(), 8);
    assert_eq!(conditional(Dataset::Grid25).classes(), 25);
    assert_eq!(PlaneModel::default().classes(), 0);
    let near: Vec<[f32; 2]> = modes
        .iter()
        .map(|m| [m.centre[0] * 1.05, m.centre[1] * 1.05])
        .collect();
    assert_eq!(nearest_modes(&near, &modes), (0..8).collect::<Vec<_>>());
}

/// Data without clusters, and packing, are refused in one line.
#[test]
fn conditioning_is_refused_in_one_line_where_there_is_nothing_to_label() {
    for bad in [
        "dataset=moons&cond=1",
        "dataset=spiral&cond=1",
        "dataset=ring8&cond=1&pack=2",
    ] {
        let s = session(bad);
        let notes = s.notes();
        assert!(!notes.is_empty(), "{bad}: no note");
    }
    let mut s = session("dataset=ring8");
    let e = s
        .set("dataset", "moons")
        .map(|_| ())
        .and_then(|_| s.set("cond", "1").map(|_| ()));
    let e = e.unwrap_err().to_string();
    assert!(e.contains("no clusters") && !e.contains('\n'), "{e}");
    let e = PlaneTrainer::new(
        conditional(Dataset::TwoMoons),
        TrainConfig::default(),
        &Device::Cpu,
    )
    .err()
    .unwrap()
    .to_string();
    assert!(e.contains("cond"), "{e}");
}

/// The label shown draws every picture's sample with it; a label past the last is
/// refused, and an unconditional model has none to show.
#[test]
fn the_label_shown_draws_every_sample_with_it() {
    let mut t = PlaneTrainer::new(
        conditional(Dataset::Ring8),
        TrainConfig::default(),
        &Device::Cpu,
    )
    .unwrap();
    assert_eq!(
        t.sample_labels(10).unwrap(),
        vec![0, 1, 2, 3, 4, 5, 6, 7, 0, 1]
    );
    t.show_label(Some(3)).unwrap();
    assert_eq!(t.sample_labels(4).unwrap(), vec![3; 4]);
    assert!(t
        .show_label(Some(8))
        .unwrap_err()
        .to_string()
        .contains("0–7"));
    let noise = vec![0.3f32; 8];
    let as_3 = t.generate(&noise).unwrap();
    assert_eq!(as_3, t.generate_with_labels(&noise, Some(&[3; 4])).unwrap());
    assert_ne!(as_3, t.generate_with_labels(&noise, Some(&[5; 4])).unwrap());
    let mut plain =
        PlaneTrainer::new(PlaneModel::default(), TrainConfig::default(), &Device::Cpu).unwrap();
    assert!(plain.show_label(Some(0)).is_err() && plain.sample_labels(3).is_none());
}

/// A conditional run trains, paints its labels, and its weights file says it is
/// conditional (the model read off it has `cond` and the noise dimension without them).
#[test]
fn a_conditional_run_trains_paints_its_labels_and_round_trips_its_weights() {
    let mut s = session("dataset=ring8&cond=1");
    for _ in 0..20 {
        s.step_once("both").unwrap();
    }
    assert_eq!(s.state()["classes"], 8);
    let f = s
        .frame(Layers {
            real: true,
            fake: true,
            heatmap: true,
            manifold: true,
            arrows: true,
            ..Layers::default()
        })
        .unwrap();
    let get = |k: &str| {
        f.floats
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(get("classes"), Some(vec![8.0]));
    let fake = get("fake").unwrap();
    let labels = get("fake_labels").unwrap();
    assert_eq!(labels.len() * 2, fake.len());
    assert!(get("real_labels")
        .unwrap()
        .iter()
        .all(|&l| (0.0..8.0).contains(&l)));
    assert!(get("heatmap").unwrap().iter().all(|v| v.is_finite()));
    let lab = s.lab_as::<PlaneLab>().unwrap();
    let bytes = to_safetensors(lab.trainer().tensors()).unwrap();
    let tensors = from_safetensors(&bytes, &Device::Cpu).unwrap();
    let model = PlaneModel {
        dataset: Dataset::Ring8,
        ..PlaneModel::default()
    }
    .from_tensors(&tensors)
    .unwrap();
    assert!(model.cond && model.noise_dim == 2, "{model:?}");
    assert!(lab.trainer().game().counters().iteration == 20);
}
