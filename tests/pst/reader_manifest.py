#!/usr/bin/env python3
"""tests/pst/reader_manifest.py - turns what readpst or pffexport wrote into
the manifest test_readers.c compares with the source mailbox (the format is
in pst_extractor_manifest.js). readpst's messages are parsed with Python's
email package; pffexport's text files are read as it writes them.

usage: reader_manifest.py readpst DIR | pffexport DIR
"""
import email
import email.policy
import os
import re
import sys


def fnv(data):
    h = 0xcbf29ce484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001b3) & 0xffffffffffffffff
    return '%016x' % h


def norm(s):
    return re.sub(r'\s+$', '', (s or '').replace('\r\n', '\n'))


out = []


def readpst(top):
    # readpst -S: one directory per folder, messages as files "1", "2", ...
    # (attachments as "1-name"); the top directory is the store's name
    (store,) = [d for d in os.listdir(top) if os.path.isdir(os.path.join(top, d))]
    base = os.path.join(top, store)
    for dirpath, dirnames, files in os.walk(base):
        rel = os.path.relpath(dirpath, base)
        if rel == '.':
            continue
        count = 0
        for f in sorted(files):
            if not f.isdigit():
                continue
            count += 1
            with open(os.path.join(dirpath, f), 'rb') as fh:
                msg = email.message_from_binary_file(fh, policy=email.policy.default)
            subject = str(msg['subject'] or '')
            sender = msg['from'].addresses[0].display_name if msg['from'] else ''
            body = ''
            for part in msg.walk():
                if part.get_content_type() == 'text/plain' and not part.get_filename():
                    body = part.get_content()
                    break
            out.append('M %s\t%s\t%s\t%s' % (rel, subject, sender, fnv(norm(body).encode())))
            for a in sorted(files):
                if a.startswith(f + '-'):
                    with open(os.path.join(dirpath, a), 'rb') as fh:
                        data = fh.read()
                    out.append('A %s\t%s\t%s\t%d\t%s' % (rel, subject, a[len(f) + 1:], len(data),
                                                         fnv(data)))
        out.append('F %s %d' % (rel, count))


def field(text, name):
    m = re.search(r'^%s:\t+(.*)$' % re.escape(name), text, re.M)
    return m.group(1).strip() if m else ''


def pffexport(top):
    base = os.path.join(top, 'Top of Personal Folders')
    for dirpath, dirnames, files in os.walk(base):
        rel = os.path.relpath(dirpath, base)
        if rel == '.' or re.search(r'(^|/)(Message|Attachment)\d{5}', rel):
            continue
        count = 0
        for d in sorted(dirnames):
            if not re.fullmatch(r'Message\d{5}', d):
                continue
            count += 1
            mdir = os.path.join(dirpath, d)
            with open(os.path.join(mdir, 'OutlookHeaders.txt'), encoding='utf-8') as fh:
                headers = fh.read()
            body = ''
            if os.path.exists(os.path.join(mdir, 'Message.txt')):
                with open(os.path.join(mdir, 'Message.txt'), 'rb') as fh:
                    body = fh.read().decode('utf-8', 'replace')
            subject = field(headers, 'Subject')
            out.append('M %s\t%s\t%s\t%s' % (rel, subject, field(headers, 'Sender name'),
                                             fnv(norm(body).encode())))
            adir = os.path.join(mdir, 'Attachments')
            if os.path.isdir(adir):
                for a in sorted(os.listdir(adir)):
                    path = os.path.join(adir, a)
                    if not os.path.isfile(path):
                        continue  # an embedded message
                    with open(path, 'rb') as fh:
                        data = fh.read()
                    name = re.sub(r'^\d+_', '', a)
                    out.append('A %s\t%s\t%s\t%d\t%s' % (rel, subject, name, len(data), fnv(data)))
        out.append('F %s %d' % (rel, count))


{'readpst': readpst, 'pffexport': pffexport}[sys.argv[1]](sys.argv[2])
out.sort()
sys.stdout.write('\n'.join(out) + '\n')
