//! mignet-store
