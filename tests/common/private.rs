//! Malformed inputs of every export reader that carry a marker and a phone
//! number where a careless error message would quote them, and the check
//! that an error quotes neither (included with `#[path]` by the harnesses
//! of the C layer and of the command line).
#![allow(dead_code)]

use jingmin::ingest::Format;

pub const MARK: &str = "秘密标记XYZZY";
pub const PHONE: &str = "13987654321";

pub fn assert_private(context: &str, error: &str) {
    assert!(!error.contains(MARK), "{context}: error echoes the message text: {error}");
    assert!(!error.contains("XYZZY"), "{context}: error echoes the message text: {error}");
    assert!(!error.contains(PHONE), "{context}: error echoes a phone number: {error}");
}

/// Malformed inputs of every reader, each carrying MARK and PHONE where a
/// careless error message would quote them.
pub fn bad_exports() -> Vec<(&'static str, Option<Format>, String)> {
    let t = format!("{MARK}{PHONE}");
    vec![
        ("jsonl", Some(Format::Jsonl), format!(
            "{{\"text\":{PHONE}}}\n{{\"text\":\"{t}\",\"time\":\"{t}\"}}\n{{\"text\":\"{t}\",\"role\":\"{t}\"}}\n\
             {{\"text\":\"{t}\",\"group\":[\"{t}\"]}}\n{{\"text\":\"{t}\",\"id\":{{\"a\":\"{t}\"}}}}\n\
             {{\"text\":\"{t}\",\"time\":{PHONE}{PHONE}{PHONE}}}\n{{\"text\":\"{t}\"\n[\"{t}\"]\n\"{t}\"\n{t}\n{{\"text\":\"   \"}}\n"
        )),
        ("wechatmsg", Some(Format::WeChatMsgCsv), format!(
            "localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\n\
             {t},7,1,0,0,1709258400,2,{t},2024-03-01 10:00:00,{t},{t},{t}\n\
             101,7,{t},0,0,1709258400,2,{t},2024-03-01 10:00:00,{t},{t},{t}\n\
             102,7,1,0,0,{t},2,{t},{t},{t},{t},{t}\n\
             103,7,1,0,0,1709258400,2,{t}\n\
             104,7,1,0,0,1709258400,2,\"{t}\n"
        )),
        ("pywxdump", Some(Format::PyWxDumpCsv), format!(
            "id,MsgSvrID,type_name,is_sender,talker,room_name,msg,src,CreateTime\n\
             1,{t},文本,{t},{t},{t},{t},,{t}\n2,{PHONE},文本,0,{t},{t},{t},,2024-99-01 09:37:50\n3,4,文本\n"
        )),
        ("chatlog", Some(Format::ChatlogJson), format!(
            "[{{\"seq\":\"{t}\",\"time\":\"{t}\",\"talker\":\"{t}\",\"content\":\"{t}\",\"type\":\"{t}\"}},\
             {{\"seq\":1,\"time\":{PHONE}{PHONE}{PHONE},\"content\":{PHONE}}},\"{t}\",{t},{{\"content\":\"{t}\"}}"
        )),
        ("qq", Some(Format::QqTxt), format!(
            "消息记录（此消息记录为文本格式，不支持重新导入）\n\n================================================================\n\
             消息对象:{t}\n================================================================\n\n\
             2024-99-01 7:02:06 {t}({PHONE})\n{t}\n\n2024-03-01 7:02:06 {t}\n{t}\n\n{t}\n"
        )),
        ("csv", Some(Format::Csv), format!(
            "time,group,sender,text,role,id\n{t},{t},{t},{t},{t},{t}\n2024-03-01 10:00:00,{t},{t},,{t},{t}\n{t}\n\"{t}"
        )),
        ("detect", None, format!("{t}\n{t}\n")),
        ("csv-header", Some(Format::Csv), format!("{t},{PHONE}\n{t},{t}\n")),
    ]
}

