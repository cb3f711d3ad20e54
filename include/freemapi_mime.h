/*
 * freemapi_mime.h - converting Internet mail (RFC 5322 / MIME) to MAPI
 * messages and back, and reading and writing mailbox files (mbox, Maildir).
 * This is libfreemapi-mime, a library apart from libfreemapi because it
 * brings GMime and GLib.
 *
 * The conversion follows Outlook's IConverterSession: MIMEToMAPI fills a
 * message the caller created (IMAPIFolder_CreateMessage, or an embedded
 * message) and the caller saves it; MAPIToMIMEStm writes a message out as
 * MIME. The flags are IConverterSession's CCSF_* values.
 *
 * Errors: every function returns an HRESULT. The text of the last failure
 * of an fmapi_mime_* call on this thread is fmapi_last_error(), as for any
 * freemapi call (fmapi_mime_last_error() gives the same text); when the
 * failure came from the store it includes the store's own text. Bad input
 * (broken MIME) is repaired where GMime can (missing boundaries, bad
 * base64, unknown charsets all still give a message); only unusable input
 * is refused, with MAPI_E_CORRUPT_DATA.
 *
 * Threads: every function may be called from any thread; one converter
 * call works on one message, which the caller does not share meanwhile.
 * GMime is initialised once on first use (g_mime_init) and never shut down:
 * g_mime_shutdown cannot be undone (GMime cannot be initialised again in the
 * same process) and other code in the process may use GMime too, so the
 * library leaves it initialised for the life of the process.
 */
#ifndef FREEMAPI_MIME_H
#define FREEMAPI_MIME_H

#include <stddef.h>
#include <stdint.h>

#include "mapidefs.h"

FREEMAPI_BEGIN_DECLS

/* GMime's types, named without including GMime. */
struct _GMimeStream;
struct _GMimeMessage;

/* ---- flags (IConverterSession's CCSF_* values) --------------------------- */
#ifndef CCSF_SMTP
#define CCSF_SMTP ((ULONG)0x00000002)             /* an SMTP message (accepted, implied) */
#define CCSF_NOHEADERS ((ULONG)0x00000004)        /* export: no headers of the outer message
                                                     taken from PR_TRANSPORT_MESSAGE_HEADERS */
#define CCSF_USE_TNEF ((ULONG)0x00000010)         /* export: with winmail.dat ([MS-OXTNEF]) */
#define CCSF_INCLUDE_BCC ((ULONG)0x00000020)      /* import / export Bcc recipients */
#define CCSF_8BITHEADERS ((ULONG)0x00000040)      /* export: raw UTF-8 in headers */
#define CCSF_USE_RTF ((ULONG)0x00000080)          /* not supported: MAPI_E_NO_SUPPORT */
#define CCSF_PLAIN_TEXT_ONLY ((ULONG)0x00001000)  /* export: text/plain body only */
#define CCSF_NO_MSGID ((ULONG)0x00004000)         /* export: no Message-ID */
#define CCSF_EMBEDDED_MESSAGE ((ULONG)0x00008000) /* sent/unsent kept in X-Unsent */
#endif

/* PR_ATTACH_FLAGS bits ([MS-OXCMSG] PidTagAttachFlags). */
#ifndef ATT_INVISIBLE_IN_HTML
#define ATT_INVISIBLE_IN_HTML ((ULONG)0x00000001)
#define ATT_INVISIBLE_IN_RTF ((ULONG)0x00000002)
#define ATT_MHTML_REF ((ULONG)0x00000004)
#endif

/* PR_IMPORTANCE and PR_PRIORITY values (MAPI's mapitags.h; not yet in
 * freemapi's). */
#ifndef IMPORTANCE_LOW
#define IMPORTANCE_LOW ((LONG)0)
#define IMPORTANCE_NORMAL ((LONG)1)
#define IMPORTANCE_HIGH ((LONG)2)
#endif
#ifndef PRIO_URGENT
#define PRIO_URGENT ((LONG)1)
#define PRIO_NORMAL ((LONG)0)
#define PRIO_NONURGENT ((LONG)-1)
#endif

/* Nesting (multiparts inside multiparts, messages inside messages) deeper
 * than this is not converted part by part: the deeper subtree becomes one
 * attachment holding its MIME text, so hostile nesting costs nothing. */
#define FMAPI_MIME_MAX_DEPTH 32

/* Receives output bytes. Returns S_OK, or an error that stops the writer
 * (the error is returned to the caller of the writing function). */
typedef HRESULT (*fmapi_mime_write_fn)(void *ctx, const void *data, size_t len);

/* The text of this thread's last failure ("" if none): the same text as
 * fmapi_last_error(), valid until the thread's next freemapi call. */
FREEMAPI_PUBLIC const char *fmapi_mime_last_error(void);

/* The warnings of this thread's last import ("" if none): one line for
 * each part the import had to repair, or kept as it came because MAPI has
 * no place for it (broken boundaries, text in no charset or the wrong one,
 * content that is not what its encoding says, headers that are not
 * fields). The import still succeeds; what it repaired is also kept as it
 * came, so an export writes it back unchanged. Valid until the next
 * fmapi_mime_* call on the thread. */
FREEMAPI_PUBLIC const char *fmapi_mime_last_warnings(void);

/* ---- MIME -> MAPI (MIMEToMAPI) -------------------------------------------- */
/*
 * Fills lpMessage (created by the caller, writable, not yet holding
 * recipients or attachments) from a MIME message: envelope properties,
 * recipients (To, Cc; Bcc with CCSF_INCLUDE_BCC), bodies (PR_BODY as
 * Unicode, PR_HTML as the UTF-8 bytes of the HTML) and attachments (files,
 * inline images of multipart/related, message/rfc822 as embedded messages;
 * an application/ms-tnef part (winmail.dat) gives its properties,
 * recipients and attachments, and is kept as a hidden attachment).
 * The message is not saved: the caller calls IMessage_SaveChanges.
 * ulFlags: 0 or CCSF_SMTP | CCSF_INCLUDE_BCC | CCSF_EMBEDDED_MESSAGE.
 *
 * Errors: MAPI_E_INVALID_PARAMETER (NULL arguments), MAPI_E_UNKNOWN_FLAGS,
 * MAPI_E_NO_SUPPORT (CCSF_USE_RTF, CCSF_USE_TNEF), MAPI_E_CORRUPT_DATA (not
 * a message at all), MAPI_E_NOT_ENOUGH_MEMORY, and whatever the message's
 * methods return. After a failure the message holds part of the content:
 * release it without saving.
 */
FREEMAPI_PUBLIC HRESULT fmapi_mime_import_buffer(const void *data, size_t len, LPMESSAGE lpMessage,
                                                 ULONG ulFlags);
/* The same from a file descriptor, read from its current position to its
 * end; the descriptor is not closed (its position afterwards is
 * unspecified). A regular file is not copied into memory: GMime reads the
 * parts from it as they are converted. Pipes and sockets work too. */
FREEMAPI_PUBLIC HRESULT fmapi_mime_import_fd(int fd, LPMESSAGE lpMessage, ULONG ulFlags);
/* The same from a GMime stream (read from its current position). */
FREEMAPI_PUBLIC HRESULT fmapi_mime_import_stream(struct _GMimeStream *stream, LPMESSAGE lpMessage,
                                                 ULONG ulFlags);
/* The same from a parsed GMime message. */
FREEMAPI_PUBLIC HRESULT fmapi_mime_import_message(struct _GMimeMessage *message,
                                                  LPMESSAGE lpMessage, ULONG ulFlags);

/* ---- MAPI -> MIME (MAPIToMIMEStm) ----------------------------------------- */
/*
 * Writes lpMessage as an RFC 5322 message with CRLF line ends:
 * multipart/mixed (attachments), multipart/alternative (text and HTML),
 * multipart/related (HTML with inline images) as the content needs;
 * quoted-printable or base64 as each part needs; RFC 2047 encoded words for
 * non-ASCII header text (raw UTF-8 with CCSF_8BITHEADERS).
 * ulFlags: 0 or CCSF_SMTP | CCSF_INCLUDE_BCC | CCSF_8BITHEADERS |
 * CCSF_PLAIN_TEXT_ONLY | CCSF_NO_MSGID | CCSF_NOHEADERS | CCSF_EMBEDDED_MESSAGE.
 * Errors as for import, and whatever write returns.
 */
FREEMAPI_PUBLIC HRESULT fmapi_mime_export(LPMESSAGE lpMessage, ULONG ulFlags,
                                          fmapi_mime_write_fn write, void *ctx);
/* The same to a file descriptor (not closed). */
FREEMAPI_PUBLIC HRESULT fmapi_mime_export_fd(LPMESSAGE lpMessage, ULONG ulFlags, int fd);
/* The same as a GMime message, which the caller releases (g_object_unref). */
FREEMAPI_PUBLIC HRESULT fmapi_mime_export_message(LPMESSAGE lpMessage, ULONG ulFlags,
                                                  struct _GMimeMessage **lppMessage);

/* ---- mailboxes ------------------------------------------------------------ */
/*
 * One message read from a mailbox. data/len are its bytes (mbox: "From "
 * line removed and ">From " unescaped), valid until the next call on the
 * reader. offset: mbox, the byte offset of its "From " line in the file;
 * Maildir, its index in the walk. path: Maildir, the file (NULL for mbox);
 * folder: Maildir++, the folder name ("" for the top, "Sub/Folder" for
 * ".Sub.Folder", its modified UTF-7 decoded: ".Entw&APw-rfe" is "Entwürfe");
 * flags: the message's marks (below): MSGFLAG_READ when the Maildir name
 * carries "S", or the mbox message has a Status header with "R"
 * ("Status: RO"); the others from the Maildir letters D F P R T and the
 * mbox X-Status letters T F A D. fd: -1, or (for a message too large to
 * hold, more than FMAPI_MAILBOX_SPOOL_MIN bytes) a descriptor positioned
 * at its first byte, which an import should read instead of data so the
 * message streams (data then maps the same bytes; both are valid until
 * the next call on the reader).
 */
typedef struct fmapi_mailbox_entry {
    const char *data;
    size_t len;
    uint64_t offset;
    const char *path;
    const char *folder;
    ULONG flags;
    int fd;
} fmapi_mailbox_entry;

#define FMAPI_MAILBOX_SPOOL_MIN ((size_t)8 * 1024 * 1024)

/* Marks of a message in a mailbox (fmapi_mailbox_entry.flags, and the flags
 * fmapi_maildir_deliver takes), besides MSGFLAG_READ and MSGFLAG_UNSENT. */
#define FMAPI_MAILBOX_FLAGGED ((ULONG)0x00010000)  /* Maildir F, mbox X-Status F */
#define FMAPI_MAILBOX_ANSWERED ((ULONG)0x00020000) /* Maildir R, mbox X-Status A */
#define FMAPI_MAILBOX_PASSED ((ULONG)0x00040000)   /* Maildir P (forwarded) */
#define FMAPI_MAILBOX_DRAFT ((ULONG)0x00080000)    /* Maildir D, mbox X-Status T */
#define FMAPI_MAILBOX_DELETED ((ULONG)0x00100000)  /* Maildir T, mbox X-Status D */
/* An entry that names a folder and holds no message (a Maildir reader
 * opened with FMAPI_MAILDIR_FOLDERS gives one for each folder, empty or
 * not, before its messages). */
#define FMAPI_MAILBOX_FOLDER ((ULONG)0x80000000)

/* Gives a message the marks of its mailbox: read (MSGFLAG_READ), draft
 * (MSGFLAG_UNSENT), flagged for follow-up (PR_FLAG_STATUS followupFlagged),
 * answered or forwarded (PR_LAST_VERB_EXECUTED and PR_ICON_INDEX, as
 * Outlook marks a reply or forward). The message is not saved; a deleted
 * mark is set on the saved message with fmapi_mailbox_mark_deleted. */
FREEMAPI_PUBLIC HRESULT fmapi_mailbox_set_flags(LPMESSAGE lpMessage, ULONG ulFlags);
/* The marks of a message, for writing it to a mailbox (FMAPI_MAILBOX_DELETED
 * when its status says MSGSTATUS_DELMARKED). */
FREEMAPI_PUBLIC HRESULT fmapi_mailbox_get_flags(LPMESSAGE lpMessage, ULONG *lpulFlags);
/* Marks a saved message of lpFolder for deletion (MSGSTATUS_DELMARKED, how
 * MAPI keeps IMAP's \Deleted, Maildir's T): it stays, marked. */
FREEMAPI_PUBLIC HRESULT fmapi_mailbox_mark_deleted(LPMAPIFOLDER lpFolder, LPMESSAGE lpMessage);

typedef struct fmapi_mbox_reader fmapi_mbox_reader;

/* Opens an mbox file (mboxo or mboxrd: both unescape one '>' from
 * ">...From " lines). Memory stays constant whatever the file's size; one
 * message is held at a time. */
FREEMAPI_PUBLIC HRESULT fmapi_mbox_open(const char *path, fmapi_mbox_reader **out);
/* The next message in *entry: S_OK, or MAPI_E_NOT_FOUND at the end;
 * MAPI_E_DISK_ERROR (read error), MAPI_E_NOT_ENOUGH_MEMORY. A truncated last
 * message is returned as it is. */
FREEMAPI_PUBLIC HRESULT fmapi_mbox_next(fmapi_mbox_reader *r, fmapi_mailbox_entry *entry);
FREEMAPI_PUBLIC void fmapi_mbox_close(fmapi_mbox_reader *r);

typedef struct fmapi_mbox_writer fmapi_mbox_writer;

/* Creates (or, with append nonzero, appends to) an mboxrd file. */
FREEMAPI_PUBLIC HRESULT fmapi_mbox_writer_open(const char *path, int append,
                                               fmapi_mbox_writer **out);
/* Adds one message: a "From sender date" line, the message with every
 * ">*From " line given one more '>', and a blank line. sender may be NULL
 * ("MAILER-DAEMON"); date is seconds since 1970 (0: now). */
FREEMAPI_PUBLIC HRESULT fmapi_mbox_writer_add(fmapi_mbox_writer *w, const void *data, size_t len,
                                              const char *sender, int64_t date);
/* Writes lpMessage as MIME (fmapi_mime_export with ulFlags) into the mbox,
 * with a Status field saying whether it was read ("RO") or not ("O"), in
 * place of any the message kept; the mbox reader gives it back as
 * MSGFLAG_READ. */
FREEMAPI_PUBLIC HRESULT fmapi_mbox_writer_add_message(fmapi_mbox_writer *w, LPMESSAGE lpMessage,
                                                      ULONG ulFlags);
/* Flushes and closes; returns the first write error, if any. */
FREEMAPI_PUBLIC HRESULT fmapi_mbox_writer_close(fmapi_mbox_writer *w);

typedef struct fmapi_maildir_reader fmapi_maildir_reader;

/* Opens a Maildir (path holds cur/ and new/). With FMAPI_MAILDIR_RECURSE
 * the Maildir++ folders under it (".Sub", ".Sub.Folder") are read too;
 * with FMAPI_MAILDIR_FOLDERS as well, each folder is announced by an entry
 * of its own (FMAPI_MAILBOX_FOLDER), so empty folders are seen. */
#define FMAPI_MAILDIR_RECURSE ((ULONG)0x00000001)
#define FMAPI_MAILDIR_FOLDERS ((ULONG)0x00000002)
FREEMAPI_PUBLIC HRESULT fmapi_maildir_open(const char *path, ULONG ulFlags,
                                           fmapi_maildir_reader **out);
/* The next message (new/ and cur/ of each folder), S_OK or MAPI_E_NOT_FOUND
 * at the end. A file that cannot be read gives MAPI_E_DISK_ERROR with its
 * name; the next call goes on with the following file. */
FREEMAPI_PUBLIC HRESULT fmapi_maildir_next(fmapi_maildir_reader *r, fmapi_mailbox_entry *entry);
FREEMAPI_PUBLIC void fmapi_maildir_close(fmapi_maildir_reader *r);

/*
 * Delivers one message into a Maildir (created with cur/ new/ tmp/ if
 * missing): written under tmp/ with a unique name, then renamed into cur/
 * (with its marks after ":2,": D draft, F flagged, P passed, R answered,
 * S read, T deleted; flags as fmapi_mailbox_entry's) or, unmarked, new/.
 * folder NULL or "" is the Maildir itself; "Sub/Folder" is the Maildir++
 * folder ".Sub.Folder" (names outside printable ASCII in modified UTF-7).
 * The file name (without directory) is copied into name when name is not
 * NULL (cap bytes).
 */
FREEMAPI_PUBLIC HRESULT fmapi_maildir_deliver(const char *path, const char *folder,
                                              const void *data, size_t len, ULONG flags,
                                              char *name, size_t cap);
/* Delivers a message as fmapi_maildir_deliver does, exported (ulFlags as
 * fmapi_mime_export's) straight into its file, so it streams whatever its
 * size, under the marks fmapi_mailbox_get_flags gives it (draft only with
 * CCSF_EMBEDDED_MESSAGE, which also writes X-Unsent). */
FREEMAPI_PUBLIC HRESULT fmapi_maildir_deliver_message(const char *path, const char *folder,
                                                      LPMESSAGE lpMessage, ULONG ulFlags,
                                                      char *name, size_t cap);
/* Makes the Maildir++ folder (with cur/ new/ tmp/ and its maildirfolder
 * mark) even when no message goes into it. */
FREEMAPI_PUBLIC HRESULT fmapi_maildir_make_folder(const char *path, const char *folder);

/* ---- delivery into a site's mailboxes ----------------------------------- */
struct fmapi_site; /* freemapi_site.h */

/*
 * Delivers one RFC 5322 message (data, len bytes) to recipient, a name of
 * the site (fmapi_site_resolve: a user's alias or address, a list expanded
 * to its members, user+tag@domain as user@domain), into each user's
 * receive folder for the message's class: converted as
 * fmapi_mime_import_buffer converts (its header block kept in
 * PR_TRANSPORT_MESSAGE_HEADERS), unread, with PR_RECEIVED_BY_NAME,
 * _EMAIL_ADDRESS, _ADDRTYPE and PR_MESSAGE_DELIVERY_TIME set, and saved
 * (fnevNewMail goes out as for any message saved into an Inbox) before the
 * call returns. Each copy is saved with fmapi_message_save_delivery under a
 * key made from the message's bytes and the user, so delivering the same
 * message to the same user again (an MTA's retry after a lost answer)
 * saves nothing more and succeeds.
 *
 * A mailbox at its receive quota (PR_PROHIBIT_RECEIVE_QUOTA, KB, against
 * the store's PR_MESSAGE_SIZE_EXTENDED) takes nothing.
 * Results, for an MTA's reply (LMTP) or exit status (`mapi deliver`):
 *   S_OK                      every user reached has the message
 *   MAPI_E_NOT_FOUND          no such user or list (permanent: 550 5.1.1)
 *   MAPI_E_STORE_FULL         a mailbox is over quota (452 4.2.2)
 *   MAPI_E_NOT_ENOUGH_DISK    the disk is full (452 4.3.1)
 *   MAPI_E_INVALID_PARAMETER, MAPI_E_UNKNOWN_FLAGS  (the caller's error)
 *   anything else             a failure that may pass (451 4.3.0)
 * For a list, the users delivered before a failure keep their copy and a
 * retry skips them. ulFlags: 0.
 */
FREEMAPI_PUBLIC HRESULT fmapi_mime_deliver(struct fmapi_site *site, const char *recipient,
                                           const void *data, size_t len, ULONG ulFlags);
/* The same for the message read from fd (to its end; not closed). */
FREEMAPI_PUBLIC HRESULT fmapi_mime_deliver_fd(struct fmapi_site *site, const char *recipient,
                                              int fd, ULONG ulFlags);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_MIME_H */
