//! Slack's v0 request signature: HMAC-SHA256 over `v0:{timestamp}:{body}` with
//! the signing secret, compared in constant time, within a ±5-minute window.

use hmac::{KeyInit, Mac};
use sha2::Sha256;

/// How far a request's timestamp may be from our clock (Slack's recommendation).
pub const MAX_SKEW_SECS: i64 = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("missing X-Slack-Request-Timestamp or X-Slack-Signature")]
    Missing,
    #[error("X-Slack-Request-Timestamp is not a number")]
    BadTimestamp,
    #[error("request timestamp is outside the 5-minute window")]
    Stale,
    #[error("signature does not match")]
    Mismatch,
}

/// The `v0=…` signature Slack would send for `body` at `timestamp`.
pub fn sign(secret: &str, timestamp: &str, body: &[u8]) -> String {
    mac(secret, timestamp, body)
        .map(|m| format!("v0={}", hex::encode(m.finalize().into_bytes())))
        .unwrap_or_default()
}

/// HMAC-SHA256 keyed with the secret over `v0:{timestamp}:{body}`. HMAC takes keys
/// of any length, so `None` cannot happen in practice; callers treat it as a mismatch.
fn mac(secret: &str, timestamp: &str, body: &[u8]) -> Option<hmac::Hmac<Sha256>> {
    let mut mac = hmac::Hmac::<Sha256>::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(b"v0:");
    mac.update(timestamp.as_bytes());
    mac.update(b":");
    mac.update(body);
    Some(mac)
}

/// Checks a request's headers against its raw body at time `now_unix`.
pub fn verify(
    secret: &str,
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
    now_unix: i64,
) -> Result<(), SignatureError> {
    let (Some(timestamp), Some(signature)) = (timestamp, signature) else {
        return Err(SignatureError::Missing);
    };
    let ts: i64 = timestamp
        .trim()
        .parse()
        .map_err(|_| SignatureError::BadTimestamp)?;
    // i128: a hostile timestamp such as i64::MIN must not overflow the subtraction.
    if (i128::from(now_unix) - i128::from(ts)).abs() > i128::from(MAX_SKEW_SECS) {
        return Err(SignatureError::Stale);
    }
    let hex_sig = signature
        .strip_prefix("v0=")
        .ok_or(SignatureError::Mismatch)?;
    // A SHA-256 MAC is 32 bytes: any other length of hex is a mismatch.
    let mut expected = [0u8; 32];
    hex::decode_to_slice(hex_sig, &mut expected).map_err(|_| SignatureError::Mismatch)?;
    // verify_slice compares in constant time.
    mac(secret, timestamp, body)
        .ok_or(SignatureError::Mismatch)?
        .verify_slice(&expected)
        .map_err(|_| SignatureError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC_SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
    const DOC_TS: &str = "1531420618";
    const DOC_BODY: &str = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    const DOC_SIG: &str = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    #[test]
    fn slacks_documented_vectors_verify() {
        assert_eq!(sign(DOC_SECRET, DOC_TS, DOC_BODY.as_bytes()), DOC_SIG);
        assert_eq!(
            sign("fa2c05deeef5a4077494e89f54394de0", DOC_TS, b"test-body"),
            "v0=baa91ef62d346e56607bbdd278a8acd570b91226854f15a382f43d33be42f666"
        );
        let now = 1531420618 + 10;
        assert_eq!(
            verify(
                DOC_SECRET,
                Some(DOC_TS),
                Some(DOC_SIG),
                DOC_BODY.as_bytes(),
                now
            ),
            Ok(())
        );
    }

    #[test]
    fn every_bad_request_is_refused_for_its_reason() {
        let body = DOC_BODY.as_bytes();
        let at = 1531420618;
        let flipped = DOC_SIG.replace("a2114", "a2115");
        let short = &DOC_SIG[..DOC_SIG.len() - 2];
        let long = format!("{DOC_SIG}03");
        type Case<'a> = (
            Option<&'a str>,
            Option<&'a str>,
            &'a [u8],
            i64,
            SignatureError,
        );
        let cases: Vec<Case> = vec![
            (None, Some(DOC_SIG), body, at, SignatureError::Missing),
            (Some(DOC_TS), None, body, at, SignatureError::Missing),
            (
                Some("yesterday"),
                Some(DOC_SIG),
                body,
                at,
                SignatureError::BadTimestamp,
            ),
            (
                Some(DOC_TS),
                Some(DOC_SIG),
                body,
                at + 301,
                SignatureError::Stale,
            ),
            (
                Some(DOC_TS),
                Some(DOC_SIG),
                body,
                at - 301,
                SignatureError::Stale,
            ),
            (
                Some(DOC_TS),
                Some(&flipped),
                body,
                at,
                SignatureError::Mismatch,
            ),
            (
                Some(DOC_TS),
                Some("a2114d57"),
                body,
                at,
                SignatureError::Mismatch,
            ),
            (
                Some(DOC_TS),
                Some(short),
                body,
                at,
                SignatureError::Mismatch,
            ),
            (
                Some(DOC_TS),
                Some(&long),
                body,
                at,
                SignatureError::Mismatch,
            ),
            (
                Some(DOC_TS),
                Some("v0=zz"),
                body,
                at,
                SignatureError::Mismatch,
            ),
            (
                Some(DOC_TS),
                Some(DOC_SIG),
                b"token=tampered",
                at,
                SignatureError::Mismatch,
            ),
        ];
        for (ts, sig, body, now, want) in cases {
            assert_eq!(
                verify(DOC_SECRET, ts, sig, body, now),
                Err(want),
                "{ts:?} {sig:?} {now}"
            );
        }
    }

    #[test]
    fn upper_case_hex_verifies_as_before() {
        let upper = format!("v0={}", DOC_SIG[3..].to_uppercase());
        let at = 1531420618;
        assert_eq!(
            verify(
                DOC_SECRET,
                Some(DOC_TS),
                Some(&upper),
                DOC_BODY.as_bytes(),
                at
            ),
            Ok(())
        );
    }

    #[test]
    fn extreme_timestamps_are_stale_not_a_panic() {
        // Found by the `signature` fuzz target: the skew overflowed i64.
        for (ts, now) in [
            (i64::MIN, 1_700_000_000),
            (i64::MAX, -1),
            (i64::MIN, i64::MAX),
        ] {
            let ts = ts.to_string();
            let sig = sign("k", &ts, b"x");
            assert_eq!(
                verify("k", Some(&ts), Some(&sig), b"x", now),
                Err(SignatureError::Stale)
            );
        }
    }

    #[test]
    fn the_window_edges_are_inclusive() {
        let sig = sign("k", "1000", b"x");
        assert!(verify("k", Some("1000"), Some(&sig), b"x", 1300).is_ok());
        assert!(verify("k", Some("1000"), Some(&sig), b"x", 700).is_ok());
    }
}
