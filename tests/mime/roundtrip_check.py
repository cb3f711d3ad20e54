#!/usr/bin/env python3
"""tests/mime/roundtrip_check.py - the round-trip rule of issue 20, checked by
an independent parser: Python's email package with policy.default.

For every pair ORIGINAL EXPORTED given (or every NAME.orig.eml / NAME.out.eml
pair in a directory), both messages are parsed and compared: the message's
headers, then every part in order: its content type with its parameters, its
disposition and file name, its header fields, and (for leaves) its decoded
content. What is allowed to differ: multipart boundaries (they are only
delimiters), Content-Transfer-Encoding and MIME-Version (the export chooses
them), line ends inside text (CRLF and LF are the same text), and header
fields that the import repaired (Python drops a first header line that starts
with a blank; the import reads it as the field it is).

Usage: roundtrip_check.py DIR | ORIGINAL EXPORTED [...]
Exit status 0 when every pair keeps everything, 1 otherwise (with the
differences on standard output).
"""
import email
import email.policy
import os
import sys

SKIP_HEADERS = {"content-transfer-encoding", "mime-version"}


def norm_text(s):
    return s.replace("\r\n", "\n").replace("\r", "\n")


def header_value(v):
    try:
        return norm_text(str(v)).strip()
    except Exception as e:  # a header Python cannot render: its raw form
        return "<unrenderable %s>" % type(e).__name__


def params(part):
    out = []
    try:
        ps = part.get_params() or []
    except Exception:
        ps = []
    for k, v in ps[1:]:
        if k.lower() == "boundary":
            continue
        if isinstance(v, tuple):  # RFC 2231 (charset, language, value)
            v = email.utils.collapse_rfc2231_value(v)
        out.append((k.lower(), str(v)))
    return sorted(out)


def fields(part, top):
    out = []
    for k, v in part.items():
        kl = k.lower()
        if kl in SKIP_HEADERS:
            continue
        if kl == "content-type":
            continue  # compared as type and parameters
        out.append((kl, header_value(v)))
    return sorted(out)


def content(part):
    ct = part.get_content_type()
    payload = part.get_payload(decode=True)
    if payload is None:
        payload = b""
    if part.get_content_maintype() == "text":
        try:
            text = part.get_content()
            return ("text", norm_text(text).rstrip("\n"))
        except Exception:
            pass
        return ("bytes", payload.replace(b"\r\n", b"\n").rstrip(b"\n"))
    return ("bytes", payload)


def view(msg, path="", top=True):
    """The list of what the rule says must survive, entity by entity."""
    out = []
    ct = msg.get_content_type()
    entry = {
        "path": path or "/",
        "type": ct,
        "params": params(msg),
        "disposition": msg.get_content_disposition(),
        "filename": msg.get_filename(),
        "fields": fields(msg, top),
    }
    if msg.is_multipart() and ct == "message/rfc822":
        entry["kind"] = "message"
        out.append(entry)
        inner = msg.get_payload(0)
        out += view(inner, path + "/msg", True)
    elif msg.is_multipart():
        entry["kind"] = "multipart"
        entry["preamble"] = norm_text(msg.preamble or "").strip()
        entry["epilogue"] = norm_text(msg.epilogue or "").strip()
        out.append(entry)
        for i, p in enumerate(msg.get_payload()):
            out += view(p, "%s/%d" % (path, i), False)
    else:
        entry["kind"] = "leaf"
        entry["content"] = content(msg)
        out.append(entry)
    return out


def parse(path):
    with open(path, "rb") as f:
        return email.message_from_binary_file(f, policy=email.policy.default)


def repaired_fields(msg):
    """Fields Python does not see but the import rightly reads: a first
    line that starts with a blank (FirstHeaderLineIsContinuationDefect)."""
    out = set()
    for d in msg.defects:
        if type(d).__name__ == "FirstHeaderLineIsContinuationDefect":
            line = str(d.line if hasattr(d, "line") else d).strip()
            if ":" in line:
                out.add(line.split(":", 1)[0].strip().lower())
    return out


def compare(orig_path, out_path):
    a, b = parse(orig_path), parse(out_path)
    va, vb = view(a), view(b)
    allowed = repaired_fields(a)
    problems = []
    if len(va) != len(vb):
        problems.append("%d parts became %d: %s -> %s" % (
            len(va), len(vb), [e["type"] for e in va], [e["type"] for e in vb]))
    for ea, eb in zip(va, vb):
        for key in ("kind", "type", "params", "disposition", "filename", "preamble",
                    "epilogue", "content"):
            if ea.get(key) != eb.get(key):
                problems.append("%s: %s %r became %r" % (
                    ea["path"], key, short(ea.get(key)), short(eb.get(key))))
        fa = [f for f in ea["fields"]]
        fb = [f for f in eb["fields"] if not (ea["path"] == "/" and f[0] in allowed)]
        if fa != fb:
            lost = [f for f in fa if f not in fb]
            new = [f for f in fb if f not in fa]
            problems.append("%s: header fields lost %s, gained %s" % (
                ea["path"], short(lost), short(new)))
    return problems


def short(v):
    s = repr(v)
    return s if len(s) < 300 else s[:300] + "..."


def pairs(args):
    if len(args) == 1 and os.path.isdir(args[0]):
        d = args[0]
        for name in sorted(os.listdir(d)):
            if name.endswith(".orig.eml"):
                base = name[: -len(".orig.eml")]
                yield os.path.join(d, name), os.path.join(d, base + ".out.eml")
        return
    for i in range(0, len(args) - 1, 2):
        yield args[i], args[i + 1]


def main(args):
    bad = 0
    n = 0
    for orig, out in pairs(args):
        n += 1
        problems = compare(orig, out)
        if problems:
            bad += 1
            print("FAIL %s" % os.path.basename(orig))
            for p in problems:
                print("    " + p)
    print("%d of %d messages keep everything" % (n - bad, n))
    return 0 if bad == 0 and n > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
