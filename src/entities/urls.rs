//! URLs: a scheme, `www.` or a known top-level domain.

#[allow(unused_imports)]
use super::*;

pub(crate) const TLDS: &[&str] = &[
    "com", "cn", "net", "org", "gov", "edu", "top", "xyz", "cc", "vip", "info", "me", "io", "app", "club", "site",
    "online", "shop", "ltd", "link", "pro", "tk", "ml", "gq", "ga", "cf", "biz", "tv", "co", "wang", "ink", "fun",
    "store", "tech", "live", "asia", "mobi", "work", "icu", "red", "kim", "win", "bid", "loan", "ren", "xin", "group",
    "website", "space", "cloud", "hk", "tw", "mo", "us", "uk", "jp", "kr", "ru", "de", "sg", "vn", "th", "ph",
];

/// A URL may start after nothing, a space, CJK text or punctuation, but not
/// inside a word, a host, a path or an e-mail address.
pub(crate) fn url_boundary(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(p) => !(p.is_ascii_alphanumeric() || matches!(p, '_' | '.' | '-' | '@' | '/')),
    }
}

pub(crate) fn is_url_byte(x: u8) -> bool {
    x.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&*+;=%".contains(&x)
}

pub(crate) fn is_label_byte(x: u8) -> bool {
    x.is_ascii_alphanumeric() || x == b'-'
}

/// End of the URL tail from `k` on, without trailing sentence punctuation.
pub(crate) fn url_tail_end(b: &[u8], from: usize, k: usize) -> usize {
    let mut e = k;
    while is_url_byte(at(b, e)) {
        e += 1;
    }
    while e > from && matches!(at(b, e - 1), b'.' | b':' | b';' | b'!' | b'?') {
        e -= 1;
    }
    e
}

pub(crate) fn scan_url(s: &str, i: usize, cands: &mut Vec<Cand>) {
    let b = s.as_bytes();
    let rest = b.get(i..).unwrap_or(&[]);
    let starts = |p: &[u8]| rest.len() >= p.len() && rest.get(..p.len()).is_some_and(|r| r.eq_ignore_ascii_case(p));
    for scheme in [&b"http://"[..], &b"https://"[..]] {
        if starts(scheme) {
            let hs = i + scheme.len();
            if at(b, hs).is_ascii_alphanumeric() {
                let e = url_tail_end(b, hs, hs);
                push(cands, EntityKind::Url, i, e, None);
            }
            return;
        }
    }
    // A host name: labels separated by single dots.
    let mut k = i;
    let mut labels = 0usize;
    let mut last = (i, i);
    loop {
        let ls = k;
        while is_label_byte(at(b, k)) {
            k += 1;
        }
        if k == ls {
            break;
        }
        labels += 1;
        last = (ls, k);
        if at(b, k) == b'.' && is_label_byte(at(b, k + 1)) {
            k += 1;
        } else {
            break;
        }
    }
    let host_end = k;
    let tld = b.get(last.0..last.1).unwrap_or(&[]);
    let www = starts(b"www.");
    let ok = if www {
        labels >= 3 && tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic)
    } else {
        labels >= 2 && TLDS.iter().any(|t| t.as_bytes().eq_ignore_ascii_case(tld))
    };
    if !ok {
        return;
    }
    let mut e = host_end;
    // Optional port.
    if at(b, e) == b':' && at(b, e + 1).is_ascii_digit() {
        let pe = digit_run_end(b, e + 1);
        if pe - (e + 1) <= 5 {
            e = pe;
        }
    }
    if matches!(at(b, e), b'/' | b'?' | b'#') {
        e = url_tail_end(b, host_end, e);
    }
    push(cands, EntityKind::Url, i, e, None);
}
