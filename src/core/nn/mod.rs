//! The networks and what trains them, whatever the game: MLPs ([`mlp`]) and the small
//! convolutional pair ([`conv`]) behind one [`net::Net`], the hand-written fused MLP pass
//! ([`pass`] on [`matmul`]) and the optimisers ([`optim`]).

pub mod batch_norm;
pub mod conv;
pub mod matmul;
pub mod mlp;
pub mod net;
pub mod optim;
pub mod pass;
pub mod spectral;
