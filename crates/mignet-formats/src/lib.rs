//! mignet-formats
