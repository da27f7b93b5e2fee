//! `wb::http::signature::verify` with arbitrary secret, headers, body and
//! clock: it never panics, and a signature made by `sign` for the same request
//! is accepted exactly when the timestamp is a number within the 5-minute window.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wb::http::signature::{sign, verify, SignatureError, MAX_SKEW_SECS};

fuzz_target!(
    |input: (String, Option<String>, Option<String>, Vec<u8>, i64, bool)| {
        let (secret, timestamp, signature, body, now, genuine) = input;
        // Arbitrary headers (usually forged or malformed).
        let forged = verify(
            &secret,
            timestamp.as_deref(),
            signature.as_deref(),
            &body,
            now,
        );
        if let (Ok(()), Some(ts), Some(sig)) = (forged, timestamp.as_deref(), signature.as_deref())
        {
            // Accepted headers must carry the real HMAC (hex may be in either case).
            assert_eq!(
                sig.to_ascii_lowercase(),
                sign(&secret, ts, &body),
                "accepted a forgery"
            );
        }
        // The genuine signature for these bytes.
        if genuine {
            let ts = timestamp.unwrap_or_default();
            let good = sign(&secret, &ts, &body);
            let got = verify(&secret, Some(&ts), Some(&good), &body, now);
            let want = match ts.trim().parse::<i64>() {
                Err(_) => Err(SignatureError::BadTimestamp),
                Ok(t) if (i128::from(now) - i128::from(t)).abs() > i128::from(MAX_SKEW_SECS) => {
                    Err(SignatureError::Stale)
                }
                Ok(_) => Ok(()),
            };
            assert_eq!(got, want, "ts {ts:?} now {now}");
        }
    }
);
