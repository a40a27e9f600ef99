//! Fuzz target `ingest_wechatmsg`: ingest::read with the WeChatMsg (留痕) CSV reader forced.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jingmin_fuzz::ingest(data, Some(jingmin::ingest::Format::WeChatMsgCsv));
});
