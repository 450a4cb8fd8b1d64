//! Shared data (数据共享): the catalogue of data resources departments share, the grants that
//! say which portal feature may receive which fields for what purpose, consent records, and the
//! audited gateway every feature uses to read the base registers.

pub mod model;
mod pages;
#[cfg(feature = "ssr")]
pub mod server;
mod staff_pages;

pub use model::*;
pub use pages::{open_resources, sharing_label, OpenDataPage, OpenResources, ResourceSummary};
pub use staff_pages::{
    data_call_stats, staff_catalogue, DataCallStats, DataCallsPage, StaffCatalogue, StaffCataloguePage,
};

crate::page_routes!(SharingRoutes {
    "/open-data" => OpenDataPage,
    "/staff/catalogue" => StaffCataloguePage,
    "/staff/data-calls" => DataCallsPage,
});
