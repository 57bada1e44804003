//! A tiny blocking HTTP/1.1 client for `http://` URLs, over
//! `std::net::TcpStream`: enough to run a definition against an API on this
//! computer (a base URL may be `http://` only for loopback, so no TLS is
//! needed). One request per connection (`Connection: close`), no redirects
//! followed, bodies by `Content-Length`, chunked or until the connection ends.

use deskside_core::connector::{HttpRequest, HttpResponse, Method};
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
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
}

/// Sends `req` (an `http://` URL) and reads the whole answer, refusing
/// more than `max_bytes` of it.
pub fn send(req: &HttpRequest, timeout: Duration, max_bytes: usize) -> Result<HttpResponse, Failure> {
    let target = Target::parse(&req.url).ok_or_else(|| Failure::Transport(format!("not an http:// URL: {}", without_query(&req.url))))?;
    let wire = request_bytes(req, &target)?;
    let deadline = Instant::now() + timeout;
    let addrs: Vec<_> = (target.host.as_str(), target.port)
        .to_socket_addrs()
        .map_err(|e| Failure::Transport(format!("cannot resolve {}: {e}", target.host)))?
        .collect();
    let mut last = None;
    let mut stream = None;
    for a in addrs {
        match TcpStream::connect_timeout(&a, timeout) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last = Some(e),
        }
    }
    let mut stream = stream.ok_or_else(|| io_failure(&target, last.unwrap_or_else(|| std::io::Error::other("no address"))))?;
    stream.set_write_timeout(Some(timeout)).map_err(|e| io_failure(&target, e))?;
    stream.write_all(&wire).map_err(|e| io_failure(&target, e))?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Failure::Timeout);
        }
        stream.set_read_timeout(Some(left)).map_err(|e| io_failure(&target, e))?;
        let n = match stream.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => return Err(Failure::Timeout),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_failure(&target, e)),
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

fn io_failure(t: &Target, e: std::io::Error) -> Failure {
    match e.kind() {
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => Failure::Timeout,
        _ => Failure::Transport(format!("{}:{}: {e}", t.host, t.port)),
    }
}

fn without_query(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

/// Where an `http://` URL points.
#[derive(Debug, PartialEq, Eq)]
pub struct Target {
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
        let rest = url.strip_prefix("http://")?;
        let rest = rest.split('#').next().unwrap_or(rest);
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, path) = rest.split_at(end);
        if authority.is_empty() || authority.contains('@') {
            return None;
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (h, after) = v6.split_once(']')?;
            (h.to_string(), after.strip_prefix(':').map(str::parse).transpose().ok()?.unwrap_or(80))
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), p.parse().ok()?),
                None => (authority.to_string(), 80),
            }
        };
        let path = if path.starts_with('/') { path.to_string() } else { format!("/{path}") };
        Some(Target { authority: authority.to_string(), host, port, path })
    }
}

/// The request as sent. Header values with control characters (a line
/// break in a key from the environment) are refused, never sent.
pub fn request_bytes(req: &HttpRequest, t: &Target) -> Result<Vec<u8>, Failure> {
    let method = match req.method {
        Method::Get => "GET",
        Method::Post => "POST",
    };
    let mut head = format!("{method} {} HTTP/1.1\r\nHost: {}\r\n", t.path, t.authority);
    for (k, v) in &req.headers {
        if k.is_empty() || k.chars().any(|c| c.is_control() || c == ':' || c == ' ') || v.chars().any(char::is_control) {
            return Err(Failure::Transport(format!("invalid header {k}")));
        }
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    let body = req.body.as_deref().unwrap_or("");
    if req.body.is_some() || req.method == Method::Post {
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
        assert_eq!(Target::parse("https://127.0.0.1/"), None);
        assert_eq!(Target::parse("http://user@127.0.0.1/"), None);
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
