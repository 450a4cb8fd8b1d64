//! A map of places drawn on the server: tiles from the source a deployment configures (any XYZ
//! "slippy map" server: its own, a surveying bureau's, or OpenStreetMap's) with numbered, linked
//! markers, as one SVG. It needs no JavaScript and adds nothing to the download; without a tile
//! source, pages list the places in text only (they always do as well).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An XYZ tile URL template and the attribution its licence requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TileSource {
    /// `https://tiles.example.org/{z}/{x}/{y}.png`
    pub template: String,
    /// Shown under every map, as the tiles' licence requires (e.g. "© OpenStreetMap contributors").
    pub attribution: String,
    /// The most detailed zoom level the server has.
    pub max_zoom: u8,
}

impl TileSource {
    /// Checks a configured template: an absolute http(s) URL with `{z}`, `{x}` and `{y}`, and
    /// nothing that could break out of the CSP header it is written into.
    pub fn parse(template: &str, attribution: &str, max_zoom: u8) -> Result<TileSource, &'static str> {
        let has_scheme = template.starts_with("https://") || template.starts_with("http://");
        if !has_scheme {
            return Err("expected an http:// or https:// URL template");
        }
        if !["{z}", "{x}", "{y}"].iter().all(|p| template.contains(p)) {
            return Err("expected {z}, {x} and {y} in the template");
        }
        if template.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, ';' | ',' | '\'' | '"')) {
            return Err("the template may not contain spaces, quotes, ';' or ','");
        }
        if attribution.trim().is_empty() {
            return Err("the tiles' licence needs an attribution (ONESTOP_MAP_ATTRIBUTION)");
        }
        if !(1..=22).contains(&max_zoom) {
            return Err("the most detailed zoom level must be 1..=22");
        }
        Ok(TileSource { template: template.to_owned(), attribution: attribution.trim().to_owned(), max_zoom })
    }

    /// `scheme://host[:port]`, for the page CSP's `img-src`.
    pub fn origin(&self) -> &str {
        let after_scheme = self.template.find("://").map_or(0, |i| i + 3);
        let end = self.template[after_scheme..].find('/').map_or(self.template.len(), |i| after_scheme + i);
        &self.template[..end]
    }

    pub fn tile_url(&self, z: u8, x: u32, y: u32) -> String {
        self.template.replace("{z}", &z.to_string()).replace("{x}", &x.to_string()).replace("{y}", &y.to_string())
    }
}

/// One place on the map. `label` is what the marker shows (the place's number in the list
/// beside the map), `name` what it is called for screen readers and on hover.
#[derive(Debug, Clone, PartialEq)]
pub struct MapMarker {
    pub label: String,
    pub name: String,
    pub href: String,
    pub longitude: f64,
    pub latitude: f64,
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 405.0;
/// Room kept around the outermost markers, so none sits on the edge.
const MARGIN: f64 = 32.0;
const TILE: f64 = 256.0;
/// The closest zoom for a single place: its street and the streets around it.
const SINGLE_PLACE_ZOOM: u8 = 15;

/// Web Mercator (EPSG:3857) pixel position at zoom `z`, as every XYZ tile server cuts its tiles.
fn project(longitude: f64, latitude: f64, z: u8) -> (f64, f64) {
    let world = TILE * f64::from(1u32 << z);
    let lat = latitude.clamp(-85.0511, 85.0511).to_radians();
    let x = (longitude + 180.0) / 360.0 * world;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * world;
    (x, y)
}

/// The view: a zoom level and the pixel position of the view's top-left corner at that zoom.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Frame {
    z: u8,
    left: f64,
    top: f64,
}

/// The most detailed zoom at which every marker fits inside the view with its margin, centred.
fn frame(markers: &[MapMarker], max_zoom: u8) -> Option<Frame> {
    let first = markers.first()?;
    let most = if markers.len() == 1 { max_zoom.min(SINGLE_PLACE_ZOOM) } else { max_zoom };
    let bounds = |z: u8| {
        let start = project(first.longitude, first.latitude, z);
        markers.iter().fold((start, start), |((x0, y0), (x1, y1)), m| {
            let (x, y) = project(m.longitude, m.latitude, z);
            ((x0.min(x), y0.min(y)), (x1.max(x), y1.max(y)))
        })
    };
    let z = (0..=most)
        .rev()
        .find(|&z| {
            let ((x0, y0), (x1, y1)) = bounds(z);
            x1 - x0 <= WIDTH - 2.0 * MARGIN && y1 - y0 <= HEIGHT - 2.0 * MARGIN
        })
        .unwrap_or(0);
    let ((x0, y0), (x1, y1)) = bounds(z);
    Some(Frame { z, left: (x0 + x1 - WIDTH) / 2.0, top: (y0 + y1 - HEIGHT) / 2.0 })
}

/// The tiles covering the frame: (zoom, column, row, where it goes in the view).
fn tiles(frame: Frame) -> Vec<(u8, u32, u32, f64, f64)> {
    let count = 1i64 << frame.z;
    let columns = (frame.left / TILE).floor() as i64..=((frame.left + WIDTH) / TILE).floor() as i64;
    let rows = (frame.top / TILE).floor() as i64..=((frame.top + HEIGHT) / TILE).floor() as i64;
    rows.filter(|row| (0..count).contains(row))
        .flat_map(|row| {
            columns.clone().map(move |column| {
                let (x, y) = (column as f64 * TILE - frame.left, row as f64 * TILE - frame.top);
                // Columns wrap round the globe; rows do not.
                (frame.z, column.rem_euclid(count) as u32, row as u32, x, y)
            })
        })
        .collect()
}

/// The map, with the tiles' attribution under it. Renders nothing without markers.
#[component]
pub fn TileMap(
    source: TileSource,
    markers: Vec<MapMarker>,
    /// What the map shows, for screen readers ("Hospitals on the map").
    label: String,
    /// A line under the map, before the attribution (e.g. how markers relate to the list).
    caption: String,
) -> impl IntoView {
    let frame = frame(&markers, source.max_zoom)?;
    let tile_images = tiles(frame)
        .into_iter()
        .map(|(z, column, row, x, y)| {
            view! { <image href=source.tile_url(z, column, row) x=x y=y width=TILE height=TILE/> }
        })
        .collect_view();
    let marker_links = markers
        .into_iter()
        .map(|m| {
            let (px, py) = project(m.longitude, m.latitude, frame.z);
            let (x, y) = (px - frame.left, py - frame.top);
            // The accessible name starts with the visible number (WCAG 2.5.3 label in name).
            let name = format!("{} {}", m.label, m.name);
            let title = name.clone();
            view! {
                <a href=m.href aria-label=name class="map__marker">
                    <title>{title}</title>
                    <circle cx=x cy=y r="13"/>
                    <text x=x y=y text-anchor="middle" dominant-baseline="central">{m.label}</text>
                </a>
            }
        })
        .collect_view();
    let view_box = format!("0 0 {WIDTH} {HEIGHT}");
    Some(view! {
        <figure class="map">
            <svg viewBox=view_box role="group" aria-label=label xmlns="http://www.w3.org/2000/svg">
                <g aria-hidden="true">{tile_images}</g>
                {marker_links}
            </svg>
            <figcaption>{caption}" "<span class="map__attribution">{source.attribution}</span></figcaption>
        </figure>
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker(longitude: f64, latitude: f64) -> MapMarker {
        MapMarker { label: "1".into(), name: "x".into(), href: "/x".into(), longitude, latitude }
    }

    #[test]
    fn the_frame_is_the_closest_zoom_that_shows_every_marker_inside_the_margin() {
        // Two places about 20 km apart east-west, as a city's hospitals are.
        let markers = [marker(103.70, 36.06), marker(103.92, 36.05)];
        let f = frame(&markers, 18).expect("markers");
        for m in &markers {
            let (x, y) = project(m.longitude, m.latitude, f.z);
            let (x, y) = (x - f.left, y - f.top);
            assert!((MARGIN..=WIDTH - MARGIN).contains(&x) && (MARGIN..=HEIGHT - MARGIN).contains(&y), "{x},{y}");
        }
        // One level closer and they no longer fit.
        let (a, b) = (project(103.70, 36.06, f.z + 1).0, project(103.92, 36.05, f.z + 1).0);
        assert!(b - a > WIDTH - 2.0 * MARGIN);
        assert_eq!(f.z, 12);
    }

    #[test]
    fn a_single_place_is_shown_at_street_level_and_never_past_the_servers_most_detailed_zoom() {
        assert_eq!(frame(&[marker(103.8, 36.0)], 18).expect("a marker").z, SINGLE_PLACE_ZOOM);
        assert_eq!(frame(&[marker(103.8, 36.0)], 12).expect("a marker").z, 12);
        assert_eq!(frame(&[], 18), None);
    }

    #[test]
    fn the_tiles_cover_the_whole_view_and_wrap_round_the_date_line() {
        let f = Frame { z: 2, left: -100.0, top: 10.0 };
        let covered = tiles(f);
        // Columns -1..=2 (four) by rows 0..=1 (two).
        assert_eq!(covered.len(), 8);
        assert!(covered.iter().any(|&(_, column, row, x, _)| column == 3 && row == 0 && x == -156.0));
        for (px, py) in [(0.0, 0.0), (WIDTH - 1.0, HEIGHT - 1.0), (WIDTH / 2.0, HEIGHT / 2.0)] {
            assert!(covered.iter().any(|&(_, _, _, x, y)| (x..x + TILE).contains(&px) && (y..y + TILE).contains(&py)));
        }
    }

    #[test]
    fn web_mercator_puts_known_places_on_the_tiles_every_tile_server_serves_them_on() {
        // Lanzhou's Zhongshan bridge (103.8226 E, 36.0654 N) is in tile 12/3229/1607 on
        // OpenStreetMap; the equator and prime meridian meet at the centre of the world.
        let (x, y) = project(103.8226, 36.0654, 12);
        assert_eq!(((x / TILE) as u32, (y / TILE) as u32), (3229, 1607));
        assert_eq!(project(0.0, 0.0, 1), (256.0, 256.0));
    }

    #[test]
    fn a_template_gives_its_origin_and_tile_urls() {
        let source =
            TileSource::parse("https://tiles.example.org:8443/osm/{z}/{x}/{y}.png", "© OSM", 18).expect("valid");
        assert_eq!(source.origin(), "https://tiles.example.org:8443");
        assert_eq!(source.tile_url(12, 3251, 1571), "https://tiles.example.org:8443/osm/12/3251/1571.png");
    }

    #[test]
    fn templates_that_could_not_be_tiles_or_would_break_the_csp_are_refused() {
        for bad in [
            "ftp://tiles.example.org/{z}/{x}/{y}.png",
            "https://tiles.example.org/{z}/{x}.png",
            "https://tiles.example.org/{z}/{x}/{y}.png; script-src *",
            "https://tiles.example.org/{z}/{x}/{y}.png 'unsafe-inline'",
            "/tiles/{z}/{x}/{y}.png",
        ] {
            assert!(TileSource::parse(bad, "© OSM", 18).is_err(), "{bad}");
        }
        assert!(TileSource::parse("https://t.example.org/{z}/{x}/{y}.png", " ", 18).is_err());
        assert!(TileSource::parse("https://t.example.org/{z}/{x}/{y}.png", "© OSM", 0).is_err());
    }
}
