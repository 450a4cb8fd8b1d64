//! Chart geometry for server-rendered SVG: pure arithmetic, so it is tested without a browser and
//! the page needs no JavaScript to draw.

/// The drawing area, in SVG user units (the SVG scales to its container).
pub const WIDTH: f64 = 640.0;
pub const HEIGHT: f64 = 300.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Quantities: bars from zero.
    Bars,
    /// Indices and rates: a line over a range that fits the values.
    Line,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub y: f64,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// Centre of the mark, for the x-axis label.
    pub centre: f64,
    pub label: String,
    /// Whether to print this mark's label (every label when they fit, else every other one).
    pub labelled: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Geometry {
    pub ticks: Vec<Tick>,
    pub marks: Vec<Mark>,
    /// `points` attribute of the line, for line charts.
    pub line: String,
    pub baseline: f64,
    pub plot_left: f64,
    pub plot_right: f64,
}

/// A step of 1, 2, 2.5 or 5 times a power of ten that splits `span` into about `parts` parts.
fn nice_step(span: f64, parts: f64) -> f64 {
    if span <= 0.0 || !span.is_finite() {
        return 1.0;
    }
    let raw = span / parts;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].into_iter().map(|m| m * magnitude).find(|s| *s >= raw);
    step.unwrap_or(10.0 * magnitude)
}

pub fn format_number(value: f64) -> String {
    if (value - value.round()).abs() < 1e-9 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

pub fn geometry(points: &[(String, f64)], kind: ChartKind) -> Geometry {
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let values: Vec<f64> = points.iter().map(|(_, v)| *v).collect();
    let max = values.iter().copied().fold(f64::MIN, f64::max);
    let min = values.iter().copied().fold(f64::MAX, f64::min);
    let (low, high, step) = match kind {
        ChartKind::Bars => {
            let step = nice_step(max.max(0.0), 4.0);
            (0.0, (max / step).ceil().max(1.0) * step, step)
        }
        ChartKind::Line => {
            let step = nice_step((max - min).max(1e-9), 4.0);
            let low = (min / step).floor() * step;
            let high = ((max / step).ceil() * step).max(low + step);
            (low, high, step)
        }
    };
    let y_of = |v: f64| TOP + plot_h * (1.0 - (v - low) / (high - low));
    let mut ticks = Vec::new();
    let mut v = low;
    while v <= high + step / 2.0 {
        ticks.push(Tick { y: round2(y_of(v)), label: format_number(v) });
        v += step;
    }
    let n = points.len().max(1) as f64;
    let slot = plot_w / n;
    let every = if slot >= 44.0 { 1 } else { 2 };
    let marks = points
        .iter()
        .enumerate()
        .map(|(i, (label, value))| {
            let centre = LEFT + slot * (i as f64 + 0.5);
            let width = slot * 0.62;
            let top = y_of(*value);
            Mark {
                x: round2(centre - width / 2.0),
                y: round2(top),
                width: round2(width),
                height: round2((y_of(low) - top).max(0.0)),
                centre: round2(centre),
                label: label.clone(),
                // Always label the last (most recent) period.
                labelled: (points.len() - 1 - i).is_multiple_of(every),
            }
        })
        .collect::<Vec<_>>();
    let line = marks.iter().map(|m| format!("{},{}", m.centre, m.y)).collect::<Vec<_>>().join(" ");
    Geometry { ticks, marks, line, baseline: round2(y_of(low)), plot_left: LEFT, plot_right: WIDTH - RIGHT }
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(values: &[f64]) -> Vec<(String, f64)> {
        values.iter().enumerate().map(|(i, v)| ((2014 + i).to_string(), *v)).collect()
    }

    #[test]
    fn steps_are_round_numbers() {
        assert_eq!(nice_step(3781.0, 4.0), 1000.0);
        assert_eq!(nice_step(443.6, 4.0), 200.0);
        assert_eq!(nice_step(2.4, 4.0), 1.0);
        assert_eq!(nice_step(0.0, 4.0), 1.0);
    }

    #[test]
    fn bars_start_at_zero_and_the_tallest_fits() {
        let g = geometry(&series(&[2000.9, 2095.9, 3781.0]), ChartKind::Bars);
        assert_eq!(g.ticks.first().map(|t| t.label.as_str()), Some("0"));
        assert_eq!(g.ticks.last().map(|t| t.label.as_str()), Some("4000"));
        let tallest = &g.marks[2];
        assert!(tallest.y >= TOP && tallest.height > g.marks[0].height);
        assert!((tallest.y + tallest.height - g.baseline).abs() < 0.01, "bars stand on the baseline");
        assert!(g.marks.iter().all(|m| m.x >= LEFT && m.x + m.width <= WIDTH - RIGHT));
    }

    #[test]
    fn lines_fit_the_range_and_crowded_labels_thin_out_keeping_the_latest() {
        let cpi = series(&[102.3, 101.6, 101.8, 101.5, 102.0, 102.5, 102.0, 101.0, 102.1, 100.3, 100.2, 100.1]);
        let g = geometry(&cpi, ChartKind::Line);
        assert_eq!(g.ticks.first().map(|t| t.label.as_str()), Some("100"));
        assert!(g.ticks.last().is_some_and(|t| t.label.parse::<f64>().unwrap_or(0.0) >= 102.5));
        assert_eq!(g.line.split(' ').count(), 12);
        assert!(g.marks.iter().all(|m| m.labelled), "twelve years fit");
        let quarters = geometry(&series(&[1.0; 24]), ChartKind::Line);
        assert!(quarters.marks.last().is_some_and(|m| m.labelled));
        assert_eq!(quarters.marks.iter().filter(|m| m.labelled).count(), 12);
    }

    #[test]
    fn numbers_keep_one_decimal_only_when_needed() {
        assert_eq!(format_number(3781.0), "3781");
        assert_eq!(format_number(2000.94), "2000.9");
        assert_eq!(format_number(100.26), "100.3");
    }
}
