//! A real-ish extension module for the benchmarks: JSON records, regular expressions and a
//! little arithmetic, so the build pulls in serde, serde_json and regex next to pyo3.

use std::collections::BTreeMap;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use regex::Regex;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct Record {
    name: String,
    tags: Vec<String>,
    score: f64,
}

/// Parses a JSON list of records and returns (name, score) pairs sorted by score, best first.
#[pyfunction]
fn rank(records_json: &str) -> PyResult<Vec<(String, f64)>> {
    let records: Vec<Record> =
        serde_json::from_str(records_json).map_err(|e| PyValueError::new_err(e.to_string()))?;
    let mut ranked: Vec<(String, f64)> = records.into_iter().map(|r| (r.name, r.score)).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    Ok(ranked)
}

/// Counts how often each tag occurs in a JSON list of records; returns the counts as JSON.
#[pyfunction]
fn tag_counts(records_json: &str) -> PyResult<String> {
    let records: Vec<Record> =
        serde_json::from_str(records_json).map_err(|e| PyValueError::new_err(e.to_string()))?;
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for tag in records.iter().flat_map(|r| r.tags.iter()) {
        *counts.entry(tag.clone()).or_default() += 1;
    }
    serde_json::to_string(&counts).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Every match of `pattern` in `text`, with its start and end offsets.
#[pyfunction]
fn find_all(pattern: &str, text: &str) -> PyResult<Vec<(usize, usize, String)>> {
    let re = Regex::new(pattern).map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(re
        .find_iter(text)
        .map(|m| (m.start(), m.end(), m.as_str().to_owned()))
        .collect())
}

/// Mean and population standard deviation of a list of numbers.
#[pyfunction]
fn stats(values: Vec<f64>) -> PyResult<(f64, f64)> {
    if values.is_empty() {
        return Err(PyValueError::new_err("stats() needs at least one value"));
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    Ok((mean, var.sqrt()))
}

/// A record made in Rust, serialized to JSON.
#[pyfunction]
#[pyo3(signature = (name, score, tags = Vec::new()))]
fn make_record(name: String, score: f64, tags: Vec<String>) -> PyResult<String> {
    let record = Record { name, tags, score };
    serde_json::to_string_pretty(&record).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Embedded data of the audit benchmark (see the `blob` feature in Cargo.toml).
#[cfg(feature = "blob")]
static BLOB: &[u8] = include_bytes!("../blob.bin");

/// Size and a checksum of the embedded benchmark data (0, 0 without the `blob` feature).
#[pyfunction]
fn blob_info() -> (usize, u64) {
    #[cfg(feature = "blob")]
    let data: &[u8] = std::hint::black_box(BLOB);
    #[cfg(not(feature = "blob"))]
    let data: &[u8] = &[];
    (data.len(), data.iter().step_by(4096).map(|&b| u64::from(b)).sum())
}

/// The bench-large example module.
#[pymodule]
fn bench_large(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(rank, m)?)?;
    m.add_function(wrap_pyfunction!(tag_counts, m)?)?;
    m.add_function(wrap_pyfunction!(find_all, m)?)?;
    m.add_function(wrap_pyfunction!(stats, m)?)?;
    m.add_function(wrap_pyfunction!(make_record, m)?)?;
    m.add_function(wrap_pyfunction!(blob_info, m)?)?;
    Ok(())
}
