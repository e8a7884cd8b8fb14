#!/bin/sh
# make check-browser: a draft's page as headless Chromium draws it, in
# build/browser/ (draft.png, closed.png, impact.png, monthly.png, impact-report.png), for a person to look
# at: the Persian text shaped and right to left, the dates in Solar Hijri.
# Not part of make check: Chromium is slow to start and a picture is not a
# pass or a fail.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/browser
PATH=$top/bin:$PATH
tmp=$(mktemp -d "${TMPDIR:-/tmp}/partake-browser.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export PARTAKE_DB=$tmp/p.db PARTAKE_CONFIG=$tmp/p.conf PARTAKE_USER=browser
export PARTAKE_NOW=2026-11-22T08:00:00Z HOME=$tmp
printf 'holidays_dir = %s\ntemplates_dir = %s\nweb_dir = %s/web\n' \
	"$top/share/partake/holidays" "$top/share/partake/templates" "$tmp" > "$PARTAKE_CONFIG"
mkdir -p "$out" "$tmp/web"
punit add legal --name "دفتر امور حقوقی" --email legal@agency.example.ir >/dev/null 2>&1
d=$(pdraft-new --title "آیین‌نامه ساعات کار اداری" --unit legal \
	--text "$top/share/partake/examples/draft-office-hours.txt" 2>/dev/null)
pdraft-publish -q >/dev/null
pcase-new -q --kind comment --draft "$d" --article 2 --subject "ساعت شروع" --anonymous >/dev/null
pcase-new -q --kind comment --draft "$d" --subject "کل" --anonymous >/dev/null
pdraft-publish -q >/dev/null

shot() {	# shot PAGE PNG
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --lang=fa \
		--user-data-dir="$tmp/chromium" --window-size=1000,1400 \
		--screenshot="$2" "file://$1" >/dev/null 2>&1
	[ -s "$2" ] && echo "  $2"
}
shot "$tmp/web/drafts/$d.html" "$out/draft.png"
PARTAKE_NOW=2026-12-07T06:00:00Z pdraft-close -q >/dev/null
shot "$tmp/web/drafts/$d.html" "$out/closed.png"
export PARTAKE_NOW=2026-12-08T06:00:00Z
pdraft-new -q --revise "$d" --text "$top/share/partake/examples/draft-office-hours-2.txt" >/dev/null
preport impact --draft "$d" --html "$tmp/web/drafts/impact.html" >/dev/null
shot "$tmp/web/drafts/impact.html" "$out/impact.png"
# The monthly report (issue 12): its tables, the trend and the share on time.
pcase-route -q --to legal $(pcase-new -q -k complaint -c portal -s "صف طولانی" --anonymous) >/dev/null
preport monthly --month 1405-09 --html "$tmp/web/reports/monthly.html" >/dev/null
shot "$tmp/web/reports/monthly.html" "$out/monthly.png"
# The analytic report of impact: a suggestion accepted, what was done, the draft.
s=$(pcase-new -q -k suggestion -c portal -s "نوبت‌دهی اینترنتی" --anonymous)
pcase-route -q --to legal "$s" >/dev/null
pcase-answer -q --outcome accepted --action system --text "سامانه نوبت‌دهی راه افتاد" "$s" >/dev/null
preport impact --month 1405-09 --html "$tmp/web/reports/impact.html" >/dev/null
shot "$tmp/web/reports/impact.html" "$out/impact-report.png"
