//! Which server certificates a connection trusts, and what is said about one that is refused.
//!
//! Trust comes from the built-in web roots, from a CA file (`--smtp-ca`, `ca_file`), and from
//! exact certificates: a SHA-256 fingerprint the user pinned (`--smtp-trust-fingerprint`,
//! `trust_fingerprint`) or a certificate that is itself in the CA file. The last two are how
//! mail clients handle the self-signed certificates SMTP servers are often set up with (the
//! usual `openssl req -x509` recipe makes one with `CA:TRUE`, which web PKI refuses as a server
//! certificate): the user checks the fingerprint once and trusts that certificate and no
//! other. An exact certificate is accepted without the name and date checks, since the user
//! vouched for those bytes; the handshake's signature is verified in every case, so only the
//! holder of the certificate's key can use it.
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use sha2::{Digest, Sha256};

/// A SHA-256 certificate fingerprint, written `SHA256:` and 32 colon-separated hex pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    /// The fingerprint of a DER-encoded certificate.
    pub fn of(der: &[u8]) -> Fingerprint {
        Fingerprint(Sha256::digest(der).into())
    }

    /// Reads `SHA256:AB:CD:…`, also without the prefix or the colons and in any case, as
    /// `openssl x509 -fingerprint -sha256` and mail clients print it.
    pub fn parse(text: &str) -> Option<Fingerprint> {
        let text = text.trim();
        let hex = text
            .strip_prefix("SHA256:")
            .or_else(|| text.strip_prefix("sha256:"))
            .or_else(|| text.strip_prefix("sha256 Fingerprint="))
            .unwrap_or(text);
        let digits: Vec<u8> = hex.bytes().filter(|b| *b != b':').collect();
        if digits.len() != 64 {
            return None;
        }
        let mut bytes = [0; 32];
        for (byte, pair) in bytes.iter_mut().zip(digits.chunks(2)) {
            let pair = std::str::from_utf8(pair).ok()?;
            *byte = u8::from_str_radix(pair, 16).ok()?;
        }
        Some(Fingerprint(bytes))
    }
}

impl std::fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SHA256:")?;
        for (i, byte) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{byte:02X}")?;
        }
        Ok(())
    }
}

/// A CA file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CaFileError {
    #[error("cannot read the CA certificate file `{}`", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the CA certificate file `{}` holds no PEM certificate; expected text starting with `-----BEGIN CERTIFICATE-----`",
        path.display()
    )]
    NotPem { path: PathBuf },
}

/// The certificates of a PEM file, refused when it holds none, so that a wrong file is reported
/// when it is read rather than as a failed handshake.
pub fn read_ca_file(path: &Path) -> Result<Vec<CertificateDer<'static>>, CaFileError> {
    let pem = std::fs::read(path).map_err(|source| CaFileError::Read { path: path.to_owned(), source })?;
    let certificates: Vec<_> = CertificateDer::pem_slice_iter(&pem).filter_map(Result::ok).collect();
    if certificates.is_empty() {
        return Err(CaFileError::NotPem { path: path.to_owned() });
    }
    Ok(certificates)
}

/// A server certificate that was refused, as a person can check it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presented {
    pub fingerprint: Fingerprint,
    /// The subject's common name and organisation, e.g. `CN=localhost`.
    pub subject: String,
    pub reason: String,
}

/// Verifies server certificates as the module documentation says, and remembers the last one it
/// refused so that the error can show it.
#[derive(Debug)]
pub(crate) struct Verifier {
    web_pki: Arc<WebPkiServerVerifier>,
    exact: Vec<Fingerprint>,
    provider: Arc<CryptoProvider>,
    refused: Arc<Mutex<Option<Presented>>>,
}

impl Verifier {
    /// `ca` are the certificates of the CA file, `pinned` the fingerprints the user trusts.
    pub(crate) fn new(ca: &[CertificateDer<'static>], pinned: Option<Fingerprint>) -> Result<Verifier, rustls::Error> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        // A certificate that cannot serve as an authority (for example a server certificate
        // saved as the CA file) is still trusted exactly, below.
        roots.add_parsable_certificates(ca.iter().cloned());
        let web_pki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
            .build()
            .map_err(|error| rustls::Error::General(error.to_string()))?;
        let exact = ca.iter().map(|der| Fingerprint::of(der)).chain(pinned).collect();
        Ok(Verifier { web_pki, exact, provider, refused: Arc::new(Mutex::new(None)) })
    }

    pub(crate) fn provider(&self) -> Arc<CryptoProvider> {
        self.provider.clone()
    }

    /// Where the refused certificate is kept.
    pub(crate) fn refused(&self) -> Arc<Mutex<Option<Presented>>> {
        self.refused.clone()
    }
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let fingerprint = Fingerprint::of(end_entity);
        if self.exact.contains(&fingerprint) {
            return Ok(ServerCertVerified::assertion());
        }
        self.web_pki.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now).inspect_err(
            |error| {
                let presented = Presented { fingerprint, subject: subject(end_entity), reason: plain_reason(error) };
                *self.refused.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(presented);
            },
        )
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// Why a certificate was refused, in words rather than rustls's type names.
fn plain_reason(error: &rustls::Error) -> String {
    let rustls::Error::InvalidCertificate(error) = error else {
        return "it could not be checked".to_owned();
    };
    match error {
        CertificateError::UnknownIssuer => "it is not signed by an authority this computer knows".to_owned(),
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => "it has expired".to_owned(),
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => "it is not valid yet".to_owned(),
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            "it is made out for another host name".to_owned()
        }
        CertificateError::Revoked => "it was revoked".to_owned(),
        CertificateError::BadSignature => "its signature is wrong".to_owned(),
        CertificateError::Other(other) => match other.0.downcast_ref::<webpki::Error>() {
            Some(webpki::Error::CaUsedAsEndEntity) => {
                "it is a self-signed authority certificate (`CA:TRUE`), which is not trusted as a server's own"
                    .to_owned()
            }
            Some(webpki::Error::UnknownIssuer) => "it is not signed by an authority this computer knows".to_owned(),
            _ => "it is not valid for a server".to_owned(),
        },
        _ => "it is not valid for a server".to_owned(),
    }
}

/// The common name and organisation of a certificate's subject, read from its DER encoding;
/// `unknown` when it cannot be read.
pub(crate) fn subject(der: &[u8]) -> String {
    subject_parts(der).filter(|parts| !parts.is_empty()).map_or_else(|| "unknown".to_owned(), |parts| parts.join(", "))
}

fn subject_parts(der: &[u8]) -> Option<Vec<String>> {
    let (_, certificate, _) = der_item(der)?;
    let (_, tbs, _) = der_item(certificate)?;
    let mut rest = tbs;
    // version [0] (optional), serialNumber, signature, issuer, validity, subject.
    let (tag, _, after) = der_item(rest)?;
    if tag == 0xA0 {
        rest = after;
    }
    for _ in 0..4 {
        rest = der_item(rest)?.2;
    }
    let (_, mut name, _) = der_item(rest)?;
    let mut parts = Vec::new();
    while !name.is_empty() {
        let (_, set, after_set) = der_item(name)?;
        name = after_set;
        let (_, attribute, _) = der_item(set)?;
        let (_, oid, after_oid) = der_item(attribute)?;
        let (value_tag, value, _) = der_item(after_oid)?;
        let label = match oid {
            [0x55, 0x04, 0x03] => "CN",
            [0x55, 0x04, 0x0A] => "O",
            _ => continue,
        };
        // UTF8String, PrintableString, IA5String and T61String hold text as bytes.
        if matches!(value_tag, 0x0C | 0x13 | 0x16 | 0x14) {
            parts.push(format!("{label}={}", String::from_utf8_lossy(value)));
        }
    }
    Some(parts)
}

/// One DER item at the start of `bytes`: its tag, its contents and what follows it.
fn der_item(bytes: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = bytes.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (length, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7F);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let length = rest[..count].iter().fold(0usize, |length, byte| (length << 8) | usize::from(*byte));
        (length, &rest[count..])
    };
    if rest.len() < length {
        return None;
    }
    Some((tag, &rest[..length], &rest[length..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_read_the_forms_people_copy() {
        let text = "SHA256:".to_owned() + &["AB"; 32].join(":");
        let fingerprint = Fingerprint::parse(&text).unwrap();
        assert_eq!(fingerprint.to_string(), text);
        assert_eq!(Fingerprint::parse(&"ab".repeat(32)), Some(fingerprint));
        assert_eq!(Fingerprint::parse(&format!("sha256 Fingerprint={}", ["ab"; 32].join(":"))), Some(fingerprint));
        assert_eq!(Fingerprint::parse("SHA256:AB:CD"), None);
        assert_eq!(Fingerprint::parse(&"zz".repeat(32)), None);
    }
}
