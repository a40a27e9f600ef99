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
//! `--augment-every N` (2: a role-blind copy of one message in N whose
//! role is known; `--no-augment`: none), `--blind` (score the `--eval` sets
//! as if no role were known), `--check FILE` (exit 1 unless FILE is byte-identical to what this
//! training produces), `--min-accuracy X` (exit 1 when an `--eval` set
//! scores below X), `--c X` (1, the SVM's cost), `--temperature X` (3), `--min-count N`
//! (1).
//!
//! Linear support vector machines, one class against the rest (squared
//! hinge loss, L2, solved in the dual by coordinate descent, as
//! LIBLINEAR does), over the features the engine computes
//! (`Engine::model_inputs`): character n-grams of the normalised text as
//! normalised TF-IDF (`jingmin::ngram_values`; the vocabulary is every
//! n-gram in at least `--min-count` training messages), the sender's
//! role and the rule scorers' category cues and facts of the text,
//! computed with the lexicon rules only. The scores are
//! multiplied by `--temperature` so that their softmax reads as a
//! probability. Deterministic: same data, same model, byte for byte.

use std::collections::HashMap;

use jingmin::{Category, Engine, Role, Stance, CLASSES, FRAUD_CLASSES, FRAUD_TYPES};

/// A labelled message as the engine reads it.
struct Raw {
    grams: Vec<u32>,
    named: Vec<(u32, f32)>,
    label: usize,
    accepted: Vec<usize>,
    /// Stance code (0 none … 4 victim report).
    stance: usize,
    /// Indices into FRAUD_TYPES of the labelled types, primary first.
    types: Vec<usize>,
}

/// A message as the trainer reads it: feature indices and values.
struct Example {
    x: Vec<(u32, f32)>,
    label: usize,
    accepted: Vec<usize>,
    stance: usize,
    types: Vec<usize>,
}

fn type_index(name: &str) -> Option<usize> {
    FRAUD_TYPES.iter().position(|t| t.name() == name)
}

fn load(engine: &Engine, path: &str, augment_every: usize, blind: bool) -> Vec<Raw> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{path}:{}: {e}", n + 1));
        let msg = v["text"].as_str().unwrap_or_default();
        let mut role = v["role"].as_str().and_then(Role::from_name).unwrap_or(Role::Unknown);
        if blind {
            role = Role::Unknown;
        }
        let cat = |s: &serde_json::Value| s.as_str().and_then(Category::from_name).map(|c| c.code() as usize);
        let Some(label) = cat(&v["category"]) else { panic!("{path}:{}: no category", n + 1) };
        let mut accepted = vec![label];
        if let Some(also) = v["also"].as_array() {
            accepted.extend(also.iter().filter_map(cat));
        }
        let stance = v["stance"].as_str().and_then(Stance::from_name).map_or(0, |s| s.code() as usize);
        let types: Vec<usize> =
            v["fraud_types"].as_array().map(|a| a.iter().filter_map(|t| t.as_str().and_then(type_index)).collect()).unwrap_or_default();
        let (grams, named) = engine.model_inputs(msg, role);
        out.push(Raw { grams, named, label, accepted: accepted.clone(), stance, types: types.clone() });
        // Exports often do not say who is police: a role-blind copy of every
        // other message, so that the model does not read `unknown` as "an
        // outsider" (all of them would cost accuracy where the role is known).
        if augment_every > 0 && role != Role::Unknown && n % augment_every == 0 {
            let (grams, named) = engine.model_inputs(msg, Role::Unknown);
            out.push(Raw { grams, named, label, accepted, stance, types });
        }
    }
    out
}

/// The features of the training data: the n-gram vocabulary with its idf,
/// then the named features, each with an index.
struct Vocab {
    grams: Vec<(u32, f32)>,
    gram_index: HashMap<u32, u32>,
    named: Vec<u32>,
    named_index: HashMap<u32, u32>,
}

impl Vocab {
    fn build(data: &[Raw], min_count: usize) -> Vocab {
        let mut df: HashMap<u32, usize> = HashMap::new();
        let mut named_seen: Vec<u32> = Vec::new();
        for x in data {
            let mut g = x.grams.clone();
            g.sort_unstable();
            g.dedup();
            for h in g {
                *df.entry(h).or_default() += 1;
            }
            named_seen.extend(x.named.iter().map(|f| f.0));
        }
        let n = data.len() as f32;
        let mut grams: Vec<(u32, f32)> = df
            .into_iter()
            .filter(|(_, c)| *c >= min_count.max(1))
            .map(|(h, c)| (h, jingmin::quantise_idf(((1.0 + n) / (1.0 + c as f32)).ln() + 1.0)))
            .collect();
        grams.sort_by_key(|g| g.0);
        let gram_index = grams.iter().enumerate().map(|(i, g)| (g.0, i as u32)).collect();
        named_seen.sort_unstable();
        named_seen.dedup();
        let base = grams.len() as u32;
        let named_index = named_seen.iter().enumerate().map(|(i, h)| (*h, base + i as u32)).collect();
        Vocab { grams, gram_index, named: named_seen, named_index }
    }

    fn dim(&self) -> usize {
        self.grams.len() + self.named.len()
    }

    fn example(&self, r: &Raw) -> Example {
        let idf = |h: u32| self.gram_index.get(&h).map(|&i| self.grams[i as usize].1);
        let mut x: Vec<(u32, f32)> =
            jingmin::ngram_values(&r.grams, idf).into_iter().map(|(h, v)| (self.gram_index[&h], v)).collect();
        for (h, v) in &r.named {
            if let Some(&i) = self.named_index.get(h) {
                x.push((i, *v));
            }
        }
        x.sort_by_key(|f| f.0);
        Example { x, label: r.label, accepted: r.accepted.clone(), stance: r.stance, types: r.types.clone() }
    }
}

/// A trained linear model over the vocabulary's indices.
struct Trained<const K: usize> {
    bias: [f32; K],
    /// `dim` rows of K weights.
    weights: Vec<[f32; K]>,
}

impl<const K: usize> Trained<K> {
    fn scores(&self, x: &Example) -> [f32; K] {
        let mut s = self.bias;
        for (i, v) in &x.x {
            let w = &self.weights[*i as usize];
            for k in 0..K {
                s[k] += w[k] * v;
            }
        }
        s
    }

    fn predict(&self, x: &Example) -> usize {
        let s = self.scores(x);
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

/// One binary L2-loss SVM by dual coordinate descent (Hsieh et al., 2008):
/// `y` is +1 or -1 per example; the bias is a feature of value 1,
/// regularised like the others. Returns the weights and the bias.
fn svm_binary(data: &[&Example], y: &[f32], dim: usize, c: f32, seed: u64) -> (Vec<f32>, f32) {
    let d = 0.5 / c;
    let mut w = vec![0f32; dim];
    let mut b = 0f32;
    let mut alpha = vec![0f32; data.len()];
    let qd: Vec<f32> = data.iter().map(|x| x.x.iter().map(|(_, v)| v * v).sum::<f32>() + 1.0 + d).collect();
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut seed = seed;
    for _ in 0..1000 {
        for i in (1..order.len()).rev() {
            let j = (splitmix(&mut seed) % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let (mut pg_max, mut pg_min) = (f32::MIN, f32::MAX);
        for &i in &order {
            let x = data[i];
            let yi = y[i];
            let dot: f32 = x.x.iter().map(|(j, v)| w[*j as usize] * v).sum::<f32>() + b;
            let g = yi * dot - 1.0 + d * alpha[i];
            let pg = if alpha[i] == 0.0 { g.min(0.0) } else { g };
            pg_max = pg_max.max(pg);
            pg_min = pg_min.min(pg);
            if pg.abs() > 1e-12 {
                let old = alpha[i];
                alpha[i] = (old - g / qd[i]).max(0.0);
                let step = (alpha[i] - old) * yi;
                for (j, v) in &x.x {
                    w[*j as usize] += step * v;
                }
                b += step;
            }
        }
        // LIBLINEAR's stopping rule for the dual solvers (its default eps).
        if pg_max - pg_min < 0.1 {
            break;
        }
    }
    (w, b)
}

/// One class against the rest, for every class of `label(x)` over the
/// examples it gives a label for, two classes at a time (two cores).
fn train<const K: usize>(data: &[Example], label: impl Fn(&Example) -> Option<usize>, dim: usize, c: f32, temperature: f32) -> Trained<K> {
    let data: Vec<(&Example, usize)> = data.iter().filter_map(|x| label(x).map(|l| (x, l))).collect();
    let xs: Vec<&Example> = data.iter().map(|(x, _)| *x).collect();
    let solve = |k: usize| {
        let y: Vec<f32> = data.iter().map(|(_, l)| if *l == k { 1.0 } else { -1.0 }).collect();
        svm_binary(&xs, &y, dim, c, 0x006a_696e_676d_696e_u64 ^ k as u64)
    };
    let mut solved: Vec<Option<(Vec<f32>, f32)>> = (0..K).map(|_| None).collect();
    std::thread::scope(|s| {
        let solve = &solve;
        let handles: Vec<_> = (0..2).map(|t| s.spawn(move || (0..K).filter(|k| k % 2 == t).map(|k| (k, solve(k))).collect::<Vec<_>>())).collect();
        for h in handles {
            for (k, r) in h.join().expect("a training thread") {
                solved[k] = Some(r);
            }
        }
    });
    let mut bias = [0f32; K];
    let mut weights = vec![[0f32; K]; dim];
    for (k, r) in solved.into_iter().enumerate() {
        let (w, b) = r.expect("every class solved");
        bias[k] = b * temperature;
        for (row, wj) in weights.iter_mut().zip(w) {
            row[k] = wj * temperature;
        }
    }
    Trained { bias, weights }
}

fn accuracy(model: &Trained<CLASSES>, data: &[Example]) -> f64 {
    let ok = data.iter().filter(|x| x.accepted.contains(&model.predict(x))).count();
    ok as f64 / data.len().max(1) as f64
}

/// The fraud model: the stance head over every message and the type head
/// over the fraud-related ones, merged into one row of FRAUD_CLASSES
/// weights per feature (stances first).
fn train_fraud(data: &[Example], dim: usize, c: f32, temperature: f32) -> Trained<FRAUD_CLASSES> {
    let stance: Trained<5> = train(data, |x| Some(x.stance), dim, c, temperature);
    let types: Trained<18> = train(data, |x| x.types.first().copied(), dim, c, temperature);
    let mut bias = [0f32; FRAUD_CLASSES];
    bias[..5].copy_from_slice(&stance.bias);
    bias[5..].copy_from_slice(&types.bias);
    let weights = stance
        .weights
        .iter()
        .zip(&types.weights)
        .map(|(s, t)| {
            let mut row = [0f32; FRAUD_CLASSES];
            row[..5].copy_from_slice(s);
            row[5..].copy_from_slice(t);
            row
        })
        .collect();
    Trained { bias, weights }
}

/// Stance accuracy, fraud precision and recall, and primary-type accuracy
/// of the fraud model on labelled examples.
fn fraud_figures(model: &Trained<FRAUD_CLASSES>, data: &[Example]) -> (f64, f64, f64, f64) {
    let (mut stance_ok, mut tp, mut fp, mut fneg, mut type_ok, mut pos) = (0usize, 0usize, 0usize, 0usize, 0usize, 0usize);
    for x in data {
        let s = model.scores(x);
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

/// The model file of a trained model: every vocabulary n-gram with its
/// idf (the norm needs them all), the named features.
fn model_bytes<const K: usize>(model: &Trained<K>, vocab: &Vocab) -> Vec<u8> {
    let grams: Vec<(u32, f32, [f32; K])> = vocab.grams.iter().zip(&model.weights).map(|((h, idf), w)| (*h, *idf, *w)).collect();
    let named: Vec<(u32, [f32; K])> =
        vocab.named.iter().zip(&model.weights[vocab.grams.len()..]).map(|(h, w)| (*h, *w)).collect();
    jingmin::write_model(&model.bias, &grams, &named)
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
    let mut c = 1.0f32;
    let mut temperature = 3.0f32;
    let mut min_count = 1usize;
    let mut check = None;
    let mut fraud_out = None;
    let mut check_fraud = None;
    let mut predict = Vec::new();
    let mut augment_every = 2usize;
    let mut blind = false;
    let mut min_accuracy: Option<f64> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = || it.next().cloned().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--data" => data_paths.push(val()),
            "--eval" => eval_paths.push(val()),
            "--out" => out = Some(val()),
            "--c" => c = val().parse().expect("--c takes a number"),
            "--temperature" => temperature = val().parse().expect("--temperature takes a number"),
            "--min-count" => min_count = val().parse().expect("--min-count takes a number"),
            "--check" => check = Some(val()),
            "--fraud-out" => fraud_out = Some(val()),
            "--check-fraud" => check_fraud = Some(val()),
            "--predict" => predict.push(val()),
            "--no-augment" => augment_every = 0,
            "--augment-every" => augment_every = val().parse().expect("--augment-every takes a number"),
            "--blind" => blind = true,
            "--min-accuracy" => min_accuracy = Some(val().parse().expect("--min-accuracy takes a number")),
            other => panic!("unknown argument {other}"),
        }
    }
    assert!(!data_paths.is_empty(), "give at least one --data FILE");
    let engine = Engine::builder().rules_only().build().expect("default engine");
    let mut raw = Vec::new();
    for p in &data_paths {
        raw.extend(load(&engine, p, augment_every, false));
    }

    let vocab = Vocab::build(&raw, min_count);
    let data: Vec<Example> = raw.iter().map(|r| vocab.example(r)).collect();
    drop(raw);
    let dim = vocab.dim();
    let model: Trained<CLASSES> = train(&data, |x| Some(x.label), dim, c, temperature);
    println!("trained on {} messages: {} n-grams, {} named features, training accuracy {:.3}", data.len(), vocab.grams.len(), vocab.named.len(), accuracy(&model, &data));
    let fraud = train_fraud(&data, dim, c, temperature);
    let (sa, fp, fr, ta) = fraud_figures(&fraud, &data);
    println!("fraud model: training stance {sa:.3}, fraud precision {fp:.3} recall {fr:.3}, type {ta:.3}");
    let mut failed = false;
    for p in &eval_paths {
        let ev: Vec<Example> = load(&engine, p, 0, blind).iter().map(|r| vocab.example(r)).collect();
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
    let bytes = model_bytes(&model, &vocab);
    failed |= !write_or_check(&bytes, out.as_ref(), check.as_ref());
    let fbytes = model_bytes(&fraud, &vocab);
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
