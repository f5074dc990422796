//! Charts as SVG text, drawn on the server so that they read without
//! JavaScript; titled and described for screen readers.

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A line of scores (0-100) by year; a year without a score breaks the line.
/// `label` formats a value for the points' tooltips.
pub fn trend(
    id: &str,
    title: &str,
    description: &str,
    points: &[(i32, Option<f64>)],
    label: impl Fn(f64) -> String,
) -> String {
    const W: f64 = 640.0;
    const H: f64 = 240.0;
    const LEFT: f64 = 44.0;
    const RIGHT: f64 = 16.0;
    const TOP: f64 = 12.0;
    const BOTTOM: f64 = 32.0;
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let n = points.len().max(1);
    let x = |i: usize| {
        if n == 1 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + plot_w * i as f64 / (n - 1) as f64
        }
    };
    let y = |v: f64| TOP + plot_h * (1.0 - v.clamp(0.0, 100.0) / 100.0);
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(title),
        escape(description)
    );
    for tick in [0.0, 25.0, 50.0, 75.0, 100.0] {
        svg.push_str(&format!(
            "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/><text class=\"axis\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{tick}</text>",
            W - RIGHT,
            LEFT - 6.0,
            y(tick) + 4.0,
            y = y(tick)
        ));
    }
    for (i, (year, _)) in points.iter().enumerate() {
        svg.push_str(&format!(
            "<text class=\"axis\" x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{year}</text>",
            x(i),
            H - 10.0
        ));
    }
    // One polyline per unbroken run of years with a score.
    let mut run: Vec<String> = Vec::new();
    let mut lines = Vec::new();
    for (i, (_, v)) in points.iter().enumerate() {
        match v {
            Some(v) => run.push(format!("{:.1},{:.1}", x(i), y(*v))),
            None => lines.push(std::mem::take(&mut run)),
        }
    }
    lines.push(run);
    for line in lines.into_iter().filter(|l| l.len() > 1) {
        svg.push_str(&format!(
            "<polyline class=\"line\" points=\"{}\"/>",
            line.join(" ")
        ));
    }
    for (i, (year, v)) in points.iter().enumerate() {
        if let Some(v) = v {
            svg.push_str(&format!(
                "<circle class=\"point\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\"><title>{year}: {}</title></circle>",
                x(i),
                y(*v),
                escape(&label(*v))
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trend_places_points_on_the_scale_and_breaks_at_gaps() {
        let svg = trend(
            "t",
            "Total <by> year",
            "d",
            &[
                (2019, Some(0.0)),
                (2020, Some(100.0)),
                (2021, None),
                (2022, Some(50.0)),
            ],
            |v| format!("{v:.1}"),
        );
        assert!(svg.contains("<title id=\"t-title\">Total &lt;by&gt; year</title>"));
        // 0 sits on the bottom of the plot (240 - 32), 100 on the top (12).
        assert!(
            svg.contains("<circle class=\"point\" cx=\"44.0\" cy=\"208.0\""),
            "{svg}"
        );
        assert!(
            svg.contains("cy=\"12.0\" r=\"4\"><title>2020: 100.0</title>"),
            "{svg}"
        );
        assert_eq!(
            svg.matches("<polyline").count(),
            1,
            "2022 stands alone after the gap"
        );
        assert_eq!(svg.matches("<circle").count(), 3);
    }
}
