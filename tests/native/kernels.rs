//! The kernels' and closed forms' checks against their definitions: the FMA and gemm
//! products, im2col and its adjoint, the rational tanh, and every loss's closed-form
//! gradient against autograd. They test public items, so they live in the one test
//! crate rather than in the library (a unit-test harness would compile the library a
//! second time).

mod fma {
    use gan_playground::core::nn::fma::matmul_fma;
    use gan_playground::core::nn::mat::Mat;

    /// Every product shape the blocking treats apart: edge row and column panels, one and
    /// several k-blocks, accumulation, and transposed (strided) operands, against the
    /// definition in f64.
    #[test]
    fn products_match_the_definition() {
        for &(m, n, k) in &[
            (1, 1, 1),
            (5, 9, 3),
            (64, 128, 784),
            (67, 13, 300),
            (4, 8, 513),
        ] {
            let a: Vec<f32> = (0..m * k)
                .map(|i| ((i * 37 % 101) as f32 - 50.0) / 50.0)
                .collect();
            let b: Vec<f32> = (0..k * n)
                .map(|i| ((i * 53 % 97) as f32 - 48.0) / 48.0)
                .collect();
            let want = |i: usize, j: usize| -> f64 {
                (0..k)
                    .map(|p| a[i * k + p] as f64 * b[p * n + j] as f64)
                    .sum()
            };
            // a as stored; b read through its transpose's storage (column-major view).
            let bt: Vec<f32> = (0..n * k).map(|x| b[(x % k) * n + x / k]).collect();
            let sa = Mat::rows(&a, m, k).unwrap();
            let sbt = Mat::rows(&bt, n, k).unwrap().t();
            let mut got = vec![f32::NAN; m * n];
            matmul_fma(&mut got, false, sa, sbt);
            for i in 0..m {
                for j in 0..n {
                    let (g, w) = (got[i * n + j] as f64, want(i, j));
                    assert!(
                        (g - w).abs() <= 1e-4 * (1.0 + w.abs()),
                        "{m}×{n}×{k} ({i},{j}): {g} vs {w}"
                    );
                }
            }
            let sb = Mat::rows(&b, k, n).unwrap();
            matmul_fma(&mut got, true, sa, sb);
            for i in 0..m {
                for j in 0..n {
                    let (g, w) = (got[i * n + j] as f64, 2.0 * want(i, j));
                    assert!(
                        (g - w).abs() <= 2e-4 * (1.0 + w.abs()),
                        "accumulated ({i},{j}): {g} vs {w}"
                    );
                }
            }
        }
    }
}

mod im2col {
    use gan_playground::core::nn::im2col::{col2im_add, im2col, im2col_rows, Window};

    /// The definition, value by value.
    fn naive(x: &[f32], win: &Window) -> Vec<f32> {
        let mut col = vec![0.0; win.rows() * win.cols()];
        for ci in 0..win.c {
            for ky in 0..win.k {
                for kx in 0..win.k {
                    let r = (ci * win.k + ky) * win.k + kx;
                    for ni in 0..win.n {
                        for oy in 0..win.oh {
                            for ox in 0..win.ow {
                                let iy = (oy * win.stride + ky) as isize - win.pad_y as isize;
                                let ix = (ox * win.stride + kx) as isize - win.pad_x as isize;
                                let inside = (0..win.h as isize).contains(&iy)
                                    && (0..win.w as isize).contains(&ix);
                                let v = if inside {
                                    x[((ci * win.n + ni) * win.h + iy as usize) * win.w
                                        + ix as usize]
                                } else {
                                    0.0
                                };
                                col[r * win.cols() + (ni * win.oh + oy) * win.ow + ox] = v;
                            }
                        }
                    }
                }
            }
        }
        col
    }

    fn windows() -> Vec<Window> {
        let w = |c, n, h, k, stride, pad_y, pad_x, oh| Window {
            c,
            n,
            h,
            w: h + 1,
            k,
            stride,
            pad_y,
            pad_x,
            oh,
            ow: oh + 1,
        };
        vec![
            w(2, 3, 6, 4, 2, 1, 1, 3),
            w(3, 2, 5, 2, 1, 1, 0, 5),
            w(1, 2, 4, 2, 1, 0, 1, 4),
            w(2, 1, 5, 3, 1, 1, 1, 5),
            w(1, 1, 3, 3, 2, 2, 0, 2),
        ]
    }

    #[test]
    fn unfolding_matches_the_definition() {
        for win in windows() {
            let x: Vec<f32> = (0..win.input_len()).map(|i| i as f32 + 1.0).collect();
            let mut col = vec![7.0; win.rows() * win.cols()];
            im2col(&x, &win, &mut col).unwrap();
            assert_eq!(col, naive(&x, &win), "{win:?}");
            assert!(im2col(&x[1..], &win, &mut col).is_err());
            let half = win.rows() / 2;
            let mut top = vec![7.0; half * win.cols()];
            im2col_rows(
                &x,
                &win,
                half..win.rows(),
                &mut col[..(win.rows() - half) * win.cols()],
            )
            .unwrap();
            im2col_rows(&x, &win, 0..half, &mut top).unwrap();
            top.extend_from_slice(&col[..(win.rows() - half) * win.cols()]);
            assert_eq!(top, naive(&x, &win), "{win:?} in two halves");
        }
    }

    /// `⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩` for every `x`, `y`: the adjoint, checked through
    /// the basis of the input.
    #[test]
    fn folding_is_the_adjoint() {
        for win in windows() {
            let y: Vec<f32> = (0..win.rows() * win.cols())
                .map(|i| ((i * 37 % 11) as f32) - 5.0)
                .collect();
            let mut back = vec![0.0; win.input_len()];
            col2im_add(&mut y.clone(), &win, &mut back).unwrap();
            for j in 0..win.input_len() {
                let mut e = vec![0.0; win.input_len()];
                e[j] = 1.0;
                let col = naive(&e, &win);
                let want: f32 = col.iter().zip(&y).map(|(a, b)| a * b).sum();
                assert_eq!(back[j], want, "{win:?}, input {j}");
            }
        }
    }
}

mod matmul {
    use gan_playground::core::nn::matmul::{matmul, Mat};
    use gemm::Parallelism;

    fn naive(a: &[f32], b: &[f32], m: usize, k: usize, n: usize) -> Vec<f32> {
        let mut out = vec![0.0; m * n];
        for i in 0..m {
            for j in 0..n {
                out[i * n + j] = (0..k).map(|l| a[i * k + l] * b[l * n + j]).sum();
            }
        }
        out
    }

    #[test]
    fn products_and_transposes_match_the_definition() {
        let (m, k, n) = (5, 7, 3);
        let a: Vec<f32> = (0..m * k).map(|i| (i as f32 * 0.37).sin()).collect();
        let b: Vec<f32> = (0..k * n).map(|i| (i as f32 * 0.91).cos()).collect();
        let want = naive(&a, &b, m, k, n);
        let mut got = vec![1.0; m * n];
        matmul(
            &mut got,
            false,
            Mat::rows(&a, m, k).unwrap(),
            Mat::rows(&b, k, n).unwrap(),
            Parallelism::None,
        )
        .unwrap();
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() < 1e-5, "{g} vs {w}");
        }
        // bᵀ stored as its own row-major matrix, read back through a transposed view;
        // and accumulation adds to what is there.
        let bt: Vec<f32> = (0..n * k).map(|i| b[(i % k) * n + i / k]).collect();
        matmul(
            &mut got,
            true,
            Mat::rows(&a, m, k).unwrap(),
            Mat::rows(&bt, n, k).unwrap().t(),
            Parallelism::None,
        )
        .unwrap();
        for (g, w) in got.iter().zip(&want) {
            assert!((g - 2.0 * w).abs() < 1e-5, "{g} vs {}", 2.0 * w);
        }
        assert!(matmul(
            &mut got,
            false,
            Mat::rows(&a, m, k).unwrap(),
            Mat::rows(&a, m, k).unwrap(),
            Parallelism::None
        )
        .is_err());
        assert!(Mat::rows(&a, m, k + 1).is_err());
    }
}

mod special {
    use gan_playground::core::special::tanh_f32;

    #[test]
    fn fast_tanh_is_within_4e7_of_tanh() {
        let mut worst = 0.0f64;
        for i in -200_000..=200_000 {
            let x = i as f32 * 1e-4;
            let err = (tanh_f32(x) as f64 - (x as f64).tanh()).abs();
            worst = worst.max(err);
        }
        for x in [-1e30f32, -50.0, -9.0, 9.0, 50.0, 1e30, 1e-30, -1e-30, 0.0] {
            worst = worst.max((tanh_f32(x) as f64 - (x as f64).tanh()).abs());
        }
        assert!(worst < 4e-7, "worst error {worst}");
        assert_eq!(tanh_f32(0.0), 0.0);
        assert!(
            tanh_f32(f32::NAN).is_nan(),
            "NaN must stay visible to the divergence guard"
        );
    }
}

mod grad {
    use gan_playground::core::loss::grad::{append_grad, host_var};
    use gan_playground::core::loss::Loss;
    use gan_playground::core::tensor::scalar;

    /// Every loss's value and gradient against Candle's autograd of its tensor form, on
    /// values from the saturated tails to the middle.
    #[test]
    fn gradients_match_autograd_of_the_tensor_forms() {
        let v_real: Vec<f32> = (0..23).map(|i| (i as f32 - 11.0) * 1.7).collect();
        let v_fake: Vec<f32> = (0..19).map(|i| (i as f32 - 8.0) * -2.3 + 0.4).collect();
        for loss in Loss::all() {
            let (vr, vf) = (host_var(&v_real).unwrap(), host_var(&v_fake).unwrap());
            let d = loss.d_loss(vr.as_tensor(), vf.as_tensor()).unwrap();
            let gd = d.backward().unwrap();
            let mut want = Vec::new();
            append_grad(&gd, &vr, &mut want).unwrap();
            append_grad(&gd, &vf, &mut want).unwrap();
            let mut got = Vec::new();
            let value = loss.d_loss_and_grad(&v_real, &v_fake, &mut got).unwrap();
            let d = scalar(&d).unwrap();
            assert!(
                (value - d).abs() <= 1e-5 * d.abs().max(1.0),
                "{}: D loss {value} vs {d}",
                loss.name()
            );
            assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(&want) {
                assert!(
                    (g - w).abs() <= 1e-5 * w.abs().max(1e-2),
                    "{}: D grad {g} vs {w}",
                    loss.name()
                );
            }
            let g = loss.g_loss(vf.as_tensor()).unwrap();
            let mut want = Vec::new();
            append_grad(&g.backward().unwrap(), &vf, &mut want).unwrap();
            let mut got = Vec::new();
            let value = loss.g_loss_and_grad(&v_fake, &mut got).unwrap();
            let g = scalar(&g).unwrap();
            assert!(
                (value - g).abs() <= 1e-5 * g.abs().max(1.0),
                "{}: G loss {value} vs {g}",
                loss.name()
            );
            for (g, w) in got.iter().zip(&want) {
                assert!(
                    (g - w).abs() <= 1e-5 * w.abs().max(1e-2),
                    "{}: G grad {g} vs {w}",
                    loss.name()
                );
            }
        }
    }
}
