//! mignet-core
