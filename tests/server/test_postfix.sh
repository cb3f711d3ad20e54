#!/usr/bin/env bash
# tests/server/test_postfix.sh SOURCE_DIR BINARY_DIR CC - a private Postfix
# (its own config, queue and data directories in a temporary directory,
# SMTP on a loopback port only, never the system instance) delivering into
# freemapid over LMTP (virtual_transport = lmtp:inet:127.0.0.1:PORT), mail
# sent into it with swaks:
#   - every message Postfix accepted lands in its mailbox exactly once, a
#     user+tag address in the user's, an unknown user bounced (550 5.1.1);
#   - freemapid SIGKILLed at random moments while Postfix delivers N
#     messages and started again: after Postfix's retries every accepted
#     message is in the mailbox exactly once (a copy committed just before
#     a kill, its 250 never sent, is not saved again on the retry).
# Postfix's master runs as root and drops to mail_owner (postfix), so the
# test needs root; without it, or without Postfix, it is skipped (exit 77,
# reported as skipped by ctest). Every wait is bounded.
set -euo pipefail
bin=$(cd "$2" && pwd)
N=${FM_POSTFIX_MESSAGES:-12}
KILLS=${FM_POSTFIX_KILLS:-3}
if [ "$(id -u)" -ne 0 ] || ! command -v postfix >/dev/null || ! id postfix >/dev/null 2>&1 ||
  ! command -v swaks >/dev/null; then
  echo "postfix: skipped (needs root, postfix and swaks: scripts/setup.sh)"
  exit 77
fi
# Postfix's sockets live under the queue directory: keep the path short.
T=$(mktemp -d "${TMPDIR:-/tmp}/fm-postfix.XXXXXX")
chmod 755 "$T"
pid=
pf_started=
cleanup() {
  [ -n "$pf_started" ] && postfix -c "$T/pf" abort >/dev/null 2>&1
  if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$T"
}
trap cleanup EXIT
fail() {
  echo "postfix: FAIL: $*"
  [ -f "$T/maillog" ] && tail -15 "$T/maillog"
  [ -f "$T/log" ] && tail -5 "$T/log"
  exit 1
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
smtp_port=$(free_port)
lmtp_port=$(free_port)

# ---- the site and freemapid -------------------------------------------------
M() { "$bin/mapi" --quiet --site "$T/site" "$@"; }
mkdir -m 700 "$T/fm"
M site init
M user add alice --smtp alice@example.org # mailbox 1
M user add bob --smtp bob@example.org     # mailbox 2
printf 'site = %s\nlmtp_listen = 127.0.0.1:%s\nlmtp_timeout = 30\n' "$T/site" "$lmtp_port" \
  >"$T/fm/conf"
start_freemapid() {
  "$bin/freemapid" --config "$T/fm/conf" >>"$T/log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do
    [ "$(grep -c "freemapid: ready$" "$T/log")" -ge "$1" ] && return 0
    kill -0 "$pid" 2>/dev/null || fail "freemapid ended"
    sleep 0.1
  done
  fail "freemapid not ready in 30 s"
}
starts=1
start_freemapid $starts

# ---- a private Postfix --------------------------------------------------------
mkdir -p "$T/pf" "$T/queue" "$T/data"
chown postfix "$T/data"
chmod 700 "$T/data"
cp /etc/postfix/master.cf "$T/pf/master.cf"
cat >"$T/pf/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $T/queue
data_directory = $T/data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mx.test
mydomain = test
mydestination =
relayhost =
mynetworks = 127.0.0.0/8
virtual_mailbox_domains = example.org
virtual_transport = lmtp:inet:127.0.0.1:$lmtp_port
maillog_file_prefixes = $T
maillog_file = $T/maillog
alias_maps =
alias_database =
local_recipient_maps =
smtputf8_enable = no
biff = no
# retry soon: the kill test waits for the retries
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
lmtp_connect_timeout = 5s
default_destination_concurrency_failed_cohort_limit = 100
CONF
# SMTP on the loopback port only (the default "smtp inet" line replaced), no chroot
sed -i "s/^smtp      inet.*smtpd\$/127.0.0.1:$smtp_port inet n - n - - smtpd/" "$T/pf/master.cf"
postconf -c "$T/pf" -F '*/*/chroot = n'
grep -q "^127.0.0.1:$smtp_port inet" "$T/pf/master.cf" || fail "master.cf has no smtp line to replace"
postfix -c "$T/pf" start >/dev/null 2>&1 || fail "postfix did not start"
pf_started=1
for _ in $(seq 1 100); do
  python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$smtp_port),1)" 2>/dev/null && break
  sleep 0.1
done

send() { # send TO SUBJECT
  local out
  out=$(swaks --server "127.0.0.1:$smtp_port" --from sender@else.test --to "$1" \
    --header "Subject: $2" --body "body of $2" 2>&1 || true)
  grep -q "^<-  250 2.0.0 Ok: queued" <<<"$out" || fail "postfix did not accept $2: $out"
}
queue_empty() { # waits (at most $1 s) until Postfix has nothing left to deliver
  for _ in $(seq 1 $(($1 * 4))); do
    [ "$(postqueue -c "$T/pf" -p 2>/dev/null || true)" = "Mail queue is empty" ] && return 0
    sleep 0.25
  done
  fail "the queue is not empty after $1 s: $(postqueue -c "$T/pf" -p | tail -5)"
}
count() { # count MAILBOX SUBJECT
  python3 - "$T/site/mailboxes/$1.fmdb" "$2" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], timeout=30)
print(c.execute("SELECT count(*) FROM messages WHERE parent_attach IS NULL AND subject = ?",
                (sys.argv[2],)).fetchone()[0])
PY
}

# ---- 1. delivery through Postfix -----------------------------------------------
send alice@example.org "plain one"
send bob+lists@example.org "tagged one"
send nobody@example.org "lost one"
queue_empty 60
[ "$(count 1 "plain one")" = 1 ] || fail "plain one: $(count 1 "plain one") copies"
[ "$(count 2 "tagged one")" = 1 ] || fail "tagged one: $(count 2 "tagged one") copies"
grep -q "to=<nobody@example.org>.*status=bounced (host 127.0.0.1\[127.0.0.1\] said: 550 5.1.1" \
  "$T/maillog" || fail "nobody was not bounced with 550 5.1.1"

# ---- 2. freemapid killed during delivery ----------------------------------------
( for i in $(seq 1 "$N"); do send alice@example.org "kill $i"; done ) &
sender=$!
for k in $(seq 1 "$KILLS"); do
  sleep "0.$((RANDOM % 4 + 1))"
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null || true
  starts=$((starts + 1))
  start_freemapid $starts
done
wait "$sender" || fail "a message was not accepted by postfix"
postqueue -c "$T/pf" -f 2>/dev/null || true
queue_empty 90
for i in $(seq 1 "$N"); do
  c=$(count 1 "kill $i")
  [ "$c" = 1 ] || fail "kill $i: $c copies after $KILLS kills"
done
echo "postfix: ok ($N messages, $KILLS kills of freemapid, each message once)"
