//! Trains the work-category model shipped in `model/category.bin`.
//!
//! ```text
//! # the shipped model: every labelled set
//! scripts/train-model.sh
//! # a held-out estimate: train without the development set, score on it
//! cargo run --release --example train_classifier -- \
//!     --data data/labelled/extra.jsonl --data data/labelled/set2.jsonl \
//!     --data data/labelled/set3.jsonl --eval ../shared/eval/dev.jsonl
//! ```
//!
//! Options: `--data FILE` (repeat), `--eval FILE` (repeat), `--out FILE`,
//! `--check FILE` (exit 1 unless FILE is byte-identical to what this
//! training produces), `--min-accuracy X` (exit 1 when an `--eval` set
//! scores below X), `--epochs N` (10), `--l2 X` (3e-5), `--min-count N` (1).
//!
//! Multinomial logistic regression with AdaGrad and L2, over the features
//! the engine computes (`Engine::category_features`: character n-grams of
//! the normalised text and the rule scorers' outputs), computed with the
//! lexicon rules only. Deterministic: same data, same model, byte for byte.

use std::collections::HashMap;

use jingmin::{Category, Engine, Role, CLASSES};

struct Example {
    features: Vec<(u32, f32)>,
    label: usize,
    accepted: Vec<usize>,
}

fn load(engine: &Engine, path: &str) -> Vec<Example> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{path}:{}: {e}", n + 1));
        let msg = v["text"].as_str().unwrap_or_default();
        let role = v["role"].as_str().and_then(Role::from_name).unwrap_or(Role::Unknown);
        let cat = |s: &serde_json::Value| s.as_str().and_then(Category::from_name).map(|c| c.code() as usize);
        let Some(label) = cat(&v["category"]) else { panic!("{path}:{}: no category", n + 1) };
        let mut accepted = vec![label];
        if let Some(also) = v["also"].as_array() {
            accepted.extend(also.iter().filter_map(cat));
        }
        let mut features = engine.category_features(msg, role);
        features.sort_by_key(|f| f.0);
        features.dedup_by_key(|f| f.0);
        out.push(Example { features, label, accepted });
    }
    out
}

struct Trained {
    bias: [f32; CLASSES],
    weights: HashMap<u32, [f32; CLASSES]>,
}

impl Trained {
    fn predict(&self, x: &Example) -> usize {
        let mut s = self.bias;
        for (h, v) in &x.features {
            if let Some(w) = self.weights.get(h) {
                for k in 0..CLASSES {
                    s[k] += w[k] * v;
                }
            }
        }
        (0..CLASSES).max_by(|&a, &b| s[a].total_cmp(&s[b]).then(b.cmp(&a))).unwrap_or(0)
    }
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn train(data: &[Example], epochs: usize, l2: f32, min_count: usize) -> Trained {
    let mut counts: HashMap<u32, usize> = HashMap::new();
    for x in data {
        for (h, _) in &x.features {
            *counts.entry(*h).or_default() += 1;
        }
    }
    let mut weights: HashMap<u32, [f32; CLASSES]> = HashMap::new();
    let mut g2: HashMap<u32, [f32; CLASSES]> = HashMap::new();
    let mut bias = [0f32; CLASSES];
    let mut bias_g2 = [1e-6f32; CLASSES];
    let lr = 0.3f32;
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut seed = 0x006a_696e_676d_696e_u64;
    for _ in 0..epochs {
        for i in (1..order.len()).rev() {
            let j = (splitmix(&mut seed) % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        for &i in &order {
            let x = &data[i];
            let mut s = bias;
            for (h, v) in &x.features {
                if counts.get(h).copied().unwrap_or(0) < min_count {
                    continue;
                }
                if let Some(w) = weights.get(h) {
                    for k in 0..CLASSES {
                        s[k] += w[k] * v;
                    }
                }
            }
            let max = s.iter().copied().fold(f32::MIN, f32::max);
            let mut p = [0f32; CLASSES];
            let mut z = 0f32;
            for k in 0..CLASSES {
                p[k] = (s[k] - max).exp();
                z += p[k];
            }
            let mut grad = [0f32; CLASSES];
            for k in 0..CLASSES {
                grad[k] = p[k] / z - if k == x.label { 1.0 } else { 0.0 };
            }
            for k in 0..CLASSES {
                bias_g2[k] += grad[k] * grad[k];
                bias[k] -= lr * grad[k] / bias_g2[k].sqrt();
            }
            for (h, v) in &x.features {
                if counts.get(h).copied().unwrap_or(0) < min_count {
                    continue;
                }
                let w = weights.entry(*h).or_insert([0.0; CLASSES]);
                let g = g2.entry(*h).or_insert([1e-6; CLASSES]);
                for k in 0..CLASSES {
                    let gk = grad[k] * v + l2 * w[k];
                    g[k] += gk * gk;
                    w[k] -= lr * gk / g[k].sqrt();
                }
            }
        }
    }
    weights.retain(|_, w| w.iter().any(|x| x.abs() >= 0.01));
    Trained { bias, weights }
}

fn accuracy(model: &Trained, data: &[Example]) -> f64 {
    let ok = data.iter().filter(|x| x.accepted.contains(&model.predict(x))).count();
    ok as f64 / data.len().max(1) as f64
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut data_paths = Vec::new();
    let mut eval_paths = Vec::new();
    let mut out = None;
    let mut epochs = 10usize;
    let mut l2 = 3e-5f32;
    let mut min_count = 1usize;
    let mut check = None;
    let mut min_accuracy: Option<f64> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = || it.next().cloned().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--data" => data_paths.push(val()),
            "--eval" => eval_paths.push(val()),
            "--out" => out = Some(val()),
            "--epochs" => epochs = val().parse().expect("--epochs takes a number"),
            "--l2" => l2 = val().parse().expect("--l2 takes a number"),
            "--min-count" => min_count = val().parse().expect("--min-count takes a number"),
            "--check" => check = Some(val()),
            "--min-accuracy" => min_accuracy = Some(val().parse().expect("--min-accuracy takes a number")),
            other => panic!("unknown argument {other}"),
        }
    }
    assert!(!data_paths.is_empty(), "give at least one --data FILE");
    let engine = Engine::builder().rules_only().build().expect("default engine");
    let mut data = Vec::new();
    for p in &data_paths {
        data.extend(load(&engine, p));
    }
    let model = train(&data, epochs, l2, min_count);
    println!("trained on {} messages: {} features, training accuracy {:.3}", data.len(), model.weights.len(), accuracy(&model, &data));
    let mut failed = false;
    for p in &eval_paths {
        let ev = load(&engine, p);
        let acc = accuracy(&model, &ev);
        println!("{p}: category accuracy {acc:.3} over {} messages", ev.len());
        if let Some(min) = min_accuracy {
            if acc < min {
                println!("{p}: held-out category accuracy {acc:.3} is below the floor {min}");
                failed = true;
            }
        }
    }
    let feats: Vec<(u32, [f32; CLASSES])> = model.weights.iter().map(|(h, w)| (*h, *w)).collect();
    let bytes = jingmin::write_model(&model.bias, &feats);
    if let Some(path) = out {
        std::fs::write(&path, &bytes).unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
        println!("wrote {path} ({} bytes)", bytes.len());
    }
    if let Some(path) = check {
        let committed = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
        if committed == bytes {
            println!("{path} is what this training produces");
        } else {
            println!("{path} differs from what this training produces: retrain and commit it");
            failed = true;
        }
    }
    if failed {
        std::process::exit(1);
    }
}
