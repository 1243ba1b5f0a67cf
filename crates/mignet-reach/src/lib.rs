//! mignet-reach
