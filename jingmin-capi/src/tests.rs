use super::*;
use super::conventions::flags_arg;
use super::status::{guard, status_of, status_of_kind};
use super::strings::OutString;
use jingmin::{Error, ErrorKind, Role};
use std::ffi::CStr;


fn last_error() -> String {
    unsafe { CStr::from_ptr(jm_last_error()) }.to_str().unwrap().to_owned()
}

#[test]
fn a_panic_becomes_a_status_without_its_payload() {
    let status = guard("jm_test", || panic!("secret message text 13912345678"));
    assert_eq!(status, jm_status::JM_ERR_PANIC);
    let message = last_error();
    assert!(message.starts_with("jm_test: internal error"), "{message}");
    assert!(!message.contains("secret") && !message.contains("139"), "{message}");
}

#[test]
fn every_error_kind_has_a_status_and_the_kinds_of_the_c_layer_their_own() {
    // Every kind maps to a failure status, never JM_OK or the statuses the
    // C layer itself raises (NULL, argument, panic).
    let own = [jm_status::JM_OK, jm_status::JM_ERR_NULL_ARGUMENT, jm_status::JM_ERR_INVALID_ARGUMENT, jm_status::JM_ERR_PANIC];
    for kind in ErrorKind::ALL {
        assert!(!own.contains(&status_of_kind(kind)), "{kind:?}");
    }
    // The kinds the C layer meets are told apart by their status; only the
    // export readers' kinds share JM_ERR_IO with Io.
    let reached: Vec<ErrorKind> =
        ErrorKind::ALL.into_iter().filter(|k| !matches!(k, ErrorKind::UnknownFormat | ErrorKind::Ingest)).collect();
    let mut statuses: Vec<u32> = reached.iter().map(|k| status_of_kind(*k) as u32).collect();
    statuses.sort_unstable();
    statuses.dedup();
    assert_eq!(statuses.len(), reached.len(), "two kinds the C layer meets share a status");
    assert_eq!(status_of_kind(ErrorKind::UnknownFormat), jm_status::JM_ERR_IO);
    assert_eq!(status_of_kind(ErrorKind::Ingest), jm_status::JM_ERR_IO);
    // status_of reads the kind of a real error.
    assert_eq!(status_of(&Error::TooLarge { len: 2, max: 1 }), jm_status::JM_ERR_TOO_LARGE);
    assert_eq!(status_of(&Error::InvalidUtf8 { offset: 0 }), jm_status::JM_ERR_INVALID_UTF8);
}

#[test]
fn out_strings_keep_their_length_and_nuls() {
    for s in ["", "a", "刷\0单", "x".repeat(10_000).as_str()] {
        let p = OutString::from_str(s).into_raw();
        unsafe {
            assert_eq!(jm_string_len(p), s.len());
            let bytes = std::slice::from_raw_parts(p as *const u8, s.len() + 1);
            assert_eq!(&bytes[..s.len()], s.as_bytes());
            assert_eq!(bytes[s.len()], 0);
            jm_string_free(p);
        }
    }
}

#[test]
fn flags_are_validated() {
    assert_eq!(flags_arg(0).ok().map(|o| o.role), Some(Role::Unknown));
    assert_eq!(flags_arg(JM_FLAG_ROLE_POLICE | JM_FLAG_RAW).ok().map(|o| (o.role, o.raw)), Some((Role::Police, true)));
    assert_eq!(flags_arg(JM_FLAG_ROLE_RESIDENT).ok().map(|o| o.role), Some(Role::Resident));
    assert_eq!(flags_arg(3 << JM_FLAG_ROLE_SHIFT).err().map(|f| f.status), Some(jm_status::JM_ERR_INVALID_ARGUMENT));
    assert_eq!(flags_arg(1 << 20).err().map(|f| f.status), Some(jm_status::JM_ERR_INVALID_ARGUMENT));
    assert_eq!(JM_FLAG_ROLE_POLICE, (jm_role::JM_ROLE_POLICE as u32) << JM_FLAG_ROLE_SHIFT);
    assert_eq!(JM_FLAG_ROLE_RESIDENT, (jm_role::JM_ROLE_RESIDENT as u32) << JM_FLAG_ROLE_SHIFT);
}
