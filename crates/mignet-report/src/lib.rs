//! mignet-report
