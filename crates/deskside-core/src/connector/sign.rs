//! The digests of signed requests (auth kind `signed`): SHA-1, SHA-256,
//! MD5 and HMAC over them, written as hex or base64. RustCrypto's small
//! crates, without std or assembly.

use super::def::{SignHash, SignOutput};
use hmac::{Hmac, Mac};
use sha1::Digest;

/// `hash(text)`, or for an HMAC `hmac(key, text)`.
pub fn digest(hash: SignHash, key: &[u8], text: &[u8]) -> Vec<u8> {
    fn hmac<M: Mac + hmac::digest::KeyInit>(key: &[u8], text: &[u8]) -> Vec<u8> {
        // HMAC takes a key of any length: hashed when longer than a block.
        let mut m = <M as hmac::digest::KeyInit>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC accepts every key length"));
        m.update(text);
        m.finalize().into_bytes().to_vec()
    }
    match hash {
        SignHash::Sha1 => sha1::Sha1::digest(text).to_vec(),
        SignHash::Sha256 => sha2::Sha256::digest(text).to_vec(),
        SignHash::Md5 => md5::Md5::digest(text).to_vec(),
        SignHash::HmacSha1 => hmac::<Hmac<sha1::Sha1>>(key, text),
        SignHash::HmacSha256 => hmac::<Hmac<sha2::Sha256>>(key, text),
    }
}

/// Bytes written as the signature's output form.
pub fn encode(bytes: &[u8], output: SignOutput) -> String {
    match output {
        SignOutput::Hex => hex(bytes),
        SignOutput::HexUpper => hex(bytes).to_ascii_uppercase(),
        SignOutput::Base64 => super::engine::base64(bytes),
    }
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hexed(hash: SignHash, key: &str, text: &str) -> String {
        hex(&digest(hash, key.as_bytes(), text.as_bytes()))
    }

    /// Known answers (FIPS 180 "abc", RFC 1321, RFC 2202 and RFC 4231 case 2;
    /// the rest computed with Python's hashlib and hmac).
    #[test]
    fn known_answers() {
        assert_eq!(hexed(SignHash::Sha1, "", "abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(hexed(SignHash::Sha256, "", "abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(hexed(SignHash::Md5, "", ""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(hexed(SignHash::HmacSha1, "Jefe", "what do ya want for nothing?"), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
        assert_eq!(hexed(SignHash::HmacSha256, "Jefe", "what do ya want for nothing?"), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        // A key longer than the block is hashed first.
        assert_eq!(hexed(SignHash::HmacSha256, &"k".repeat(100), "x"), "8c1858bff6cf9cb73708b4b54f43bca6e1b8b4c3380760dc009001b265b64c6f");
        // The plain hashes ignore the key.
        assert_eq!(hexed(SignHash::Sha1, "ignored", "abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
    }

    #[test]
    fn outputs() {
        let mac = digest(SignHash::HmacSha256, b"key-9", b"1763424000123\nn0nce");
        assert_eq!(encode(&mac, SignOutput::Base64), "JbcuFOHpFMM3kqHuDmciM92GOZKJnMV1UDpcCCgB3kI=");
        let mac = digest(SignHash::HmacSha1, b"key-9", b"1763424000123\nn0nce");
        assert_eq!(encode(&mac, SignOutput::HexUpper), "7F717D9116B0F5121F70E43275A6278E2F3C6A85");
        assert_eq!(encode(&[0x00, 0x0f, 0xa0, 0xff], SignOutput::Hex), "000fa0ff");
    }
}
