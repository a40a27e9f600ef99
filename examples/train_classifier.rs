//! Trains the models shipped in `model/`: the work-category model
//! (`category.bin`) and the fraud model (`fraud.bin`: stance and type).
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
//! Options: `--data FILE` (repeat), `--eval FILE` (repeat), `--out FILE`
//! (the category model), `--fraud-out FILE` (the fraud model),
//! `--check-fraud FILE`, `--predict SET` (repeat: write SET's analyses by
//! the models just trained, for held-out scoring),
//! `--no-augment` (no role-blind copies), `--check FILE` (exit 1 unless FILE is byte-identical to what this
//! training produces), `--min-accuracy X` (exit 1 when an `--eval` set
//! scores below X), `--epochs N` (10), `--l2 X` (3e-5), `--min-count N` (1).
//!
//! Multinomial logistic regression with AdaGrad and L2, over the features
//! the engine computes (`Engine::category_features`: character n-grams of
//! the normalised text and the rule scorers' outputs), computed with the
//! lexicon rules only. Deterministic: same data, same model, byte for byte.

use std::collections::HashMap;

use jingmin::{Category, Engine, Role, Stance, CLASSES, FRAUD_CLASSES, FRAUD_TYPES};

struct Example {
    features: Vec<(u32, f32)>,
    label: usize,
    accepted: Vec<usize>,
    /// Stance code (0 none … 4 victim report).
    stance: usize,
    /// Indices into FRAUD_TYPES of the labelled types, primary first.
    types: Vec<usize>,
}

fn type_index(name: &str) -> Option<usize> {
    FRAUD_TYPES.iter().position(|t| t.name() == name)
}

fn load(engine: &Engine, path: &str, augment: bool) -> Vec<Example> {
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
        let stance = v["stance"].as_str().and_then(Stance::from_name).map_or(0, |s| s.code() as usize);
        let types: Vec<usize> =
            v["fraud_types"].as_array().map(|a| a.iter().filter_map(|t| t.as_str().and_then(type_index)).collect()).unwrap_or_default();
        let mut features = engine.category_features(msg, role);
        features.sort_by_key(|f| f.0);
        features.dedup_by_key(|f| f.0);
        out.push(Example { features, label, accepted: accepted.clone(), stance, types: types.clone() });
        // Exports often do not say who is police: a role-blind copy of every
        // other message, so that the model does not read `unknown` as "an
        // outsider" (all of them would cost accuracy where the role is known).
        if augment && role != Role::Unknown && n % 2 == 0 {
            let mut features = engine.category_features(msg, Role::Unknown);
            features.sort_by_key(|f| f.0);
            features.dedup_by_key(|f| f.0);
            out.push(Example { features, label, accepted, stance, types });
        }
    }
    out
}

struct Trained<const K: usize> {
    bias: [f32; K],
    weights: HashMap<u32, [f32; K]>,
}

impl<const K: usize> Trained<K> {
    fn predict(&self, x: &Example) -> usize {
        let mut s = self.bias;
        for (h, v) in &x.features {
            if let Some(w) = self.weights.get(h) {
                for k in 0..K {
                    s[k] += w[k] * v;
                }
            }
        }
        (0..K).max_by(|&a, &b| s[a].total_cmp(&s[b]).then(b.cmp(&a))).unwrap_or(0)
    }
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Multinomial logistic regression of `label(x)` over the examples it
/// gives a label for.
fn train<const K: usize>(
    data: &[Example],
    label: impl Fn(&Example) -> Option<usize>,
    epochs: usize,
    l2: f32,
    min_count: usize,
) -> Trained<K> {
    let data: Vec<(&Example, usize)> = data.iter().filter_map(|x| label(x).map(|l| (x, l))).collect();
    let mut counts: HashMap<u32, usize> = HashMap::new();
    for (x, _) in &data {
        for (h, _) in &x.features {
            *counts.entry(*h).or_default() += 1;
        }
    }
    let mut weights: HashMap<u32, [f32; K]> = HashMap::new();
    let mut g2: HashMap<u32, [f32; K]> = HashMap::new();
    let mut bias = [0f32; K];
    let mut bias_g2 = [1e-6f32; K];
    let lr = 0.3f32;
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut seed = 0x006a_696e_676d_696e_u64;
    for _ in 0..epochs {
        for i in (1..order.len()).rev() {
            let j = (splitmix(&mut seed) % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        for &i in &order {
            let (x, label) = data[i];
            let mut s = bias;
            for (h, v) in &x.features {
                if counts.get(h).copied().unwrap_or(0) < min_count {
                    continue;
                }
                if let Some(w) = weights.get(h) {
                    for k in 0..K {
                        s[k] += w[k] * v;
                    }
                }
            }
            let max = s.iter().copied().fold(f32::MIN, f32::max);
            let mut p = [0f32; K];
            let mut z = 0f32;
            for k in 0..K {
                p[k] = (s[k] - max).exp();
                z += p[k];
            }
            let mut grad = [0f32; K];
            for k in 0..K {
                grad[k] = p[k] / z - if k == label { 1.0 } else { 0.0 };
            }
            for k in 0..K {
                bias_g2[k] += grad[k] * grad[k];
                bias[k] -= lr * grad[k] / bias_g2[k].sqrt();
            }
            for (h, v) in &x.features {
                if counts.get(h).copied().unwrap_or(0) < min_count {
                    continue;
                }
                let w = weights.entry(*h).or_insert([0.0; K]);
                let g = g2.entry(*h).or_insert([1e-6; K]);
                for k in 0..K {
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

fn accuracy(model: &Trained<CLASSES>, data: &[Example]) -> f64 {
    let ok = data.iter().filter(|x| x.accepted.contains(&model.predict(x))).count();
    ok as f64 / data.len().max(1) as f64
}

/// The fraud model: the stance head over every message and the type head
/// over the fraud-related ones, merged into one table of FRAUD_CLASSES
/// weights per feature (stances first).
fn train_fraud(data: &[Example], epochs: usize, l2: f32, min_count: usize) -> Trained<FRAUD_CLASSES> {
    let stance: Trained<5> = train(data, |x| Some(x.stance), epochs, l2, min_count);
    let types: Trained<18> = train(data, |x| x.types.first().copied(), epochs, l2, min_count);
    let mut bias = [0f32; FRAUD_CLASSES];
    bias[..5].copy_from_slice(&stance.bias);
    bias[5..].copy_from_slice(&types.bias);
    let mut weights: HashMap<u32, [f32; FRAUD_CLASSES]> = HashMap::new();
    for (h, w) in &stance.weights {
        weights.entry(*h).or_insert([0.0; FRAUD_CLASSES])[..5].copy_from_slice(w);
    }
    for (h, w) in &types.weights {
        weights.entry(*h).or_insert([0.0; FRAUD_CLASSES])[5..].copy_from_slice(w);
    }
    Trained { bias, weights }
}

/// Stance accuracy, fraud precision and recall, and primary-type accuracy
/// of the fraud model on labelled examples.
fn fraud_figures(model: &Trained<FRAUD_CLASSES>, data: &[Example]) -> (f64, f64, f64, f64) {
    let (mut stance_ok, mut tp, mut fp, mut fneg, mut type_ok, mut pos) = (0usize, 0usize, 0usize, 0usize, 0usize, 0usize);
    for x in data {
        let mut s = model.bias;
        for (h, v) in &x.features {
            if let Some(w) = model.weights.get(h) {
                for k in 0..FRAUD_CLASSES {
                    s[k] += w[k] * v;
                }
            }
        }
        let st = (0..5).max_by(|&a, &b| s[a].total_cmp(&s[b]).then(b.cmp(&a))).unwrap_or(0);
        let ty = (5..FRAUD_CLASSES).max_by(|&a, &b| s[a].total_cmp(&s[b]).then(b.cmp(&a))).unwrap_or(5) - 5;
        stance_ok += usize::from(st == x.stance);
        let (pred, gold) = (st != 0, !x.types.is_empty());
        match (pred, gold) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fneg += 1,
            _ => {}
        }
        if gold {
            pos += 1;
            type_ok += usize::from(x.types.contains(&ty));
        }
    }
    let n = data.len().max(1) as f64;
    let div = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    (stance_ok as f64 / n, div(tp, tp + fp), div(tp, tp + fneg), div(type_ok, pos))
}

fn write_or_check(bytes: &[u8], out: Option<&String>, check: Option<&String>) -> bool {
    if let Some(path) = out {
        std::fs::write(path, bytes).unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
        println!("wrote {path} ({} bytes)", bytes.len());
    }
    if let Some(path) = check {
        let committed = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
        if committed == bytes {
            println!("{path} is what this training produces");
        } else {
            println!("{path} differs from what this training produces: retrain and commit it");
            return false;
        }
    }
    true
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
    let mut fraud_out = None;
    let mut check_fraud = None;
    let mut predict = Vec::new();
    let mut augment = true;
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
            "--fraud-out" => fraud_out = Some(val()),
            "--check-fraud" => check_fraud = Some(val()),
            "--predict" => predict.push(val()),
            "--no-augment" => augment = false,
            "--min-accuracy" => min_accuracy = Some(val().parse().expect("--min-accuracy takes a number")),
            other => panic!("unknown argument {other}"),
        }
    }
    assert!(!data_paths.is_empty(), "give at least one --data FILE");
    let engine = Engine::builder().rules_only().build().expect("default engine");
    let mut data = Vec::new();
    for p in &data_paths {
        data.extend(load(&engine, p, augment));
    }
    let model: Trained<CLASSES> = train(&data, |x| Some(x.label), epochs, l2, min_count);
    println!("trained on {} messages: {} features, training accuracy {:.3}", data.len(), model.weights.len(), accuracy(&model, &data));
    let fraud = train_fraud(&data, epochs, l2, min_count);
    let (sa, fp, fr, ta) = fraud_figures(&fraud, &data);
    println!("fraud model: {} features; training stance {sa:.3}, fraud precision {fp:.3} recall {fr:.3}, type {ta:.3}", fraud.weights.len());
    let mut failed = false;
    for p in &eval_paths {
        let ev = load(&engine, p, false);
        let acc = accuracy(&model, &ev);
        let (sa, fp, fr, ta) = fraud_figures(&fraud, &ev);
        println!("{p}: category accuracy {acc:.3}, stance {sa:.3}, fraud precision {fp:.3} recall {fr:.3}, type {ta:.3} over {} messages", ev.len());
        if let Some(min) = min_accuracy {
            if acc < min {
                println!("{p}: held-out category accuracy {acc:.3} is below the floor {min}");
                failed = true;
            }
        }
    }
    let feats: Vec<(u32, [f32; CLASSES])> = model.weights.iter().map(|(h, w)| (*h, *w)).collect();
    let bytes = jingmin::write_model(&model.bias, &feats);
    failed |= !write_or_check(&bytes, out.as_ref(), check.as_ref());
    let ffeats: Vec<(u32, [f32; FRAUD_CLASSES])> = fraud.weights.iter().map(|(h, w)| (*h, *w)).collect();
    let fbytes = jingmin::write_model(&fraud.bias, &ffeats);
    failed |= !write_or_check(&fbytes, fraud_out.as_ref(), check_fraud.as_ref());
    // Analyses of other sets with the models just trained (held-out
    // measurement): `--predict SET` writes SET's analyses to `SET.pred`
    // under the directory of `--out`, or beside SET.
    if !predict.is_empty() {
        let trained = Engine::builder().models(&bytes, &fbytes).and_then(|b| b.build()).expect("the trained models load");
        for p in &predict {
            let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("cannot read {p}: {e}"));
            let name = std::path::Path::new(p).file_stem().and_then(|s| s.to_str()).unwrap_or("set");
            let dir = out.as_ref().and_then(|o| std::path::Path::new(o).parent()).map(|d| d.to_path_buf()).unwrap_or_default();
            let dest = dir.join(format!("{name}.pred.jsonl"));
            let mut w = String::new();
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let m: jingmin::Message = serde_json::from_str(line).unwrap_or_else(|e| panic!("{p}: {e}"));
                let mut a = trained.analyze_with(&m.text, &jingmin::AnalyzeOptions { role: m.role, raw: true });
                a.id = m.id.clone();
                w.push_str(&serde_json::to_string(&a).expect("serialisable"));
                w.push('\n');
            }
            std::fs::write(&dest, w).unwrap_or_else(|e| panic!("cannot write {}: {e}", dest.display()));
            println!("wrote {}", dest.display());
        }
    }
    if failed {
        std::process::exit(1);
    }
}
