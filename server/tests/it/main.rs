//! Integration tests: the real router (pages, server functions, middleware) against a real
//! database, driven in-process with `tower::ServiceExt::oneshot`.

mod accounts;
mod applications;
mod authz;
mod bus;
mod cases;
mod catalogue;
mod cli;
mod crash;
mod documents;
mod error_log;
mod faults;
mod gas;
mod hospitals;
mod input;
mod intake;
mod library;
mod mail;
mod ops;
mod pages;
mod preferences;
mod processes;
mod registers;
mod scale_out;
mod schema;
mod security;
mod shared_data;
mod shared_pages;
mod staff;
mod supervision;
mod support;
mod uploads;
mod wasm_deps;
