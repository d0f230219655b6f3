//! Factories, standard labs and allocated addresses, as one backend-neutral mechanism over
//! data per family: [`book`] reads a family's factory file (kind defaults, named variants
//! that inherit, labs), [`addresses`] allocates MACs, IPv4 addresses and DNS names no other
//! scenario or run uses, and [`template`] expands a recipe's values.

pub mod addresses;
pub mod book;
pub mod template;
