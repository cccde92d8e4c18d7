//! placeholder
pub mod departments;
pub mod text;
