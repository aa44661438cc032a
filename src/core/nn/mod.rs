//! The networks and what trains them, whatever the game: MLPs ([`mlp`]) and the small
//! convolutional pair ([`conv`]) behind one [`net::Net`], the hand-written fused passes
//! ([`pass`] for MLPs, [`conv_pass`] on [`im2col`] for the convolutional pair, both on
//! [`matmul`], one [`host::HostNet`] over them) and the optimisers ([`optim`]).

pub mod batch_norm;
pub mod conv;
pub mod conv_pass;
pub mod energy;
pub mod fma;
pub mod host;
pub mod im2col;
pub mod mat;
pub mod matmul;
pub mod mlp;
pub mod net;
pub mod optim;
pub mod pass;
pub mod spectral;
