//! A real-ish extension module with about a hundred dependencies (the pyo3 stack, serde,
//! regex, rayon, chrono, url with its ICU tables, tokio, sha2, flate2, rand, uuid, csv,
//! toml...), so the benchmarks see what a crate with a heavy dependency tree costs.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use base64::Engine;
use itertools::Itertools;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rand::{Rng, SeedableRng};
use rayon::prelude::*;
use regex::Regex;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, thiserror::Error)]
enum Problem {
    #[error("bad input: {0}")]
    Bad(String),
}

fn value_error(e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(e.to_string())
}

#[derive(Serialize, Deserialize)]
struct Record {
    name: String,
    url: String,
    score: f64,
}

/// Parses CSV rows `name,url,score` and returns them as JSON, with each URL normalised.
#[pyfunction]
fn csv_to_json(text: &str) -> PyResult<String> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    let mut records = Vec::new();
    for row in reader.records() {
        let row = row.map_err(value_error)?;
        let parsed = url::Url::parse(row.get(1).unwrap_or("")).map_err(value_error)?;
        let score: f64 = row.get(2).unwrap_or("0").trim().parse().map_err(value_error)?;
        records.push(Record { name: row.get(0).unwrap_or("").into(), url: parsed.into(), score });
    }
    serde_json::to_string(&records).map_err(value_error)
}

/// The SHA-256 of each string, computed in parallel, as hex.
#[pyfunction]
fn digests(items: Vec<String>) -> Vec<String> {
    items
        .par_iter()
        .map(|s| Sha256::digest(s.as_bytes()).iter().map(|b| format!("{b:02x}")).join(""))
        .collect()
}

/// Deflates then inflates `data`, returning (compressed size, base64 of the compressed bytes).
#[pyfunction]
fn roundtrip(data: &[u8]) -> PyResult<(usize, String)> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).map_err(value_error)?;
    let packed = encoder.finish().map_err(value_error)?;
    let mut back = Vec::new();
    flate2::read::ZlibDecoder::new(&packed[..]).read_to_end(&mut back).map_err(value_error)?;
    if back != data {
        return Err(value_error(Problem::Bad("inflate gave other bytes".into())));
    }
    Ok((packed.len(), base64::engine::general_purpose::STANDARD.encode(&packed)))
}

/// Counts words matching `pattern` in a TOML document's string values, sorted by key.
#[pyfunction]
fn toml_matches(document: &str, pattern: &str) -> PyResult<Vec<(String, usize)>> {
    let table: toml::Table = document.parse().map_err(value_error)?;
    let regex = Regex::new(pattern).map_err(value_error)?;
    let mut counts = indexmap::IndexMap::new();
    for (key, value) in table.iter().sorted_by(|a, b| a.0.cmp(b.0)) {
        if let Some(text) = value.as_str() {
            counts.insert(key.clone(), regex.find_iter(text).count());
        }
    }
    Ok(counts.into_iter().collect())
}

/// `n` seeded random integers below 100 and how often each occurs.
#[pyfunction]
fn histogram(n: usize, seed: u64) -> BTreeMap<u32, usize> {
    let mut generator = rand::rngs::StdRng::seed_from_u64(seed);
    let mut counts = BTreeMap::new();
    for _ in 0..n {
        *counts.entry(generator.gen_range(0..100)).or_insert(0) += 1;
    }
    counts
}

/// Sums 0..n on a small tokio runtime, one task per chunk of 1000.
#[pyfunction]
fn async_sum(n: u64) -> PyResult<u64> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .map_err(value_error)?;
    let total: anyhow::Result<u64> = runtime.block_on(async move {
        let mut tasks = Vec::new();
        for start in (0..n).step_by(1000) {
            tasks.push(tokio::spawn(async move { (start..(start + 1000).min(n)).sum::<u64>() }));
        }
        let mut total = 0;
        for task in tasks {
            total += task.await?;
        }
        Ok(total)
    });
    total.map_err(value_error)
}

/// A fresh random UUID and today's date (UTC), as strings.
#[pyfunction]
fn stamp() -> (String, String) {
    (uuid::Uuid::new_v4().to_string(), chrono::Utc::now().format("%Y-%m-%d").to_string())
}

#[pymodule]
fn bench_heavy(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(csv_to_json, m)?)?;
    m.add_function(wrap_pyfunction!(digests, m)?)?;
    m.add_function(wrap_pyfunction!(roundtrip, m)?)?;
    m.add_function(wrap_pyfunction!(toml_matches, m)?)?;
    m.add_function(wrap_pyfunction!(histogram, m)?)?;
    m.add_function(wrap_pyfunction!(async_sum, m)?)?;
    m.add_function(wrap_pyfunction!(stamp, m)?)?;
    Ok(())
}
