//! mignet-app
