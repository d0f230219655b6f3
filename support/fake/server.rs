//! placeholder for the HTTP server
