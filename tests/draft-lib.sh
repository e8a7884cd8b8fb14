# tests/draft-lib.sh — what the tests of drafts share: a unit, a web folder,
# two texts (the second inserts an article), and a draft out for comment.
. "$(dirname "$0")/lib.sh"

web=$tmp/web
mkdir -p "$web"
printf '%s\nweb_dir = %s\n' "$base_config" "$web" > "$PARTAKE_CONFIG"
punit add legal --name 'دفتر حقوقی' --email legal@agency.ir >/dev/null 2>&1

cat > "$tmp/v1.txt" <<'TXT'
آیین‌نامه ساعات کار اداری
ماده ۱ - تعاریف
در این آیین‌نامه واژه‌های زیر به کار می‌روند.
تبصره ۱ - واحد یعنی هر واحد سازمانی.
ماده ۲ - ساعات کار
ساعات کار از ۷:۳۰ تا ۱۴:۳۰ است.
ماده ۳: اجرا
این آیین‌نامه از تاریخ تصویب اجرا می‌شود.
TXT
cat > "$tmp/v2.txt" <<'TXT'
آیین‌نامه ساعات کار اداری
ماده ۱ - تعاریف
در این آیین‌نامه واژه‌های زیر به کار می‌روند.
تبصره ۱ - واحد یعنی هر واحد سازمانی.
ماده ۲ - دورکاری
کارکنان می‌توانند یک روز در هفته دورکاری کنند.
ماده ۳ - ساعات کار
ساعات کار از ۸ تا ۱۵ است.
ماده ۴: اجرا
این آیین‌نامه از تاریخ تصویب اجرا می‌شود.
TXT

# The clock of lib.sh: 2026-11-22T08:00Z, 1405-09-01 11:30 in Tehran. A
# window of 14 days opened then ends at 1405-09-15 23:59:59 Tehran, which is
# 2026-12-06T20:29:59Z.
last_second=2026-12-06T20:29:59Z
first_after=2026-12-06T20:30:00Z

# new_open_draft: a draft of v1.txt, published; its code in $draft.
new_open_draft() {
	draft=$(pdraft-new --title 'آیین‌نامه ساعات کار' --unit legal --text "$tmp/v1.txt" 2>/dev/null)
	pdraft-publish >/dev/null 2>&1
}
