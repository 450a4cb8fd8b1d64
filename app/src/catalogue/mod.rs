//! The service catalogue (办事指南): versioned service items on the national implementation-list
//! fields with their materials and online form definitions, the working-day calendar every
//! deadline uses, and Chinese search.

#[cfg(feature = "ssr")]
pub mod calendar;
mod calendar_page;
pub mod model;
mod pages;
#[cfg(feature = "ssr")]
pub mod search;
#[cfg(feature = "ssr")]
pub mod server;
mod staff;
pub mod validate;

#[cfg(feature = "ssr")]
pub use calendar_page::{clear_day, save_day};
pub use calendar_page::{staff_calendar, CalendarDayView, StaffCalendar, StaffCalendarPage};
pub use pages::{
    catalogue_overview, life_event_label, limit_text, list_services, search_services, service_guide, topic_label,
    CatalogueHome, CatalogueOverview, CatalogueSections, GuideView, ListServices, SearchServices, ServiceCard,
    ServiceCards, ServiceFilter, ServiceGuide, ServiceGuidePage, ServiceHit, ServiceResults, ServicesPage,
};
#[cfg(feature = "testing")]
pub use pages::{render_guide_part, render_guide_sections};
pub use staff::{
    problem_text, staff_service_draft, staff_service_items, StaffItemRow, StaffServiceDraft, StaffServiceEditPage,
    StaffServiceItems, StaffServicesPage, NEW_ITEM_TEMPLATE,
};
#[cfg(feature = "ssr")]
pub use staff::{publish, save_item, unpublish};

crate::page_routes!(CatalogueRoutes {
    "/services" => ServicesPage,
    "/services/:code" => ServiceGuidePage,
    "/staff/services" => StaffServicesPage,
    "/staff/services/edit" => StaffServiceEditPage,
    "/staff/calendar" => StaffCalendarPage,
});
