#!/usr/bin/env bash
# tests/server/test_lmtp.sh SOURCE_DIR BINARY_DIR CC - freemapid's LMTP
# server driven by swaks, an independent LMTP client, and by raw sockets
# (Python) where swaks cannot misbehave enough: per-recipient replies after
# a pipelined DATA, 550 5.1.1 for an unknown user, user+tag resolved,
# 452 4.2.2 over quota, 552 5.3.4 over the size limit, one copy for the same
# message delivered twice, overlong lines, the idle timeout, the connection
# limit, and a non-loopback lmtp_listen refused. Counts are read from the
# mailbox files with Python's sqlite3. (Lists: tests/mime/test_deliver.c.)
set -euo pipefail
bin=$(cd "$2" && pwd)
command -v swaks >/dev/null || { echo "lmtp: swaks is not installed (scripts/setup.sh)"; exit 1; }
mkdir -p "$bin/tests/tmp"
T=$(mktemp -d "$bin/tests/tmp/lmtp.XXXXXX")
chmod 700 "$T"
pid=
cleanup() {
  if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "lmtp: FAIL: $*"; [ -f "$T/log" ] && tail -20 "$T/log"; exit 1; }

M() { "$bin/mapi" --quiet --site "$T/site" "$@"; }
M site init
M user add alice --smtp alice@example.org # mailbox 1
M user add bob --smtp bob@example.org     # mailbox 2
M user add carol --smtp carol@example.org # mailbox 3
M site quota carol --receive 0

mkdir -m 700 "$T/run"
cat >"$T/conf" <<CONF
site = $T/site
lmtp_listen = $T/run/lmtp.sock
lmtp_listen = 127.0.0.1:0
lmtp_max_message_size = 200000
lmtp_timeout = 1
lmtp_max_connections = 2
CONF

"$bin/freemapid" --config "$T/conf" >"$T/log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  grep -q "freemapid: ready$" "$T/log" && break
  kill -0 "$pid" 2>/dev/null || fail "freemapid ended"
  sleep 0.1
done
grep -q "freemapid: ready$" "$T/log" || fail "freemapid not ready in 30 s"
port=$(sed -n 's/^freemapid: ready lmtp tcp 127.0.0.1:\([0-9]*\)$/\1/p' "$T/log")
[ -n "$port" ] || fail "no LMTP port in the log"

count() { # count MAILBOX SUBJECT: top-level messages with that subject
  python3 - "$T/site/mailboxes/$1.fmdb" "$2" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("SELECT count(*) FROM messages WHERE parent_attach IS NULL AND subject = ?",
                (sys.argv[2],)).fetchone()[0])
PY
}
S() { swaks --protocol LMTP --socket "$T/run/lmtp.sock" --from sender@else.test "$@" 2>&1 || true; }

# 1. Pipelined: one reply per accepted recipient after DATA, 550 5.1.1 for
#    the unknown one, and the message in both mailboxes.
out=$(S --pipeline --to alice@example.org,nobody@example.org,bob+news@example.org \
  --header "Subject: pipelined")
for want in "250-PIPELINING" "250-ENHANCEDSTATUSCODES" "250-8BITMIME" "250 SIZE 200000" \
  "550 5.1.1 <nobody@example.org>" "250 2.1.5 <alice@example.org> delivered" \
  "250 2.1.5 <bob+news@example.org> delivered"; do
  grep -qF -- "$want" <<<"$out" || fail "no '$want' in: $out"
done
[ "$(grep -c "delivered" <<<"$out")" = 2 ] || fail "not one reply per recipient: $out"
[ "$(count 1 pipelined)" = 1 ] && [ "$(count 2 pipelined)" = 1 ] || fail "pipelined copies"

# 2. Over quota: 452 4.2.2 for carol, 250 for alice in the same transaction;
#    nothing in carol's mailbox.
out=$(swaks --protocol LMTP --server "127.0.0.1:$port" --from s@else.test \
  --to carol@example.org,alice@example.org --header "Subject: quota" 2>&1 || true)
grep -qF "452 4.2.2 <carol@example.org>" <<<"$out" || fail "no 452 4.2.2: $out"
grep -qF "250 2.1.5 <alice@example.org> delivered" <<<"$out" || fail "alice: $out"
[ "$(count 3 quota)" = 0 ] && [ "$(count 1 quota)" = 1 ] || fail "quota copies"

# 3. The same bytes twice (an MTA's retry after a lost answer): one copy.
printf 'From: a@else.test\r\nTo: alice@example.org\r\nSubject: twice\r\nMessage-ID: <t@else.test>\r\n\r\nonce\r\n' >"$T/twice.eml"
for _ in 1 2; do
  out=$(S --to alice@example.org --data "$T/twice.eml")
  grep -qF "250 2.1.5 <alice@example.org> delivered" <<<"$out" || fail "twice: $out"
done
[ "$(count 1 twice)" = 1 ] || fail "the same message twice made $(count 1 twice) copies"

# 4. Size: announced too large (MAIL SIZE=) and sent too large: 552 5.3.4.
head -c 300000 /dev/zero | tr '\0' 'x' | fold -w 70 >"$T/big.txt"
out=$(S --to alice@example.org --header "Subject: big" --body "$T/big.txt")
grep -qF "552 5.3.4" <<<"$out" || fail "no 552 for a large message: $out"
[ "$(count 1 big)" = 0 ] || fail "a message over the limit was saved"

# 5. Raw protocol: overlong line, SIZE= too large, commands out of order,
#    the idle timeout, the connection limit.
python3 - "$T/run/lmtp.sock" <<'PY' || fail "raw protocol checks"
import socket, sys, time
path = sys.argv[1]
def conn():
    s = socket.socket(socket.AF_UNIX); s.settimeout(10); s.connect(path)
    f = s.makefile("rb")
    assert f.readline().startswith(b"220 "), "greeting"
    return s, f
def cmd(s, f, line):
    s.sendall(line + b"\r\n")
    return f.readline()
s, f = conn()
assert cmd(s, f, b"MAIL FROM:<a@b>").startswith(b"503 5.5.1"), "MAIL before LHLO"
assert cmd(s, f, b"HELO x").startswith(b"500 5.5.1"), "HELO is not LMTP"
s.sendall(b"LHLO x\r\n")
while not f.readline().startswith(b"250 "): pass
assert cmd(s, f, b"NOOP " + b"A" * 600).startswith(b"500 5.5.2"), "overlong line"
assert cmd(s, f, b"MAIL FROM:<a@b> SIZE=999999999").startswith(b"552 5.3.4"), "SIZE"
assert cmd(s, f, b"MAIL FROM:<a@b> FOO=1").startswith(b"555 5.5.4"), "unknown parameter"
assert cmd(s, f, b"DATA").startswith(b"503 5.5.1"), "DATA without MAIL"
assert cmd(s, f, b"RCPT TO:<alice@example.org>").startswith(b"503 5.5.1"), "RCPT before MAIL"
assert cmd(s, f, b"MAIL FROM:<>").startswith(b"250 2.1.0"), "null sender"
assert cmd(s, f, b"RCPT TO:<nobody@example.org>").startswith(b"550 5.1.1"), "unknown"
assert cmd(s, f, b"DATA").startswith(b"503 5.5.1"), "DATA without recipients"
assert cmd(s, f, b"RSET").startswith(b"250 2.0.0"), "RSET"
# the limit: this connection and one more; a third is told 421 4.3.2
s2, f2 = conn()
s3 = socket.socket(socket.AF_UNIX); s3.settimeout(10); s3.connect(path)
assert s3.makefile("rb").readline().startswith(b"421 4.3.2"), "connection limit"
s3.close()
assert cmd(s2, f2, b"QUIT").startswith(b"221"), "QUIT"
s2.close()
# silence: 421 4.4.2 after lmtp_timeout (1 s), well within 10 s
t = time.monotonic()
assert f.readline().startswith(b"421 4.4.2"), "timeout"
assert time.monotonic() - t < 9, "timeout too late"
PY

# 6. SIGTERM stops it cleanly (the socket is removed); a non-loopback
#    lmtp_listen is refused.
kill -TERM "$pid"
wait "$pid" || fail "freemapid did not exit 0 on SIGTERM"
pid=
[ ! -e "$T/run/lmtp.sock" ] || fail "the socket stayed"
printf 'site = %s\nlmtp_listen = 0.0.0.0:0\n' "$T/site" >"$T/bad.conf"
if "$bin/freemapid" --config "$T/bad.conf" >"$T/bad.log" 2>&1; then fail "0.0.0.0 accepted"; fi
grep -q "not a loopback address" "$T/bad.log" || fail "no reason given: $(cat "$T/bad.log")"
echo "lmtp: ok"
