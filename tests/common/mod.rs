//! Helpers shared by the test binaries that compare a report with a hand-written truth.

use serde_json::Value;

/// Every field where `got` differs from `want`, with its path.
pub fn differences(path: &str, got: &Value, want: &Value, out: &mut Vec<String>) {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            for (key, w) in w {
                differences(
                    &format!("{path}.{key}"),
                    g.get(key).unwrap_or(&Value::Null),
                    w,
                    out,
                );
            }
            for key in g.keys().filter(|k| !w.contains_key(*k)) {
                out.push(format!("{path}.{key}: not in the truth ({})", g[key]));
            }
        }
        (Value::Array(g), Value::Array(w)) => {
            if g.len() != w.len() {
                out.push(format!("{path}: {} items, truth has {}", g.len(), w.len()));
            }
            for (i, (g, w)) in g.iter().zip(w).enumerate() {
                differences(&format!("{path}[{i}]"), g, w, out);
            }
        }
        _ if got != want => out.push(format!("{path}:\n    got  {got}\n    want {want}")),
        _ => {}
    }
}
