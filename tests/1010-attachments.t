#!/bin/bash
# The attachment store (issue 15, defect 12): a file that comes with a case
# is copied into partake's own folder beside the database, under the
# SHA-256 of its content, if the user can read it, it is within the size
# limit and its content is of a type taken; a link is kept, not fetched; a
# file one may not read gets the same answer as one that is not there; the
# case keeps no path; pdb check holds the copies to their digests.
. "$(dirname "$0")/lib.sh"

store=$PARTAKE_DB.attachments
files=$tmp/files
mkdir -p "$files"
printf '%%PDF-1.4\n%%%%EOF\n' > "$files/letter.pdf"
printf '\377\330\377\340\000\020JFIF\000\377\331' > "$files/photo.jpg"
printf '\211PNG\r\n\032\n\000\000\000\rIHDR' > "$files/map.png"
printf '\357\273\277نامه شهروند\r\nخط دوم\tبا تب\n' > "$files/letter.txt"
printf 'MZ\220\000\003\000\000\000' > "$files/program.exe"
printf 'PK\003\004 not a zip' > "$files/broken.docx"
printf 'line one\033[31m red\n' > "$files/escape.txt"
printf '\377\376n\000a\000' > "$files/utf16.txt"
: > "$files/empty.pdf"
python3 - "$files" <<'PY'
import sys, zipfile
d = sys.argv[1]
with zipfile.ZipFile(d + "/report.docx", "w") as z:
    z.writestr("[Content_Types].xml", "<Types/>")
    z.writestr("word/document.xml", "<w:document/>")
with zipfile.ZipFile(d + "/archive.zip", "w") as z:
    z.writestr("setup.exe", "MZ")
with zipfile.ZipFile(d + "/renamed.pdf", "w") as z:   # a ZIP named .pdf
    z.writestr("word/other.xml", "<x/>")
PY
sha() { sha256sum < "$1" | cut -c1-64; }
copy_of() { printf '%s/%s/%s' "$store" "$(printf %s "$1" | cut -c1-2)" "$1"; }

# --- a file is copied in, the case keeps its name, type, size and digest ---

run pcase-new -k violation -s 'با نامه و عکس' --anonymous --attach "$files/letter.pdf" \
	--attach "$files/photo.jpg"
is "$rc" 0 "a case with a PDF and a JPEG is stored"
a=$out
is "$(sql "SELECT a.kind || ' ' || a.name || ' ' || a.type || ' ' || a.size || ' ' || a.sha256
	FROM attachment a JOIN cases c ON c.id = a.case_id WHERE c.code = $a ORDER BY a.id")" \
	"file letter.pdf application/pdf $(stat -c %s "$files/letter.pdf") $(sha "$files/letter.pdf")
file photo.jpg image/jpeg $(stat -c %s "$files/photo.jpg") $(sha "$files/photo.jpg")" \
	"each is recorded by its own name, its type by content, its size and its SHA-256, in order"
is "$(sql "SELECT count(*) FROM pragma_table_info('attachment') WHERE name = 'path'")" 0 \
	"the table keeps no path"
is "$(sql "SELECT count(*) FROM attachment WHERE name LIKE '%/%' OR coalesce(note, '') LIKE '%$files%'")" 0 \
	"nor does any row hold the folder the files came from"
cmp -s "$files/letter.pdf" "$(copy_of "$(sha "$files/letter.pdf")")"
ok $? "the copy is in the store, named by its digest, with the same content"
is "$(stat -c %a "$store")" 700 "the store is made mode 0700"
is "$(stat -c %a "$(dirname "$(copy_of "$(sha "$files/letter.pdf")")")")" 700 "so is each folder in it"
is "$(find "$store" -type f -printf '%m\n' | sort -u)" 600 "every copy is mode 0600"
is "$(find "$store" -name '.partial-*' | wc -l)" 0 "nothing is left aside"

# The same content in another case, under another name: one copy.
cp "$files/letter.pdf" "$files/same letter.pdf"
b=$(pcase-new -k suggestion -s 'همان نامه' --anonymous --attach "$files/same letter.pdf")
is "$(sql "SELECT count(DISTINCT sha256) || ' ' || count(*) FROM attachment WHERE type = 'application/pdf'")" \
	"1 2" "two cases with the same file: two rows, one digest"
is "$(find "$store" -type f | wc -l)" 2 "and one copy of it in the store (two files in all)"
is "$(sql "SELECT a.name FROM attachment a JOIN cases c ON c.id = a.case_id WHERE c.code = $b")" \
	"same letter.pdf" "each case keeps the name it came with"

# The original can go: the case shows what it came with all the same.
rm "$files/same letter.pdf"
run pcase-status -f json "$b"
is "$(printf '%s' "$out" | python3 -c 'import json, sys; a = json.load(sys.stdin)["attachments"][0]
print(a["name"], a["type"], a["size"], a["sha256"])')" \
	"same letter.pdf application/pdf $(stat -c %s "$files/letter.pdf") $(sha "$files/letter.pdf")" \
	"the original deleted, pcase-status still shows the attachment: name, type, size, digest"
cmp -s "$files/letter.pdf" "$(copy_of "$(sha "$files/letter.pdf")")"
ok $? "and its copy is still in the store"

# Text, DOCX, PNG, links; a relative path is taken from the current folder.
run sh -c "cd '$files' && pcase-new -k violation -s 'انواع' --anonymous --attach letter.txt \
	--attach report.docx --attach map.png --attach https://example.ir/photo.jpg"
is "$rc" 0 "plain text, DOCX, PNG and a link are taken"
is "$(sql "SELECT a.kind || ' ' || a.name || ' ' || coalesce(a.type, '-') || ' ' || coalesce(a.size, '-')
	FROM attachment a JOIN cases c ON c.id = a.case_id WHERE c.code = $out ORDER BY a.id")" \
	"file letter.txt text/plain $(stat -c %s "$files/letter.txt")
file report.docx application/vnd.openxmlformats-officedocument.wordprocessingml.document $(stat -c %s "$files/report.docx")
file map.png image/png $(stat -c %s "$files/map.png")
link https://example.ir/photo.jpg - -" "each with its type, the link kept as given, never fetched"
pcase-list -q -l -f xlsx > "$files/cases.xlsx"
run pcase-new -k violation -s 'کاربرگ' --anonymous --attach "$files/cases.xlsx"
is "$rc/$(sql "SELECT type FROM attachment WHERE name = 'cases.xlsx'")" \
	"0/application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" \
	"an XLSX workbook (our own) is taken as one"

# --- what is refused, and nothing is stored ------------------------------------

# refused NAME PATH WANT: one case with --attach PATH is refused with WANT.
refused() {
	local before
	before=$(db_state)
	run pcase-new -k violation -s 'x' --anonymous --attach "$2"
	is "$rc" 2 "$1: exit 2"
	is "$err" "pcase-new: attach: $3" "$1: the message"
	is "$(db_state)" "$before" "$1: nothing stored"
}
refused "a program" "$files/program.exe" \
	"'program.exe': not a type partake takes (PDF, JPEG, PNG, plain text (UTF-8), DOCX, XLSX), by its content"
refused "a ZIP of something else" "$files/archive.zip" \
	"'archive.zip': not a type partake takes (PDF, JPEG, PNG, plain text (UTF-8), DOCX, XLSX), by its content"
refused "a ZIP named .pdf: the name does not make the type" "$files/renamed.pdf" \
	"'renamed.pdf': not a type partake takes (PDF, JPEG, PNG, plain text (UTF-8), DOCX, XLSX), by its content"
refused "a broken ZIP named .docx" "$files/broken.docx" \
	"'broken.docx': not a type partake takes (PDF, JPEG, PNG, plain text (UTF-8), DOCX, XLSX), by its content"
refused "text with a terminal escape" "$files/escape.txt" \
	"'escape.txt': not a type partake takes (PDF, JPEG, PNG, plain text (UTF-8), DOCX, XLSX), by its content"
refused "text in UTF-16" "$files/utf16.txt" \
	"'utf16.txt': not a type partake takes (PDF, JPEG, PNG, plain text (UTF-8), DOCX, XLSX), by its content"
refused "an empty file" "$files/empty.pdf" "'empty.pdf': empty"
refused "a folder" "$files" "'files': no such file, or not one this user may read"
refused "a device" /dev/zero "'zero': no such file, or not one this user may read"
mkfifo "$files/pipe.pdf"
refused "a FIFO, without waiting for a writer" "$files/pipe.pdf" \
	"'pipe.pdf': no such file, or not one this user may read"

# The size limit, from the config.
printf '%s\nattachment_max_bytes = 1K\n' "$base_config" > "$PARTAKE_CONFIG"
{ printf '%%PDF-1.4\n'; head -c 1100 /dev/zero | tr '\0' x; } > "$files/big.pdf"
refused "a file over attachment_max_bytes" "$files/big.pdf" \
	"'big.pdf': 1109 bytes, more than the 1024 that attachment_max_bytes allows"
head -c 1024 "$files/big.pdf" > "$files/just.pdf"
run pcase-new -k violation -s 'x' --anonymous --attach "$files/just.pdf"
is "$rc" 0 "a file of exactly the limit is taken"
for bad in 0 101M 10G ten -5 1.5M; do
	printf '%s\nattachment_max_bytes = %s\n' "$base_config" "$bad" > "$PARTAKE_CONFIG"
	run pcase-new -k violation -s 'x' --anonymous
	is "$rc" 2 "attachment_max_bytes = $bad is refused"
done
like "$err" "attachment_max_bytes: expected a size from 1 byte to 100M (bytes, or with K or M)" \
	"saying what it takes"
printf '%s\nattachment_max_bytes = 10M\n' "$base_config" > "$PARTAKE_CONFIG"

# --- a file one may not read: the same answer as one that is not there --------

# As root every file is readable: the commands run as nobody, from a kit
# nobody can reach, on a database of nobody's.
chmod 755 "$tmp"
mkdir -p "$tmp/kit/bin" "$tmp/kit/share" "$tmp/kit/secret" "$tmp/nobody"
cp "$top/bin/pcase-new" "$tmp/kit/bin/"
cp -r "$top/share/partake" "$tmp/kit/share/"
printf '%%PDF-1.4 secret\n' > "$tmp/kit/secret/salary.pdf"
printf '%%PDF-1.4 open\n' > "$tmp/kit/secret/open.pdf"
printf 'holidays_dir = %s\ntemplates_dir = %s\n' "$tmp/kit/share/partake/holidays" \
	"$tmp/kit/share/partake/templates" > "$tmp/kit/partake.conf"
chmod -R a+rX "$tmp/kit"
chmod 000 "$tmp/kit/secret/salary.pdf"
if [ "$(id -u)" = 0 ]; then
	chown 65534:65534 "$tmp/nobody"
	as_user() {
		PARTAKE_CONFIG=$tmp/kit/partake.conf PARTAKE_DB=$tmp/nobody/p.db \
			setpriv --reuid=65534 --regid=65534 --clear-groups "$tmp/kit/bin/$@"
	}
else
	as_user() { PARTAKE_CONFIG=$tmp/kit/partake.conf PARTAKE_DB=$tmp/nobody/p.db "$tmp/kit/bin/$@"; }
fi
as_user pcase-new -q -k violation -s 'پایه' --anonymous >/dev/null
run as_user pcase-new -k violation -s 'x' --anonymous --attach /etc/shadow
shadow=$err
is "$rc" 2 "--attach /etc/shadow, which this user may not read: exit 2"
run as_user pcase-new -k violation -s 'x' --anonymous --attach /etc/no-such-folder/shadow
is "$rc" 2 "--attach of a file that does not exist: exit 2"
is "$shadow" "$err" "the two messages are the same: nothing is learnt of /etc/shadow"
is "$err" "pcase-new: attach: 'shadow': no such file, or not one this user may read" \
	"and the message says it may be either"
run as_user pcase-new -k violation -s 'x' --anonymous --attach "$tmp/kit/secret/salary.pdf"
unreadable=$err
run as_user pcase-new -k violation -s 'x' --anonymous --attach "$tmp/kit/salary.pdf"
is "$unreadable" "$err" "a file this user may not read (mode 0000): the same message as a missing one"
run as_user pcase-new -k violation -s 'x' --anonymous --attach "$tmp/kit/secret/open.pdf"
is "$rc" 0 "a file this user may read is taken"
is "$(sqlite3 "$tmp/nobody/p.db" "SELECT count(*) FROM attachment")" 1 "one attachment in all"
is "$(find "$tmp/nobody/p.db.attachments" -type f -printf '%u %m\n')" \
	"$(id -un 65534 2>/dev/null || echo nobody) 600" "its copy is the user's own, mode 0600"

# --- a batch -----------------------------------------------------------------------

before=$(db_state)
n=$(find "$store" -type f | wc -l)
printf '{"kind":"violation","subject":"one","attach":"%s"}\n{"kind":"violation","subject":"two","attach":["%s"]}\n' \
	"$files/map.png" "$files/program.exe" > "$tmp/bad.jsonl"
run pcase-new --batch < "$tmp/bad.jsonl"
is "$rc" 2 "a batch with a refused attachment on line 2: exit 2"
like "$err" "line 2: attach: 'program.exe': not a type partake takes" "naming the line and the field"
is "$(db_state)" "$before" "nothing of it is stored"
is "$(find "$store" -type f | wc -l)" "$n" "and line 1's copy is one the store had already"
printf '{"kind":"violation","subject":"one","attach":["%s","https://example.ir/x"]}\n' \
	"$files/letter.txt" > "$tmp/good.jsonl"
run pcase-new --batch < "$tmp/good.jsonl"
is "$rc/$(sql "SELECT group_concat(a.kind, ',') FROM attachment a JOIN cases c ON c.id = a.case_id
	WHERE c.code = '$out'")" "0/file,link" "a batch line's file and link are taken"

# --- the history covers them; pdb check holds the copies to their digests ------

run pdb check
is "$rc" 0 "pdb check: exit 0"
like "$out" "ok (schema " "ok"
run pdb check --full
is "$rc" 0 "pdb check --full (every copy hashed again): exit 0"

cp "$PARTAKE_DB" "$tmp/renamed.db"
sqlite3 "$tmp/renamed.db" "UPDATE attachment SET name = 'other.pdf' WHERE name = 'letter.pdf'"
cp -r "$store" "$tmp/renamed.db.attachments"
run pdb --db "$tmp/renamed.db" check
is "$rc" 1 "an attachment's name changed with the sqlite3 shell: exit 1"
like "$out" "audit chain: case $(printf '%012d' "$a"): changed outside partake" \
	"the case's digest covers its attachments"
cp "$PARTAKE_DB" "$tmp/added.db"
sqlite3 "$tmp/added.db" "INSERT INTO attachment (case_id, kind, name) SELECT id, 'link', 'https://evil.example'
	FROM cases WHERE code = $b"
cp -r "$store" "$tmp/added.db.attachments"
run pdb --db "$tmp/added.db" check
like "$out" "audit chain: case $(printf '%012d' "$b"): changed outside partake" \
	"an attachment added outside partake is caught"

pdf=$(sha "$files/letter.pdf")
mv "$(copy_of "$pdf")" "$tmp/aside"
run pdb check
is "$rc" 1 "a copy gone from the store: exit 1"
like "$out" "attachments: case $(printf '%012d' "$a"): 'letter.pdf' (sha256 ${pdf:0:12}…): its copy is not in the store" \
	"naming the case, the file and its digest"
like "$out" "attachments: case $(printf '%012d' "$b"): 'same letter.pdf'" "and every case that has it"
printf '%%PDF-1.4\n%%%%EOX\n' > "$(copy_of "$pdf")"
run pdb check
is "$rc" 0 "a copy changed, of the same size: the plain check does not read it"
run pdb check --full
is "$rc" 1 "pdb check --full: exit 1"
like "$out" "its copy's content is not the one its digest names: it was changed" "says what was found"
mv "$tmp/aside" "$(copy_of "$pdf")"
run pdb check --full
is "$rc" 0 "the copy put back: ok again"

done_testing
