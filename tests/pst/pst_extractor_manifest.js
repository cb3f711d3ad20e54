// tests/pst/pst_extractor_manifest.js - reads a PST with pst-extractor (npm)
// and prints the manifest test_readers.c compares with the source mailbox:
//   F <folder path> <message count>
//   M <folder path>\t<subject>\t<sender name>\t<body hash>
//   A <folder path>\t<subject>\t<attachment name>\t<size>\t<data hash>
// Hashes are 64-bit FNV-1a in hex; bodies with CRLF as LF and trailing
// white space removed. Paths are relative to the IPM subtree.
'use strict';
const { PSTFile } = require('pst-extractor');

function fnv(buf) {
  let h = 0xcbf29ce484222325n;
  for (const b of buf) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

function norm(s) {
  return (s || '').replace(/\r\n/g, '\n').replace(/\s+$/, '');
}

const out = [];

function message(path, m) {
  out.push(`M ${path}\t${m.subject}\t${m.senderName}\t${fnv(Buffer.from(norm(m.body), 'utf8'))}`);
  for (let i = 0; i < m.numberOfAttachments; i++) {
    const a = m.getAttachment(i);
    if (a.attachMethod === 5) continue; // embedded messages are not files
    const s = a.fileInputStream;
    let data = Buffer.alloc(0);
    if (s) {
      data = Buffer.alloc(s.length.toNumber());
      s.readCompletely(data);
    }
    const name = a.longFilename || a.filename;
    out.push(`A ${path}\t${m.subject}\t${name}\t${data.length}\t${fnv(data)}`);
  }
}

function walk(folder, path) {
  let count = 0;
  if (folder.contentCount > 0) {
    let m = folder.getNextChild();
    while (m) {
      message(path, m);
      count++;
      m = folder.getNextChild();
    }
  }
  out.push(`F ${path} ${count}`);
  for (const sub of folder.getSubFolders())
    walk(sub, path ? `${path}/${sub.displayName}` : sub.displayName);
}

const pst = new PSTFile(process.argv[2]);
const root = pst.getRootFolder();
for (const top of root.getSubFolders()) {
  if (top.displayName !== 'Top of Personal Folders') continue;
  for (const f of top.getSubFolders()) walk(f, f.displayName);
}
out.sort();
process.stdout.write(out.join('\n') + '\n');
