#!/usr/bin/env bash
# bench/bench_lmtp.sh - LMTP delivery throughput: 10 KB messages over 4
# concurrent connections into freemapid's LMTP server (each copy converted
# from MIME and committed to a SQLite mailbox, synchronous=FULL), and in the
# same run into Dovecot's LMTP (dovecot-lmtpd, run privately from its own
# configuration on a loopback port) delivering the same messages into
# Maildir (its default fsync). The client is the same Python program for
# both: per connection LHLO once, then MAIL, RCPT, DATA, one message after
# the other, each waited for; every message has its own Message-ID. Each
# figure is messages per second over the whole run (first byte to last
# reply), after a warm-up of 20 messages not counted.
#
# Needs root (Dovecot drops to its own users) and dovecot-lmtpd.
# Usage: bench/bench_lmtp.sh [BUILD_DIR] [MESSAGES_PER_CONNECTION] [WORK_DIR]
#        (defaults: build-release, 250, /tmp/bench-lmtp)
set -euo pipefail
build=$(cd "${1:-build-release}" && pwd)
per=${2:-250}
work=${3:-/tmp/bench-lmtp}
[ -x "$build/freemapid" ] && [ -x "$build/mapi" ] ||
  { echo "bench_lmtp: build $build/freemapid and mapi first" >&2; exit 2; }
command -v dovecot >/dev/null || { echo "bench_lmtp: dovecot-lmtpd is not installed" >&2; exit 2; }
rm -rf "$work"
mkdir -p "$work"
chmod 755 "$work"
echo "command: bench/bench_lmtp.sh $build $per $work"
fm_pid= dv_started=
cleanup() {
  [ -n "$fm_pid" ] && kill "$fm_pid" 2>/dev/null && wait "$fm_pid" 2>/dev/null
  [ -n "$dv_started" ] && dovecot -c "$work/dovecot.conf" stop 2>/dev/null
  true
}
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# freemapid with four users
M() { "$build/mapi" --quiet --site "$work/site" "$@"; }
M site init
for i in 1 2 3 4; do M user add "u$i" --smtp "u$i@example.org"; done
fm_port=$(port)
printf 'site = %s\nlmtp_listen = 127.0.0.1:%s\n' "$work/site" "$fm_port" >"$work/freemapid.conf"
"$build/freemapid" --config "$work/freemapid.conf" 2>"$work/freemapid.log" &
fm_pid=$!
for _ in $(seq 1 100); do grep -q "ready$" "$work/freemapid.log" && break; sleep 0.1; done

# Dovecot, private: its own base, state and log, LMTP on a loopback port,
# Maildir under the work directory owned by nobody
dv_port=$(port)
mkdir -p "$work/dovecot/run" "$work/dovecot/state" "$work/maildir"
chown nobody "$work/maildir"
cat >"$work/dovecot.conf" <<CONF
base_dir = $work/dovecot/run
state_dir = $work/dovecot/state
log_path = $work/dovecot/log
protocols = lmtp
ssl = no
listen = 127.0.0.1
mail_location = maildir:$work/maildir/%n
default_internal_user = dovecot
default_login_user = dovenull
first_valid_uid = 1
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$work/maildir/%n allow_all_users=yes
}
passdb {
  driver = static
  args = nopassword=y
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $dv_port
  }
}
service anvil {
  chroot =
}
CONF
dovecot -c "$work/dovecot.conf"
dv_started=1
for _ in $(seq 1 100); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1',$dv_port),1)" 2>/dev/null && break
  sleep 0.1
done

cat >"$work/client.py" <<'PY'
import socket, sys, threading, time
port, per, conns = int(sys.argv[1]), int(sys.argv[2]), 4
body = ("".join("line %05d of a ten kilobyte message, plain text for LMTP.\r\n" % i
                for i in range(170)))[:10 * 1024]
def reply(f):
    while True:
        line = f.readline()
        if not line: raise SystemExit("connection closed")
        if line[3:4] != b"-": return line
def run(k, count, tag, errors):
    s = socket.create_connection(("127.0.0.1", port)); f = s.makefile("rb")
    reply(f); s.sendall(b"LHLO bench\r\n"); reply(f)
    for n in range(count):
        msg = ("From: bench@else.test\r\nTo: u%d@example.org\r\nSubject: bench %s %d %d\r\n"
               "Message-ID: <%s.%d.%d@else.test>\r\n\r\n%s" % (k, tag, k, n, tag, k, n, body))
        s.sendall(b"MAIL FROM:<bench@else.test>\r\n"); r1 = reply(f)
        s.sendall(b"RCPT TO:<u%d@example.org>\r\n" % k); r2 = reply(f)
        s.sendall(b"DATA\r\n"); r3 = reply(f)
        s.sendall(msg.encode() + b"\r\n.\r\n"); r4 = reply(f)
        if not (r1[:1] == r2[:1] == r4[:1] == b"2" and r3[:3] == b"354"):
            errors.append((r1, r2, r3, r4))
    s.sendall(b"QUIT\r\n"); s.close()
def batch(count, tag):
    errors = []
    ts = [threading.Thread(target=run, args=(k + 1, count, tag, errors)) for k in range(conns)]
    t = time.monotonic()
    for th in ts: th.start()
    for th in ts: th.join()
    if errors: raise SystemExit("failed: %r" % errors[:1])
    return time.monotonic() - t
batch(5, "warm")
secs = batch(per, "run")
print("%.0f msg/s (%d messages, %.2f s)" % (conns * per / secs, conns * per, secs))
PY
echo "freemapid LMTP -> SQLite mailboxes: $(python3 "$work/client.py" "$fm_port" "$per")"
echo "dovecot LMTP -> Maildir:            $(python3 "$work/client.py" "$dv_port" "$per")"
n=$(find "$work/maildir" -type f -path '*/new/*' | wc -l)
echo "check: dovecot Maildir files $n (expect $((4 * (per + 5))))"
m=$(python3 - "$work/site/mailboxes" <<'PY'
import glob, sqlite3, sys
print(sum(sqlite3.connect(f).execute("SELECT count(*) FROM messages WHERE parent_attach IS NULL"
                                     " AND subject LIKE 'bench %'").fetchone()[0]
          for f in glob.glob(sys.argv[1] + "/*.fmdb")))
PY
)
echo "check: freemapid messages $m (expect $((4 * (per + 5))))"
