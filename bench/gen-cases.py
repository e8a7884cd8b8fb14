#!/usr/bin/env python3
"""gen-cases.py — deterministic synthetic input for the benchmark.

    gen-cases.py cases N JSONL TSV   N cases, the same rows as JSON lines and as
                                     TSV with a header (pcase-new --batch)
    gen-cases.py dates N FILE        N dates, Solar Hijri and Gregorian mixed,
                                     one a line (pcal)
    gen-cases.py walked N DB NOW     N cases written straight into DB (made by
                                     `pdb init`), received over the year before
                                     NOW (Unix time), in 40 units, each walked
                                     through its states with its events (route,
                                     waiting, answer, reopen, rejection,
                                     escalation, committee), for preport's
                                     benchmark; the events' hashes are not a
                                     chain (pdb check fails on this file)

Everything comes from a fixed seed, so two runs write the same bytes. Every
row is valid input: a batch is one transaction and one bad line would store
nothing. Subjects (20-80 characters) and bodies (80-300 characters) are
slices of a long pre-built stream of words, so making a row costs a few
random draws and no per-word work.
"""
import datetime
import random
import sys
from json.encoder import encode_basestring as json_str

SEED = 20250601

PERSIAN = """
شکایت درخواست پیگیری پرونده شهرداری اداره کارمند مراجعه پاسخ نامه تلفن
خیابان کوچه محله آب برق گاز فاضلاب آسفالت چاله روشنایی پارک درخت زباله
جمع‌آوری پسماند ترافیک پارکینگ عوارض مالیات پروانه ساختمان تخلف ساخت‌وساز
سد معبر دستفروش صدا آلودگی هوا بو نظافت خدمات شهری اتوبوس مترو تاکسی
ایستگاه تاخیر برخورد نامناسب رشوه تبعیض بی‌توجهی کارشناس مدیر معاون
سامانه ثبت کد رهگیری روز هفته ماه سال گذشته هنوز هیچ اقدامی انجام نشده
است لطفا رسیدگی کنید با تشکر از شما ممنون می‌شوم اگر پیگیری بفرمایید
این موضوع چندین بار گزارش شده ولی نتیجه‌ای نداشته همسایه‌ها نیز شاکی هستند
منزل مغازه واحد طبقه پلاک پلاک۱۲ شماره ۱۴۰۳ ۱۴۰۴ ۲۵ ۱۰ ساعت صبح عصر شب
کودکان سالمندان معلولان دسترسی پیاده‌رو رمپ پله آسانسور بیمارستان مدرسه
یارانه حقوق مستمری بیمه تامین اجتماعی قبض اشتراک کنتور قطعی فشار نشتی
اينجا كوچك يك يكي ديگر مي‌خواهم نمي‌دانم ٢٠ ٣٠ ١٢ ـــ فوری مهم جدی
""".split()

LATIN = """
complaint request follow up case municipality office clerk reply letter
phone street alley water power gas sewage asphalt pothole lighting park
tree garbage collection traffic parking fee tax permit building violation
noise pollution air smell cleaning bus metro taxi station delay rude bribe
discrimination expert manager portal tracking code day week month year
still no action taken please look into it thanks neighbors also affected
shop unit floor number 12 2025 10:30 morning evening night children elderly
access sidewalk ramp stairs elevator hospital school pension insurance bill
meter outage pressure leak urgent important said"no" file\\path a&b <tag>
""".split()

FIRST = "علی محمد حسین رضا مهدی فاطمه زهرا مریم سارا نرگس امیر حمید لیلا مینا".split()
LAST = "احمدی محمدی حسینی رضایی کریمی موسوی جعفری رحیمی صادقی قاسمی نوری".split()
LATIN_NAMES = ["Ali Rezaei", "Sara Karimi", "Reza Ahmadi", "Maryam Hosseini", "John O'Neil"]
DOMAINS = ["gmail.com", "yahoo.com", "chmail.ir", "example.ir", "mail.tehran.ir"]
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

# (value, weight)
KINDS = [("complaint", 40), ("request", 15), ("question", 10), ("violation", 15),
         ("suggestion", 10), ("feedback", 5), ("comment", 5)]
CHANNELS = [("portal", 30), ("sms", 15), ("phone", 15), ("111", 15), ("samad", 10),
            ("email", 8), ("desk", 5), ("other", 2)]
NEEDS_CONTACT = {"complaint", "request", "question"}

# TSV column order: the last column is never empty (subject), because a line
# that ends in tabs must still have all its fields.
TSV_COLUMNS = ["kind", "channel", "service", "unit", "name", "phone", "email",
               "national_id", "received", "anonymous", "attach", "body", "subject"]


def table(pairs, size=1000):
    """A lookup list: a uniform draw into it follows the weights."""
    total = sum(w for _, w in pairs)
    out = []
    for v, w in pairs:
        out += [v] * (w * size // total)
    return out


def stream(rng, words, nchars, newline_every=0):
    """A long text of words joined by single blanks (and a few newlines)."""
    parts, n = [], 0
    pick = rng.choice
    while n < nchars:
        w = pick(words)
        parts.append(w)
        n += len(w) + 1
    sep = " "
    text = sep.join(parts)
    if newline_every:
        chars = list(text)
        for i in range(0, len(chars), newline_every):
            j = i + rng.randrange(newline_every)
            if j < len(chars) and chars[j] == " ":
                chars[j] = "\n"
        text = "".join(chars)
    return text


def national_id(rng):
    while True:
        d = [rng.randrange(10) for _ in range(9)]
        if len(set(d)) > 1:
            break
    r = sum(x * (10 - i) for i, x in enumerate(d)) % 11
    d.append(r if r < 2 else 11 - r)
    return "".join(map(str, d))


class Slicer:
    """Slices of a text stream of a given length, from a word's start, no
    blank at either end."""

    def __init__(self, text, rnd):
        self.text, self.rnd = text, rnd
        self.limit = len(text) - 400

    def __call__(self, lo, hi):
        t, rnd = self.text, self.rnd
        n = lo + int(rnd() * (hi - lo + 1))
        off = t.find(" ", int(rnd() * self.limit)) + 1    # at a word's start
        while t[off] in ' \n\t"':
            off += 1
        s = t[off:off + n]
        if s[-1] in " \n":
            s = s[:-1] + "."
        return s


def gen_cases(n, jsonl_path, tsv_path):
    rng = random.Random(SEED)
    rnd = rng.random
    persian_words = PERSIAN + LATIN[:8]          # Persian text with a few Latin words
    fa_subj = Slicer(stream(rng, persian_words, 1 << 21), rnd)
    fa_body = Slicer(stream(rng, persian_words, 1 << 22, newline_every=400), rnd)
    en_subj = Slicer(stream(rng, LATIN, 1 << 20), rnd)
    en_body = Slicer(stream(rng, LATIN + ["\t"], 1 << 21, newline_every=300), rnd)
    kinds, channels = table(KINDS), table(CHANNELS)
    names = [f"{a} {b}" for a in FIRST for b in LAST] + LATIN_NAMES
    nids = [national_id(rng) for _ in range(5000)]
    start_g = datetime.date(2024, 4, 1).toordinal()
    span_g = datetime.date(2025, 5, 30).toordinal() - start_g + 1
    nk, nc, nn, ni = len(kinds), len(channels), len(names), len(nids)

    with open(jsonl_path, "w", encoding="utf-8", newline="\n") as fj, \
            open(tsv_path, "w", encoding="utf-8", newline="\n") as ft:
        ft.write("\t".join(TSV_COLUMNS) + "\n")
        jw, tw = fj.write, ft.write
        for _ in range(n):
            kind = kinds[int(rnd() * nk)]
            channel = channels[int(rnd() * nc)]
            if rnd() < 0.8:
                subject, body = fa_subj(20, 80), fa_body(80, 300)
            else:
                subject, body = en_subj(20, 80), en_body(80, 300)
            name = phone = email = nid = received = attach = ""
            anonymous = False
            if (kind == "violation" and rnd() < 0.4) or rnd() < 0.01:
                anonymous = True
            else:
                r = rnd()
                if r < 0.85:
                    phone = "9%09d" % int(rnd() * 1e9)
                    f = rnd()
                    if f < 0.85:
                        phone = "0" + phone
                    elif f < 0.93:
                        phone = "+98" + phone
                    elif f < 0.97:
                        phone = "0098" + phone
                    else:
                        phone = ("0" + phone).translate(PERSIAN_DIGITS)
                if rnd() < 0.3:
                    email = "user%d@%s" % (int(rnd() * 1e6), DOMAINS[int(rnd() * 5)])
                if not phone and not email and (kind in NEEDS_CONTACT or rnd() < 0.5):
                    email = "citizen%d@%s" % (int(rnd() * 1e6), DOMAINS[int(rnd() * 5)])
                if rnd() < 0.6:
                    name = names[int(rnd() * nn)]
                if rnd() < 0.1:
                    nid = nids[int(rnd() * ni)]
            r = rnd()
            if r < 0.15:    # Solar Hijri, all before the fixed "now" (2025-06-01)
                if rnd() < 0.7:
                    y, m = 1403, 1 + int(rnd() * 12)
                else:
                    y, m = 1404, 1 + int(rnd() * 2)
                received = "%d-%02d-%02d" % (y, m, 1 + int(rnd() * 29))
            elif r < 0.3:
                received = datetime.date.fromordinal(start_g + int(rnd() * span_g)).isoformat()
            if received and rnd() < 0.2:
                received += " %02d:%02d" % (8 + int(rnd() * 10), int(rnd() * 60))
            if rnd() < 0.005:
                attach = "https://files.example.ir/%d.pdf" % int(rnd() * 1e6)

            j = ['{"kind":"', kind, '","channel":"', channel, '","subject":', json_str(subject),
                 ',"body":', json_str(body)]
            if name:
                j += [',"name":', json_str(name)]
            if phone:
                j += [',"phone":"', phone, '"']
            if email:
                j += [',"email":"', email, '"']
            if nid:
                j += [',"national_id":"', nid, '"']
            if received:
                j += [',"received":"', received, '"']
            if anonymous:
                j.append(',"anonymous":true')
            if attach:
                j += [',"attach":"', attach, '"']
            j.append("}\n")
            jw("".join(j))

            if "\\" in body or "\t" in body or "\n" in body:
                body = body.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            if "\\" in subject:
                subject = subject.replace("\\", "\\\\")
            tw("\t".join((kind, channel, "", "", name, phone, email, nid, received,
                          "true" if anonymous else "", attach, body, subject)) + "\n")


def gen_dates(n, path):
    """Dates in 1403-1405 (the years with holiday files), both calendars,
    both separators, a tenth in Persian digits."""
    rng = random.Random(SEED + 1)
    rnd = rng.random
    start_g = datetime.date(2024, 3, 20).toordinal()
    span_g = datetime.date(2027, 3, 20).toordinal() - start_g
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        w = f.write
        for _ in range(n):
            sep = "-" if rnd() < 0.8 else "/"
            if rnd() < 0.5:
                s = "%d%s%02d%s%02d" % (1403 + int(rnd() * 3), sep, 1 + int(rnd() * 12), sep,
                                        1 + int(rnd() * 29))
            else:
                d = datetime.date.fromordinal(start_g + int(rnd() * span_g))
                s = "%d%s%02d%s%02d" % (d.year, sep, d.month, sep, d.day)
            if rnd() < 0.1:
                s = s.translate(PERSIAN_DIGITS)
            w(s + "\n")


def gen_walked(n, db_path, now):
    import sqlite3
    rng = random.Random(SEED + 1)
    rnd = rng.random
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    units = 40
    db.executemany("INSERT INTO unit (id, code, name, email, parent_id) VALUES (?, ?, ?, ?, ?)",
                   [(u, "u%02d" % u, "واحد %d" % u, "u%02d@agency.example" % u, None if u == 1 else 1)
                    for u in range(1, units + 1)])
    kinds, channels = table(KINDS), table(CHANNELS)
    year, day = 365 * 86400, 86400
    cases, events = [], []
    eid = [0]

    def ev(cid, code, at, what, before, after, note=None):
        eid[0] += 1
        events.append((eid[0], "case", cid, "%012d" % code, at, "bench", what, before, after, note,
                       b"\0" * 32, 5))

    def flush():
        db.executemany("INSERT INTO cases (id, code, kind, channel, unit_id, state, subject, received,"
                       " due, answered, closed, outcome, action, anonymous) VALUES"
                       " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)", cases)
        db.executemany("INSERT INTO event (id, subject_kind, subject_id, subject, at, who, what, before,"
                       " after, note, hash, hash_form) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", events)
        cases.clear()
        events.clear()

    # Received in order of time over the year, so the chain's ids follow time.
    for i in range(1, n + 1):
        received = now - year + (i * year) // n
        code = 100000000000 + i * 7919 % 900000000000
        kind = kinds[int(rnd() * len(kinds))]
        channel = channels[int(rnd() * len(channels))]
        unit = 1 + int(rnd() * units)
        due = received + 14 * day
        state, answered, closed, outcome, action = "routed", None, None, None, None
        ev(i, code, received, "received", None, "new", channel)
        ev(i, code, received + 600, "route", "new", "routed", "u%02d: by rule" % unit)
        age = now - received
        r = rnd()
        if age > 30 * day or r < 0.7:
            r = rnd()
            if r < 0.03:
                state = "rejected"
                ev(i, code, received + day, "state", "routed", "rejected", "duplicate")
            elif r < 0.05:
                state = "waiting"
                ev(i, code, received + day, "state", "routed", "waiting", "documents")
            else:
                answered = received + int(rnd() * 20 * day)
                if answered >= now:
                    answered = None
                else:
                    state, outcome = "answered", "accepted" if rnd() < 0.3 else "info"
                    action = "process" if outcome == "accepted" else None
                    ev(i, code, answered, "answer", "routed", "answered", outcome)
                    if rnd() < 0.6 and answered + 3 * day < now:
                        state, closed = "closed", answered + 3 * day
                        ev(i, code, closed, "state", "answered", "closed", None)
        if state == "routed" and rnd() < 0.02:
            ev(i, code, received + 2 * day, "route", "routed", "routed", "u01: escalated")
            unit = 1
        cases.append((i, code, kind, channel, unit, state, "موضوع", received, due, answered, closed,
                      outcome, action))
        if len(cases) == 50000:
            flush()
    flush()
    db.commit()
    db.close()


def main(argv):
    if len(argv) == 5 and argv[1] == "cases":
        gen_cases(int(argv[2]), argv[3], argv[4])
    elif len(argv) == 4 and argv[1] == "dates":
        gen_dates(int(argv[2]), argv[3])
    elif len(argv) == 5 and argv[1] == "walked":
        gen_walked(int(argv[2]), argv[3], int(argv[4]))
    else:
        sys.exit("usage: gen-cases.py cases N JSONL TSV | gen-cases.py dates N FILE"
                 " | gen-cases.py walked N DB NOW")


if __name__ == "__main__":
    main(sys.argv)
