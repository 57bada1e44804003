//! A small blocking HTTP/1.1 client over `std::net::TcpStream`, with TLS
//! from rustls for `https://`: enough to run a definition against a live API.
//! One request per connection (`Connection: close`), no redirects followed
//! (a 3xx is the answer), a deadline per request, bodies by `Content-Length`,
//! chunked or until the connection ends, never more than a set size.
//!
//! Where it may go is the extension's rule: `https://`, or `http://` on this
//! computer, or `http://` to the one host the admin accepted plain http for.
//! An https server's certificate must chain to Mozilla's roots (built in) or
//! to a CA from `--ca-file`.

use deskside_core::connector::{HttpRequest, HttpResponse, Method};
use deskside_core::weburl::is_loopback_host;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{CertificateError, ClientConfig, ClientConnection, RootCertStore, StreamOwned};
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Why a request got no answer.
#[derive(Debug, PartialEq, Eq)]
pub enum Failure {
    /// No answer in time.
    Timeout,
    /// Could not connect, or the answer is not HTTP.
    Transport(String),
    /// The answer is larger than allowed.
    TooLarge,
    /// The https server's certificate is not one to trust (the sentence says
    /// which host and why).
    Untrusted(String),
}

/// How requests go out: the roots an https server's certificate must chain
/// to, and the one remote host plain http is accepted for.
pub struct Transport {
    tls: Arc<ClientConfig>,
    plain_http_host: Option<String>,
}

impl Transport {
    /// Mozilla's roots, plus the certificates of `ca_file` (PEM) when given.
    /// `plain_http_host`: the remote host (as in a base URL) the admin
    /// accepted plain http for. Err: what is wrong with the CA file.
    pub fn new(ca_file: Option<&str>, plain_http_host: Option<String>) -> Result<Transport, String> {
        let mut roots = RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
        if let Some(file) = ca_file {
            let pem = std::fs::read(file).map_err(|e| format!("--ca-file {file}: cannot read it: {e}"))?;
            let certs: Vec<CertificateDer<'static>> =
                CertificateDer::pem_slice_iter(&pem).collect::<Result<_, _>>().map_err(|e| format!("--ca-file {file}: not a PEM certificate file ({e})"))?;
            if certs.is_empty() {
                return Err(format!("--ca-file {file}: no certificate in it (want PEM: -----BEGIN CERTIFICATE-----)"));
            }
            for (i, cert) in certs.into_iter().enumerate() {
                roots.add(cert).map_err(|e| format!("--ca-file {file}: certificate {} cannot be a root: {e}", i + 1))?;
            }
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS setup: {e}"))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Transport { tls: Arc::new(tls), plain_http_host })
    }

    /// Sends `req` and reads the whole answer within `timeout`, refusing
    /// more than `max_bytes` of it.
    pub fn send(&self, req: &HttpRequest, timeout: Duration, max_bytes: usize) -> Result<HttpResponse, Failure> {
        let target = Target::parse(&req.url).ok_or_else(|| Failure::Transport(format!("not an http:// or https:// URL: {}", without_query(&req.url))))?;
        if !target.tls && !target.plain_http_allowed(self.plain_http_host.as_deref()) {
            return Err(Failure::Transport(format!("plain http to {} is refused: use https, or accept plain http for that host with --plain-http", target.authority)));
        }
        let wire = request_bytes(req, &target)?;
        let deadline = Instant::now() + timeout;
        let addrs: Vec<_> = (target.host.as_str(), target.port)
            .to_socket_addrs()
            .map_err(|e| Failure::Transport(format!("cannot resolve {}: {e}", target.host)))?
            .collect();
        let mut last = None;
        let mut stream = None;
        for a in addrs {
            match TcpStream::connect_timeout(&a, remaining(deadline)?) {
                Ok(s) => {
                    stream = Some(s);
                    break;
                }
                Err(e) => last = Some(e),
            }
        }
        let sock = stream.ok_or_else(|| io_failure(&target, last.unwrap_or_else(|| std::io::Error::other("no address"))))?;
        let mut conn = if target.tls {
            // An IP address is checked against the certificate's IP names; no SNI is sent for it.
            let name = ServerName::try_from(target.host.clone()).map_err(|_| Failure::Transport(format!("not a host name for TLS: {}", target.host)))?;
            let client = ClientConnection::new(Arc::clone(&self.tls), name).map_err(|e| Failure::Transport(format!("{}: TLS: {e}", target.authority)))?;
            Conn::Tls(Box::new(StreamOwned::new(client, sock)))
        } else {
            Conn::Plain(sock)
        };
        exchange(&mut conn, &target, &wire, deadline, max_bytes)
    }
}

/// A connection, plain or in TLS.
enum Conn {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ClientConnection, TcpStream>>),
}

impl Conn {
    fn sock(&self) -> &TcpStream {
        match self {
            Conn::Plain(s) => s,
            Conn::Tls(t) => &t.sock,
        }
    }
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Conn::Plain(s) => s.read(buf),
            Conn::Tls(t) => t.read(buf),
        }
    }
}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Conn::Plain(s) => s.write(buf),
            Conn::Tls(t) => t.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Conn::Plain(s) => s.flush(),
            Conn::Tls(t) => t.flush(),
        }
    }
}

/// Writes the request and reads the answer, all before `deadline` (the TLS
/// handshake happens during the write, under the same deadline).
fn exchange(conn: &mut Conn, target: &Target, wire: &[u8], deadline: Instant, max_bytes: usize) -> Result<HttpResponse, Failure> {
    let l = remaining(deadline)?;
    conn.sock().set_write_timeout(Some(l)).map_err(|e| io_failure(target, e))?;
    conn.sock().set_read_timeout(Some(l)).map_err(|e| io_failure(target, e))?;
    conn.write_all(wire).and_then(|()| conn.flush()).map_err(|e| io_failure(target, e))?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let l = remaining(deadline)?;
        conn.sock().set_read_timeout(Some(l)).map_err(|e| io_failure(target, e))?;
        let n = match conn.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            // A TLS server that closes without close_notify: the end of the
            // answer all the same (a length or chunked body is still checked whole).
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => 0,
            Err(e) => return Err(io_failure(target, e)),
        };
        buf.extend_from_slice(&chunk[..n]);
        if let Some(resp) = parse_response(&buf, n == 0).map_err(Failure::Transport)? {
            return Ok(resp);
        }
        if n == 0 {
            return Err(Failure::Transport("the connection closed before the whole answer came".into()));
        }
        if buf.len() > max_bytes {
            return Err(Failure::TooLarge);
        }
    }
}

/// The time left before `deadline`; none left is a timeout.
fn remaining(deadline: Instant) -> Result<Duration, Failure> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        Err(Failure::Timeout)
    } else {
        Ok(left)
    }
}

fn io_failure(t: &Target, e: std::io::Error) -> Failure {
    if let Some(tls) = e.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()) {
        return tls_failure(t, tls);
    }
    match e.kind() {
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => Failure::Timeout,
        _ => Failure::Transport(format!("{}:{}: {e}", t.host, t.port)),
    }
}

/// A TLS error, said for the admin: a certificate not to trust names the
/// host and what to do about it.
fn tls_failure(t: &Target, e: &rustls::Error) -> Failure {
    let rustls::Error::InvalidCertificate(cert) = e else {
        return Failure::Transport(format!("{}: TLS handshake failed: {e}", t.authority));
    };
    let why = match cert {
        CertificateError::UnknownIssuer => {
            "is not signed by a known certificate authority (a self-signed certificate, or a company proxy's): give the authority's certificate with --ca-file PEM".to_string()
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => format!("is not issued for {} ({cert})", t.host),
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => format!("has expired ({cert})"),
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => format!("is not valid yet: check this computer's clock ({cert})"),
        other => format!("is refused ({other})"),
    };
    Failure::Untrusted(format!("certificate not trusted: the certificate of {} {why}", t.authority))
}

fn without_query(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

/// Where an `http://` or `https://` URL points.
#[derive(Debug, PartialEq, Eq)]
pub struct Target {
    /// `https://`.
    pub tls: bool,
    /// As written in the URL (`127.0.0.1`, `localhost`, `[::1]`).
    pub authority: String,
    /// For connecting (`::1` without brackets).
    pub host: String,
    pub port: u16,
    /// Path and query (`/x?a=1`), at least `/`.
    pub path: String,
}

impl Target {
    pub fn parse(url: &str) -> Option<Target> {
        let (tls, rest) = match url.strip_prefix("https://") {
            Some(rest) => (true, rest),
            None => (false, url.strip_prefix("http://")?),
        };
        let default_port = if tls { 443 } else { 80 };
        let rest = rest.split('#').next().unwrap_or(rest);
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, path) = rest.split_at(end);
        if authority.is_empty() || authority.contains('@') {
            return None;
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (h, after) = v6.split_once(']')?;
            (h.to_string(), after.strip_prefix(':').map(str::parse).transpose().ok()?.unwrap_or(default_port))
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), p.parse().ok()?),
                None => (authority.to_string(), default_port),
            }
        };
        if host.is_empty() {
            return None;
        }
        let path = if path.starts_with('/') { path.to_string() } else { format!("/{path}") };
        Some(Target { tls, authority: authority.to_string(), host, port, path })
    }

    /// Plain http goes to this computer, or to the one host accepted for it
    /// (compared as a base URL writes it: `crm.intranet`, `[::1]`).
    fn plain_http_allowed(&self, accepted: Option<&str>) -> bool {
        let host = if self.host.contains(':') { format!("[{}]", self.host) } else { self.host.to_ascii_lowercase() };
        is_loopback_host(&host) || accepted.is_some_and(|a| a.eq_ignore_ascii_case(&host))
    }
}

/// The request as sent. Header values with control characters (a line
/// break in a key from the environment) are refused, never sent.
pub fn request_bytes(req: &HttpRequest, t: &Target) -> Result<Vec<u8>, Failure> {
    let method = req.method.as_str();
    let mut head = format!("{method} {} HTTP/1.1\r\nHost: {}\r\n", t.path, t.authority);
    for (k, v) in &req.headers {
        if k.is_empty() || k.chars().any(|c| c.is_control() || c == ':' || c == ' ') || v.chars().any(char::is_control) {
            return Err(Failure::Transport(format!("invalid header {k}")));
        }
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    let body = req.body.as_deref().unwrap_or("");
    if req.body.is_some() || req.method != Method::Get {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("User-Agent: deskside-cli\r\nConnection: close\r\n\r\n");
    let mut out = head.into_bytes();
    out.extend_from_slice(body.as_bytes());
    Ok(out)
}

/// The answer in `buf`, once it is whole (`eof`: the connection has ended).
/// `Ok(None)`: more is to come.
pub fn parse_response(buf: &[u8], eof: bool) -> Result<Option<HttpResponse>, String> {
    let Some(head_end) = find(buf, b"\r\n\r\n").map(|i| i + 4).or_else(|| find(buf, b"\n\n").map(|i| i + 2)) else {
        return if eof { Err(not_http(buf)) } else { Ok(None) };
    };
    let head = String::from_utf8_lossy(&buf[..head_end]);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or("");
    let mut parts = status_line.split_whitespace();
    let (Some(version), Some(code)) = (parts.next(), parts.next()) else { return Err(not_http(buf)) };
    if !version.starts_with("HTTP/1.") {
        return Err(not_http(buf));
    }
    let status: u16 = code.parse().ok().filter(|s| (100..=999).contains(s)).ok_or_else(|| not_http(buf))?;
    let mut content_length = None;
    let mut chunked = false;
    let mut retry_after = None;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else { continue };
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
        match name.as_str() {
            "content-length" => content_length = Some(value.parse::<usize>().map_err(|_| format!("bad Content-Length: {value}"))?),
            "transfer-encoding" => chunked = value.to_ascii_lowercase().split(',').any(|t| t.trim() == "chunked"),
            "retry-after" => retry_after = Some(value.to_string()),
            _ => {}
        }
    }
    if (100..200).contains(&status) {
        // An interim answer (100 Continue): the real one follows.
        return parse_response(&buf[head_end..], eof);
    }
    let rest = &buf[head_end..];
    let body = if status == 204 || status == 304 {
        Vec::new()
    } else if chunked {
        match dechunk(rest)? {
            Some(b) => b,
            None if eof => return Err("the connection closed inside a chunked answer".into()),
            None => return Ok(None),
        }
    } else if let Some(n) = content_length {
        if rest.len() < n {
            return if eof { Err(format!("the answer ended after {} of {n} bytes", rest.len())) } else { Ok(None) };
        }
        rest[..n].to_vec()
    } else if eof {
        rest.to_vec()
    } else {
        return Ok(None);
    };
    Ok(Some(HttpResponse { status, retry_after, body: String::from_utf8_lossy(&body).into_owned(), redirected: false }))
}

fn not_http(buf: &[u8]) -> String {
    let start: String = String::from_utf8_lossy(&buf[..buf.len().min(40)]).chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    format!("not an HTTP answer: {start:?}")
}

/// A chunked body, once its last chunk is there.
fn dechunk(mut rest: &[u8]) -> Result<Option<Vec<u8>>, String> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = find(rest, b"\r\n") else { return Ok(None) };
        let size_text = String::from_utf8_lossy(&rest[..eol]);
        let size_text = size_text.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| format!("bad chunk size: {size_text:?}"))?;
        rest = &rest[eol + 2..];
        if size == 0 {
            // Trailers (ignored) end with an empty line; a closed connection right here is fine too.
            return Ok(Some(out));
        }
        if rest.len() < size + 2 {
            return Ok(None);
        }
        out.extend_from_slice(&rest[..size]);
        if &rest[size..size + 2] != b"\r\n" {
            return Err("a chunk does not end with CRLF".into());
        }
        rest = &rest[size + 2..];
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        let t = Target::parse("http://127.0.0.1:8787/v2/people/search?q=a%40b").unwrap();
        assert_eq!((t.host.as_str(), t.port, t.path.as_str(), t.authority.as_str()), ("127.0.0.1", 8787, "/v2/people/search?q=a%40b", "127.0.0.1:8787"));
        let t = Target::parse("http://[::1]:9/x").unwrap();
        assert_eq!((t.host.as_str(), t.port), ("::1", 9));
        let t = Target::parse("http://localhost?x=1").unwrap();
        assert_eq!((t.port, t.path.as_str()), (80, "/?x=1"));
        let t = Target::parse("https://api.hubapi.com/crm/v3?x=1#frag").unwrap();
        assert_eq!((t.tls, t.host.as_str(), t.port, t.path.as_str(), t.authority.as_str()), (true, "api.hubapi.com", 443, "/crm/v3?x=1", "api.hubapi.com"));
        assert!(!Target::parse("http://127.0.0.1/").unwrap().tls);
        assert_eq!(Target::parse("http://user@127.0.0.1/"), None);
        assert_eq!(Target::parse("https://:443/"), None);
        assert_eq!(Target::parse("ftp://127.0.0.1/"), None);
    }

    /// Plain http: loopback, or the one host accepted; https anywhere.
    #[test]
    fn plain_http_only_to_loopback_or_the_accepted_host() {
        let allowed = |url: &str, accepted: Option<&str>| Target::parse(url).unwrap().plain_http_allowed(accepted);
        assert!(allowed("http://127.0.0.1:8787/x", None));
        assert!(allowed("http://localhost/x", None));
        assert!(allowed("http://[::1]:9/x", None));
        assert!(!allowed("http://crm.intranet/x", None));
        assert!(allowed("http://crm.intranet:8080/x", Some("crm.intranet")));
        assert!(!allowed("http://other.intranet/x", Some("crm.intranet")));
        assert!(!allowed("http://127.0.0.1.evil.example/x", None));
        let t = Transport::new(None, None).unwrap();
        let req = HttpRequest { method: Method::Get, url: "http://crm.intranet/x".into(), headers: Vec::new(), body: None, redact: Default::default() };
        match t.send(&req, Duration::from_secs(1), 1024) {
            Err(Failure::Transport(m)) => assert!(m.contains("plain http to crm.intranet is refused") && m.contains("--plain-http"), "{m}"),
            other => panic!("{other:?}"),
        }
    }

    /// A certificate problem names the host and says what to do.
    #[test]
    fn certificate_failures_are_said_for_the_admin() {
        let t = Target::parse("https://127.0.0.1:8443/x").unwrap();
        let f = tls_failure(&t, &rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer));
        assert_eq!(f, Failure::Untrusted("certificate not trusted: the certificate of 127.0.0.1:8443 is not signed by a known certificate authority (a self-signed certificate, or a company proxy's): give the authority's certificate with --ca-file PEM".into()));
        match tls_failure(&t, &rustls::Error::InvalidCertificate(CertificateError::NotValidForName)) {
            Failure::Untrusted(m) => assert!(m.starts_with("certificate not trusted: the certificate of 127.0.0.1:8443 is not issued for 127.0.0.1"), "{m}"),
            other => panic!("{other:?}"),
        }
        match tls_failure(&t, &rustls::Error::AlertReceived(rustls::AlertDescription::HandshakeFailure)) {
            Failure::Transport(m) => assert!(m.starts_with("127.0.0.1:8443: TLS handshake failed: "), "{m}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_ca_file_must_hold_certificates() {
        let dir = std::env::temp_dir().join(format!("deskside-http-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let e = Transport::new(Some(empty.to_str().unwrap()), None).err().unwrap();
        assert!(e.contains("no certificate in it"), "{e}");
        let e = Transport::new(Some("/nonexistent/ca.pem"), None).err().unwrap();
        assert!(e.starts_with("--ca-file /nonexistent/ca.pem: cannot read it"), "{e}");
        let bad = dir.join("bad.pem");
        std::fs::write(&bad, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n").unwrap();
        let e = Transport::new(Some(bad.to_str().unwrap()), None).err().unwrap();
        assert!(e.contains("--ca-file") && e.contains("bad.pem"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn answers_by_length_chunked_and_until_the_end() {
        let a = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
        assert_eq!(parse_response(&a[..a.len() - 1], false).unwrap().map(|r| r.body), None);
        assert_eq!(parse_response(a, false).unwrap().unwrap().body, "hello");
        assert!(parse_response(&a[..a.len() - 1], true).is_err());
        let c = b"HTTP/1.1 429 Too Many\r\nTransfer-Encoding: chunked\r\nRetry-After: 7\r\n\r\n4\r\n{\"a\"\r\n3;x=y\r\n:1}\r\n0\r\n\r\n";
        let r = parse_response(c, false).unwrap().unwrap();
        assert_eq!((r.status, r.retry_after.as_deref(), r.body.as_str()), (429, Some("7"), "{\"a\":1}"));
        assert_eq!(parse_response(&c[..c.len() - 8], false).unwrap().map(|r| r.status), None);
        let e = b"HTTP/1.0 404 Not Found\r\n\r\n<html>";
        assert_eq!(parse_response(e, false).unwrap().map(|r| r.status), None);
        assert_eq!(parse_response(e, true).unwrap().unwrap().body, "<html>");
        assert!(parse_response(b"SSH-2.0-OpenSSH\r\n\r\n", true).is_err());
        let cont = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n";
        assert_eq!(parse_response(cont, false).unwrap().unwrap().status, 204);
    }

    #[test]
    fn header_injection_is_refused() {
        let t = Target::parse("http://127.0.0.1:1/").unwrap();
        let req = HttpRequest { method: Method::Get, url: "http://127.0.0.1:1/".into(), headers: vec![("Authorization".into(), "Bearer a\r\nX-Evil: 1".into())], body: None, redact: Default::default() };
        assert!(request_bytes(&req, &t).is_err());
        let req = HttpRequest { headers: vec![("Accept".into(), "application/json".into())], body: Some("{}".into()), method: Method::Post, ..req };
        let wire = String::from_utf8(request_bytes(&req, &t).unwrap()).unwrap();
        assert!(wire.starts_with("POST / HTTP/1.1\r\nHost: 127.0.0.1:1\r\nAccept: application/json\r\nContent-Length: 2\r\n"), "{wire}");
        assert!(wire.ends_with("Connection: close\r\n\r\n{}"), "{wire}");
    }
}
