/*
 * tools/mapi/cmd_ls.c - `mapi ls`: a folder's contents through its
 * contents table, with chosen columns, a sort and filters that become one
 * MAPI restriction (so the store can run them where the data is).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct column {
    const char *name;
    ULONG tag;
    int width;     /* text output; 0 = the rest of the line */
    ULONG missing; /* shown where tag is missing (0: none) */
} column;

static const column COLUMNS[] = {
    { "date", PR_MESSAGE_DELIVERY_TIME, 16, 0 },
    { "sent", PR_CLIENT_SUBMIT_TIME, 16, 0 },
    /* From: is the sent-representing address ([MS-OXCMAIL] 2.2.3.2.1); a
     * message that has none (composed here) is from its sender. */
    { "from", PR_SENT_REPRESENTING_NAME_A, 24, PR_SENDER_NAME_A },
    { "from-address", PR_SENT_REPRESENTING_EMAIL_ADDRESS_A, 28, PR_SENDER_EMAIL_ADDRESS_A },
    { "sender", PR_SENDER_NAME_A, 24, 0 }, /* Sender: (a list, a delegate) */
    { "sender-address", PR_SENDER_EMAIL_ADDRESS_A, 28, 0 },
    { "to", PR_DISPLAY_TO_A, 24, 0 },
    { "subject", PR_SUBJECT_A, 0, 0 },
    { "size", PR_MESSAGE_SIZE, 8, 0 },
    { "flags", PR_MESSAGE_FLAGS, 2, 0 },
    { "class", PR_MESSAGE_CLASS_A, 16, 0 },
    { "attach", PR_HASATTACH, 6, 0 },
    { "importance", PR_IMPORTANCE, 4, 0 },
    { "id", PR_ENTRYID, 0, 0 },
};
#define NCOLUMNS (sizeof COLUMNS / sizeof COLUMNS[0])
#define MAX_SELECTED 16

static const column *find_column(const char *name)
{
    for (size_t i = 0; i < NCOLUMNS; i++) {
        if (strcmp(COLUMNS[i].name, name) == 0)
            return &COLUMNS[i];
    }
    return NULL;
}

typedef struct ls_options {
    const char *folder;
    const column *cols[MAX_SELECTED];
    int ncols;
    ULONG sort_tag;
    ULONG sort_order;
    const char *from, *subject;
    bool has_since, unread;
    FILETIME since;
    long limit;
} ls_options;

static bool parse_columns(cli *c, ls_options *o, const char *list)
{
    char *copy = strdup(list), *save = NULL;
    o->ncols = 0;
    for (char *p = copy ? strtok_r(copy, ",", &save) : NULL; p; p = strtok_r(NULL, ",", &save)) {
        const column *col = find_column(p);
        if (col == NULL || o->ncols == MAX_SELECTED) {
            cli_error(c, EXIT_USAGE, "ls: unknown column '%s' (see mapi ls --help)", p);
            free(copy);
            return false;
        }
        o->cols[o->ncols++] = col;
    }
    free(copy);
    return o->ncols > 0;
}

static bool parse_sort(cli *c, ls_options *o, const char *s)
{
    o->sort_order = TABLE_SORT_ASCEND;
    if (s[0] == '-') {
        o->sort_order = TABLE_SORT_DESCEND;
        s++;
    }
    const column *col = find_column(s);
    if (col == NULL || col->tag == PR_ENTRYID) {
        cli_error(c, EXIT_USAGE, "ls: cannot sort by '%s'", s);
        return false;
    }
    o->sort_tag = col->tag;
    return true;
}

static int parse_ls(cli *c, int argc, char **argv, ls_options *o)
{
    static const struct option longs[] = {
        { "columns", required_argument, NULL, 'c' }, { "sort", required_argument, NULL, 's' },
        { "from", required_argument, NULL, 'f' },    { "subject", required_argument, NULL, 'S' },
        { "since", required_argument, NULL, 'd' },   { "unread", no_argument, NULL, 'u' },
        { "limit", required_argument, NULL, 'n' },   { NULL, 0, NULL, 0 },
    };
    memset(o, 0, sizeof *o);
    o->folder = "Inbox";
    o->sort_tag = PR_MESSAGE_DELIVERY_TIME;
    o->sort_order = TABLE_SORT_DESCEND;
    parse_columns(c, o, "date,from,subject");
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, "c:s:n:", longs, NULL)) != -1) {
        switch (ch) {
        case 'c':
            if (!parse_columns(c, o, optarg))
                return EXIT_USAGE;
            break;
        case 's':
            if (!parse_sort(c, o, optarg))
                return EXIT_USAGE;
            break;
        case 'f': o->from = optarg; break;
        case 'S': o->subject = optarg; break;
        case 'u': o->unread = true; break;
        case 'd':
            if (!cli_parse_date(optarg, &o->since))
                return cli_error(c, EXIT_USAGE, "ls: --since wants YYYY-MM-DD[THH:MM[:SS]]");
            o->has_since = true;
            break;
        case 'n': {
            unsigned long long n = 0;
            if (!cli_parse_number(optarg, 0, 0x7FFFFFFF, &n))
                return cli_error(c, EXIT_USAGE, "ls: --limit wants a number from 0 to "
                                                "2147483647 (0: no limit)");
            o->limit = (long)n;
            break;
        }
        default: return cli_error(c, EXIT_USAGE, "ls: unknown option %s", argv[optind - 1]);
        }
    }
    if (optind < argc)
        o->folder = argv[optind++];
    if (optind < argc)
        return cli_error(c, EXIT_USAGE, "ls: one folder at most");
    return EXIT_OK;
}

/* ---- the restriction ------------------------------------------------------- */

typedef struct filter {
    SRestriction all, parts[4], from_or[3], sender_and[2], sender_or[2], has_from;
    SPropValue values[6];
    ULONG n;
} filter;

static void content(SRestriction *r, SPropValue *v, ULONG tag, const char *text)
{
    v->ulPropTag = tag;
    v->Value.lpszA = (LPSTR)text;
    r->rt = RES_CONTENT;
    r->res.resContent.ulFuzzyLevel = FL_SUBSTRING | FL_IGNORECASE;
    r->res.resContent.ulPropTag = tag;
    r->res.resContent.lpProp = v;
}

static LPSRestriction build_filter(const ls_options *o, filter *f)
{
    memset(f, 0, sizeof *f);
    if (o->from) {
        /* From: contains TEXT, or there is no From: and the sender does */
        content(&f->from_or[0], &f->values[0], PR_SENT_REPRESENTING_NAME_A, o->from);
        content(&f->from_or[1], &f->values[1], PR_SENT_REPRESENTING_EMAIL_ADDRESS_A, o->from);
        content(&f->sender_or[0], &f->values[4], PR_SENDER_NAME_A, o->from);
        content(&f->sender_or[1], &f->values[5], PR_SENDER_EMAIL_ADDRESS_A, o->from);
        f->has_from.rt = RES_EXIST;
        f->has_from.res.resExist.ulPropTag = PR_SENT_REPRESENTING_NAME_A;
        f->sender_and[0].rt = RES_NOT;
        f->sender_and[0].res.resNot.lpRes = &f->has_from;
        f->sender_and[1].rt = RES_OR;
        f->sender_and[1].res.resOr.cRes = 2;
        f->sender_and[1].res.resOr.lpRes = f->sender_or;
        f->from_or[2].rt = RES_AND;
        f->from_or[2].res.resAnd.cRes = 2;
        f->from_or[2].res.resAnd.lpRes = f->sender_and;
        SRestriction *r = &f->parts[f->n++];
        r->rt = RES_OR;
        r->res.resOr.cRes = 3;
        r->res.resOr.lpRes = f->from_or;
    }
    if (o->subject)
        content(&f->parts[f->n++], &f->values[2], PR_SUBJECT_A, o->subject);
    if (o->has_since) {
        SRestriction *r = &f->parts[f->n++];
        f->values[3].ulPropTag = PR_MESSAGE_DELIVERY_TIME;
        f->values[3].Value.ft = o->since;
        r->rt = RES_PROPERTY;
        r->res.resProperty.relop = RELOP_GE;
        r->res.resProperty.ulPropTag = PR_MESSAGE_DELIVERY_TIME;
        r->res.resProperty.lpProp = &f->values[3];
    }
    if (o->unread) {
        SRestriction *r = &f->parts[f->n++];
        r->rt = RES_BITMASK;
        r->res.resBitMask.relBMR = BMR_EQZ;
        r->res.resBitMask.ulPropTag = PR_MESSAGE_FLAGS;
        r->res.resBitMask.ulMask = MSGFLAG_READ;
    }
    if (f->n == 0)
        return NULL;
    f->all.rt = RES_AND;
    f->all.res.resAnd.cRes = f->n;
    f->all.res.resAnd.lpRes = f->parts;
    return &f->all;
}

/* ---- printing ---------------------------------------------------------------- */

/* Prints s in exactly width columns: cut or padded by characters, not bytes,
 * so UTF-8 names line up (each code point taken as one column). */
static void print_cell(const char *s, int width)
{
    int cols = 0;
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *end = p;
    while (*end && cols < width) {
        end++;
        while ((*end & 0xC0) == 0x80)
            end++;
        cols++;
    }
    printf("  %.*s%*s", (int)(end - p), s, width - cols, "");
}

/* Column i of a row: its own value, or the one shown where it is missing
 * (the columns after the chosen ones). */
static const SPropValue *cell(const ls_options *o, const SPropValue *p, int i)
{
    if (PROP_TYPE(p[i].ulPropTag) == PT_ERROR && o->cols[i]->missing != 0)
        return &p[o->ncols + i];
    return &p[i];
}

static void print_text_row(const ls_options *o, long number, const SPropValue *p)
{
    printf("%5ld", number);
    for (int i = 0; i < o->ncols; i++) {
        char buf[512];
        cli_prop_text(cell(o, p, i), buf, sizeof buf);
        if (o->cols[i]->tag == PR_MESSAGE_FLAGS)
            snprintf(buf, sizeof buf, "%s%s",
                     PROP_TYPE(p[i].ulPropTag) == PT_LONG && !(p[i].Value.l & MSGFLAG_READ)
                         ? "N"
                         : "-",
                     PROP_TYPE(p[i].ulPropTag) == PT_LONG && (p[i].Value.l & MSGFLAG_HASATTACH)
                         ? "@"
                         : "-");
        int w = o->cols[i]->width;
        if (w > 0)
            print_cell(buf, w);
        else
            printf("  %s", buf);
    }
    putchar('\n');
}

static void print_json_row(json_out *j, const ls_options *o, long number, const SPropValue *p)
{
    json_begin_object(j);
    json_key(j, "n");
    json_int(j, number);
    for (int i = 0; i < o->ncols; i++) {
        json_key(j, o->cols[i]->name);
        json_prop(j, cell(o, p, i));
    }
    json_end_object(j);
}

static HRESULT list(cli *c, const ls_options *o, LPMAPITABLE t)
{
    json_out j = { .f = stdout };
    if (c->json)
        json_begin_array(&j);
    long number = 0;
    HRESULT hr = S_OK;
    for (;;) {
        if (cli_cancelled()) { /* a page at a time: Ctrl-C stops between pages */
            hr = MAPI_E_USER_CANCEL;
            break;
        }
        LPSRowSet rows = NULL;
        hr = IMAPITable_QueryRows(t, 100, 0, &rows);
        if (hr != S_OK)
            break;
        ULONG n = rows->cRows;
        for (ULONG i = 0; i < n && (o->limit == 0 || number < o->limit); i++) {
            number++;
            if (c->json)
                print_json_row(&j, o, number, rows->aRow[i].lpProps);
            else
                print_text_row(o, number, rows->aRow[i].lpProps);
        }
        FreeProws(rows);
        if (n == 0 || (o->limit != 0 && number >= o->limit))
            break;
    }
    if (c->json)
        json_end_array(&j);
    return hr;
}

static int run_ls(cli *c, int argc, char **argv)
{
    ls_options o;
    int code = parse_ls(c, argc, argv, &o);
    if (code != EXIT_OK)
        return code;
    LPMAPIFOLDER f = NULL;
    HRESULT hr = cli_folder_open(c, o.folder, false, &f);
    if (hr != S_OK)
        return cli_fail(c, o.folder, hr);
    LPMAPITABLE t = NULL;
    hr = IMAPIFolder_GetContentsTable(f, 0, &t);
    SizedSPropTagArray(2 * MAX_SELECTED, cols);
    cols.cValues = 2 * (ULONG)o.ncols;
    for (int i = 0; i < o.ncols; i++) {
        cols.aulPropTag[i] = o.cols[i]->tag;
        cols.aulPropTag[o.ncols + i] = o.cols[i]->missing ? o.cols[i]->missing : o.cols[i]->tag;
    }
    SizedSSortOrderSet(1, sort) = { 1, 0, 0, { { o.sort_tag, o.sort_order } } };
    filter flt;
    LPSRestriction res = build_filter(&o, &flt);
    if (hr == S_OK)
        hr = IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0);
    if (hr == S_OK && res != NULL)
        hr = IMAPITable_Restrict(t, res, 0);
    if (hr == S_OK)
        hr = IMAPITable_SortTable(t, (LPSSortOrderSet)&sort, 0);
    if (hr == S_OK)
        hr = list(c, &o, t);
    if (t != NULL)
        IMAPITable_Release(t);
    IMAPIFolder_Release(f);
    return hr == S_OK ? EXIT_OK : cli_fail(c, "listing the folder", hr);
}

const cli_command CMD_LS = {
    "ls", run_ls, "list the messages of a folder",
    "ls [options] [FOLDER]\n\n"
    "Lists the messages of FOLDER (default Inbox), newest first, numbered from 1\n"
    "(FOLDER:N names that message in show, rm, mv, cp, save-attachment).\n\n"
    "  -c, --columns LIST  comma-separated columns (default date,from,subject):\n"
    "                      date sent from from-address sender sender-address to\n"
    "                      subject size flags class attach importance id\n"
    "  -s, --sort COLUMN   sort by a column, '-COLUMN' for descending (default -date)\n"
    "      --from TEXT     From: name or address contains TEXT (any case)\n"
    "      --subject TEXT  subject contains TEXT (any case)\n"
    "      --since DATE    delivered at or after DATE (YYYY-MM-DD[THH:MM[:SS]], UTC)\n"
    "      --unread        unread messages only\n"
    "  -n, --limit N       at most N messages\n\n"
    "flags shows N for unread and @ for attachments. With the global --json: an\n"
    "array of objects with n and the chosen columns.",
    CLI_USES_MAILBOX | CLI_READS_ONLY,
};
