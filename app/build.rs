//! Compiles the GTFS Realtime schema for the server build (bus::realtime), in Rust (protox)
//! so no system `protoc` is needed; the browser build needs none of it.

fn main() {
    println!("cargo:rerun-if-changed=proto/gtfs-realtime.proto");
    println!("cargo:rerun-if-changed=build.rs");
    #[cfg(feature = "ssr")]
    {
        let descriptors = protox::compile(["gtfs-realtime.proto"], ["proto"]).expect("the GTFS-RT schema compiles");
        prost_build::Config::new().compile_fds(descriptors).expect("prost writes the GTFS-RT types");
    }
}
