//! The core's tests: one harness, one module per concept (`cargo test -p
//! jingmin`). The C layer's tests live in `jingmin-capi/tests`, the command
//! line's in `jingmin-cli/tests`.

mod alloc;
#[path = "common/chatty.rs"]
mod chatty;
#[path = "../benches/corpus/mod.rs"]
mod corpus;
#[path = "common/rng.rs"]
mod rng;

mod accuracy;
mod aggregate;
mod aggregate_laws;
mod aggregate_state_size;
mod alloc_count;
mod bench_corpus;
mod engine;
mod fold_table_current;
#[cfg(feature = "ingest")]
mod ingest;
mod lexicon_limits;
mod project_files;
mod properties;
mod regressions;
mod report_views;
mod time_range;
