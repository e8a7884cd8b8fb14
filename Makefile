# partake — build, test, install. See README.md ("Hacking") for how the
# parts fit; `make help` lists the targets.

PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
SHAREDIR  ?= $(PREFIX)/share/partake
MANDIR    ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
VERSION   := 0.1.0

CC        ?= cc
CFLAGS    ?= -O2 -g
WARNINGS  := -Wall -Wextra -Werror
# libxml2's headers: the page writer and the feed (lib/page.h, lib/feed.h).
XML_CFLAGS := $(shell pkg-config --cflags libxml-2.0 2>/dev/null || echo -I/usr/include/libxml2)
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARNINGS) $(CFLAGS) -Ilib $(XML_CFLAGS) \
	-DPARTAKE_VERSION='"$(VERSION)"' -DSHAREDIR='"$(SHAREDIR)"'
# Each command links what its part of lib/ uses: every one the store (SQLite)
# and the printer (jansson for -f json); those
# that write the audit chain Nettle too
# (the default). Mail (lib/mail.c, SMTP) and SMS (lib/sms.c, the gateway's
# HTTPS API) go through libcurl, which only the command that sends links.
LIBS_BASE  := -lsqlite3 -ljansson
# libxlsxwriter is opened by lib/fmt-xlsx.c only for -f xlsx, by the name
# its ABI has (`=`: asked when compiling, after `make deps` installed it).
XLSXWRITER_SONAME = $(shell objdump -p "$$($(CC) -print-file-name=libxlsxwriter.so)" 2>/dev/null | \
	awk '$$1 == "SONAME" { print $$2 }')
XLSX_CFLAGS = $(if $(XLSXWRITER_SONAME),-DXLSXWRITER_SONAME='"$(XLSXWRITER_SONAME)"')
# Every command that writes the chain can move an older file forward, the
# attachments of schema 5 into the attachment store among it, which
# lib/schema.c reaches by a weak reference: the link is told to take it in.
LIBS_AUDIT := $(LIBS_BASE) -lnettle -Wl,--undefined=attach_adopt
LIBS_MAIL  := -lcurl
LIBS_SMS   := -lcurl
# pcase-mail reads mail with GMime (lib/mailin.c, the one module that
# includes it) and makes text of HTML with libxml2's parser.
GMIME_CFLAGS = $(shell pkg-config --cflags gmime-3.0 libxml-2.0 2>/dev/null)
GMIME_LIBS = $(shell pkg-config --libs gmime-3.0 libxml-2.0 2>/dev/null)
# (`=`, not `:=`: pkg-config is asked when linking, after `make deps` installed it.)
LIBS_pcase-mail = $(LIBS_AUDIT) $(GMIME_LIBS)
# pcase-sms polls the gateway through libcurl.
LIBS_pcase-sms := $(LIBS_AUDIT) $(LIBS_SMS)
# XML through libxml2's tree: Open311 documents (lib/open311.c) and SVG
# charts (lib/fmt-svg.c); only the commands that write them link it (and
# pcase-mail, for its HTML parser).
XML_CFLAGS := -I/usr/include/libxml2
LIBS_XML   := -lxml2
LIBS_pcal  := $(LIBS_BASE)
LIBS_pcase-list := $(LIBS_BASE) $(LIBS_XML)
LIBS_pservice := $(LIBS_AUDIT) $(LIBS_XML)
# pcase-new reads and parses a batch ahead of storing it, on a second thread.
LIBS_pcase-new := $(LIBS_AUDIT) -lpthread
LIBS_pnotify := $(LIBS_AUDIT) $(LIBS_MAIL)
# pdb seals the chain's head with Ed25519, which is in Nettle's libhogweed.
LIBS_pdb := $(LIBS_AUDIT) -lhogweed
# psurvey-summary only reads; --format svg draws its chart with libxml2
# (lib/fmt-svg.c, which the printer reaches by a weak reference: the link
# is told to take it in).
LIBS_psurvey-summary := $(LIBS_BASE) $(LIBS_XML) -lm -Wl,--undefined=fmt_svg
lib/fmt-svg.o: ALL_CFLAGS += $(XML_CFLAGS)
# The pages and the Atom feed go through libxml2 (lib/page.c, lib/feed.c).
LIBS_pdraft-publish := $(LIBS_AUDIT) $(LIBS_XML)
LIBS_pdraft-close := $(LIBS_AUDIT) $(LIBS_XML)
LIBS_preport := $(LIBS_AUDIT) $(LIBS_XML) -lm -Wl,--undefined=fmt_svg
# The portal (a CGI) writes cases, comments and survey answers (the chain)
# and its pages and Open311 documents through libxml2.
LIBS_partake.cgi := $(LIBS_AUDIT) $(LIBS_XML)
libs_of = $(or $(LIBS_$(1)),$(LIBS_AUDIT))

# The Debian packages the build and the tests use, each for a reason:
# the compiler and libraries; the sqlite3 shell, python3 and zsh that the
# tests drive; mandoc for the pages; tzdata for Asia/Tehran; bash-completion
# for the completion test; libicu-dev for the test of the calendar;
# libcurl4-openssl-dev for mail over SMTP and the SMS gateway's HTTPS API,
# python3-aiosmtpd for the SMTP server their tests send to;
# libxlsxwriter-dev for the -f xlsx workbooks, libreoffice-calc-nogui for
# the test that opens them in LibreOffice (headless) and reads the cells back;
# man-db, so that `man pcase-new` works on a bare machine;
# libgmime-3.0-dev for pcase-mail, which reads citizens' mail (MIME, RFC 2047,
# charsets) with GMime; libxml2-dev, whose HTML parser makes text of an
# HTML-only mail and whose tree writes the public pages, the Atom feed, the
# Open311 XML and psurvey-summary's SVG charts (escaping every text), and
# libxml2-utils for the xmllint that checks them in the tests;
# python3-feedparser, the feed reader that reads our feed in a test
# (pkg-config finds GMime's flags; python3-aiosmtpd carries the test mail
# into pcase-mail too); time (GNU /usr/bin/time -v) for the peak memory the
# benchmarks report; lighttpd, the real web server the portal's tests run
# partake.cgi behind (mod_cgi, on 127.0.0.1), and apache2-utils for the ab
# that bench/portal.sh loads it with.
DEB_PACKAGES := gcc make libc6-dev libsqlite3-dev nettle-dev libjansson-dev \
	sqlite3 python3 zsh mandoc man-db tzdata bash-completion libicu-dev \
	libcurl4-openssl-dev python3-aiosmtpd libxlsxwriter-dev libreoffice-calc-nogui \
	libgmime-3.0-dev libxml2-dev libxml2-utils python3-feedparser pkg-config time \
	lighttpd apache2-utils

LIB_SRC  := $(sort $(wildcard lib/*.c))
LIB_OBJ  := $(LIB_SRC:.c=.o)
CMD_SRC  := $(sort $(wildcard cmd/*.c))
CMDS     := $(notdir $(CMD_SRC:.c=))
BINS     := $(addprefix bin/,$(CMDS))
UNIT_SRC := $(sort $(wildcard tests/unit/test-*.c))
UNITS    := $(UNIT_SRC:.c=)

.PHONY: all deps deps-proof deps-browser check-browser demo demo-web check soak check-sanitize fuzz fuzz-build bench install \
	uninstall clean lint help
all: $(BINS) $(UNITS)

lib/libpartake.a: $(LIB_OBJ)
	@echo "  AR      $@"
	@rm -f $@	# a module removed from lib/ must leave the archive too
	@$(AR) rcs $@ $^

# The compiled-in share folder: a change of PREFIX rebuilds what uses it.
lib/sharedir.stamp: FORCE
	@echo '$(SHAREDIR)' | cmp -s - $@ || echo '$(SHAREDIR)' > $@
lib/config.o: lib/sharedir.stamp
.PHONY: FORCE
FORCE:

lib/%.o: lib/%.c lib/*.h
	@echo "  CC      $@"
	@$(CC) $(ALL_CFLAGS) $(TARGET_CFLAGS) -c -o $@ $<
lib/mailin.o: ALL_CFLAGS += $(GMIME_CFLAGS)
lib/open311.o: ALL_CFLAGS += $(XML_CFLAGS)
lib/fmt-xlsx.o: TARGET_CFLAGS = $(XLSX_CFLAGS)

bin/%: cmd/%.c lib/libpartake.a lib/*.h
	@mkdir -p bin
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $< lib/libpartake.a $(call libs_of,$*)

tests/unit/test-%: tests/unit/test-%.c tests/unit/tap.h lib/libpartake.a lib/*.h
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $< lib/libpartake.a $(LIBS_AUDIT)

# ICU's Persian calendar checks the jalali module; only this test links it.
tests/unit/test-jalali-icu: tests/unit/test-jalali-icu.c tests/unit/tap.h lib/libpartake.a lib/*.h
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $< lib/libpartake.a $(LIBS_AUDIT) -licui18n -licuuc

# The mail module's test sends through libcurl; only it (and the notifier) links it.
tests/unit/test-mail: tests/unit/test-mail.c tests/unit/tap.h lib/libpartake.a lib/*.h
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $< lib/libpartake.a $(LIBS_AUDIT) $(LIBS_MAIL)

# The SMS module's test talks to tests/gateway.py through libcurl.
tests/unit/test-sms: tests/unit/test-sms.c tests/unit/tap.h lib/libpartake.a lib/*.h
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $< lib/libpartake.a $(LIBS_BASE) $(LIBS_SMS)

# Installs the missing Debian packages when run as root; else says what to run.
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		log=$${TMPDIR:-/tmp}/partake-deps.log; \
		echo "make deps: installing $$(echo $$missing | wc -w) Debian packages (log: $$log)"; \
		if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y \
			--no-install-recommends $$missing; } >"$$log" 2>&1; then \
			tail -n 20 "$$log"; echo "make deps: apt-get failed; the whole log is $$log"; exit 1; \
		fi; \
	else \
		echo "missing Debian packages; run as root:"; \
		echo "  apt-get install $$missing"; exit 1; \
	fi

# --- The proof kept in the project: the suite under sanitizers, and fuzzing.
# Both are built apart from the objects above, so a plain `make` never
# links a sanitized object, and both with clang: libFuzzer is clang's, and
# one compiler's reports read alike. They need their own packages (not
# every builder wants them): clang; libclang-rt-14-dev, the sanitizers' and
# libFuzzer's runtimes, which clang only recommends; llvm, whose
# llvm-symbolizer puts file:line in a report's stack.
PROOF_DEB_PACKAGES := clang libclang-rt-14-dev llvm
PROOF_CC := clang
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# The whole suite, against commands and unit tests built with SANITIZE in
# build/sanitize (a tree of links to this one: tests/shadow-tree.sh); each
# test file fails on any report of theirs (tests/sanitized.sh).
SANITIZE_DIR := build/sanitize
# libFuzzer runs each target for FUZZ_SECONDS (FUZZ_TARGETS: some of them);
# what it learns goes to build/fuzz/corpus, crashes to build/fuzz/crashes.
FUZZ_SECONDS ?= 60
FUZZ_DIR  := build/fuzz
FUZZ_SRC  := $(sort $(wildcard tests/fuzz/*.c))
FUZZ_TARGETS ?= $(notdir $(FUZZ_SRC:.c=))
FUZZ_LIB_OBJ := $(patsubst lib/%.c,$(FUZZ_DIR)/lib/%.o,$(LIB_SRC))
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARNINGS) -O1 -g $(SANITIZE) -Ilib $(XML_CFLAGS) \
	-DPARTAKE_VERSION='"$(VERSION)"' -DSHAREDIR='"$(SHAREDIR)"' \
	-DFUZZ_SHARE_DIR='"$(CURDIR)/share/partake"'

# After deps: two apt-get at once would fight over dpkg's lock.
deps-proof: deps
	@$(MAKE) --no-print-directory deps DEB_PACKAGES='$(PROOF_DEB_PACKAGES)'

check-sanitize: deps-proof
	@sh tests/shadow-tree.sh $(SANITIZE_DIR)
	@$(MAKE) --no-print-directory -C $(SANITIZE_DIR) CC=$(PROOF_CC) \
		CFLAGS='-O1 -g $(SANITIZE)' all
	cd $(SANITIZE_DIR) && prove -f --exec 'sh tests/sanitized.sh' tests/*.t < /dev/null

# The library again, instrumented for libFuzzer's coverage (fuzzer-no-link);
# with make -j, only once clang is there.
$(FUZZ_LIB_OBJ): | deps-proof
$(FUZZ_DIR)/lib/%.o: lib/%.c lib/*.h
	@mkdir -p $(FUZZ_DIR)/lib
	@echo "  CC      $@"
	@$(PROOF_CC) $(FUZZ_CFLAGS) $(TARGET_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_DIR)/lib/mailin.o: FUZZ_CFLAGS += $(GMIME_CFLAGS)
$(FUZZ_DIR)/lib/open311.o: FUZZ_CFLAGS += $(XML_CFLAGS)
$(FUZZ_DIR)/lib/fmt-svg.o: FUZZ_CFLAGS += $(XML_CFLAGS)
$(FUZZ_DIR)/lib/fmt-xlsx.o: TARGET_CFLAGS = $(XLSX_CFLAGS)

$(FUZZ_DIR)/libpartake.a: $(FUZZ_LIB_OBJ)
	@echo "  AR      $@"
	@rm -f $@
	@$(AR) rcs $@ $^

# A target may include the lib/ file it tests, to reach its static parsers.
$(FUZZ_DIR)/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(FUZZ_DIR)/libpartake.a lib/*.h
	@echo "  LD      $@"
	@$(PROOF_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_DIR)/libpartake.a \
		$(LIBS_AUDIT) -lpthread

fuzz-build: deps-proof $(addprefix $(FUZZ_DIR)/,$(FUZZ_TARGETS))

fuzz: fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

demo: deps all
	@sh tests/demo.sh

# The demo's database behind lighttpd on 127.0.0.1: the portal at the
# address it prints, until interrupted.
demo-web: deps all
	@sh tests/demo-web.sh

check: deps all
	prove -f tests/*.t < /dev/null

# Screenshots of a draft's page, closed page and impact report in headless
# Chromium, into build/browser/, for a person to look at (not in make check:
# slow, and a picture is no pass or fail). chromium draws them; the Persian
# text is set in Noto Naskh Arabic, of fonts-noto-core (partake.css). Then
# the portal in the same browser (tests/6050-portal-browser.t, TAP): a form
# filled and sent, its code tracked, a comment, a survey, through
# chromium-driver from python3-selenium (Debian's own Python: /usr/bin/python3).
BROWSER_DEB_PACKAGES := chromium fonts-noto-core chromium-driver python3-selenium
deps-browser: deps
	@$(MAKE) --no-print-directory deps DEB_PACKAGES='$(BROWSER_DEB_PACKAGES)'
check-browser: deps-browser all
	@sh tests/check-browser.sh
	PARTAKE_BROWSER=1 prove -v tests/6050-portal-browser.t < /dev/null

# The concurrency test of `make check` (10 s of writers, a reader, check and
# backup together) run for SOAK_SECONDS instead.
SOAK_SECONDS ?= 120
soak: all
	PARTAKE_SOAK_SECONDS=$(SOAK_SECONDS) prove -v tests/1350-concurrency.t < /dev/null

bench: all
	@sh bench/run.sh

lint:
	@# A link (man1/partake.cgi.1) is its page, linted under the page's own name.
	@for m in man/man*/*.[1578]; do [ -L "$$m" ] || mandoc -Tlint -Wwarning "$$m" || exit 1; done

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR)/holidays \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	install -d $(DESTDIR)$(SHAREDIR)/templates $(DESTDIR)$(SHAREDIR)/examples
	install -m 644 share/partake/holidays/* $(DESTDIR)$(SHAREDIR)/holidays
	install -m 644 share/partake/templates/* $(DESTDIR)$(SHAREDIR)/templates
	install -m 644 share/partake/examples/* $(DESTDIR)$(SHAREDIR)/examples
	for f in share/partake/*; do [ -f "$$f" ] && install -m 644 "$$f" $(DESTDIR)$(SHAREDIR); done; true
	install -m 644 man/man1/*.1 $(DESTDIR)$(MANDIR)/man1
	for s in 5 7 8; do for f in man/man$$s/*.$$s; do [ -f "$$f" ] && install -m 644 "$$f" $(DESTDIR)$(MANDIR)/man$$s; done; done; true
	for c in $(CMDS); do install -m 644 completions/bash/partake $(DESTDIR)$(BASHCOMPDIR)/$$c; done
	install -m 644 completions/zsh/_partake $(DESTDIR)$(ZSHCOMPDIR)/_partake

uninstall:
	for c in $(CMDS); do rm -f $(DESTDIR)$(BINDIR)/$$c $(DESTDIR)$(MANDIR)/man1/$$c.1 \
		$(DESTDIR)$(MANDIR)/man8/$$c.8 $(DESTDIR)$(BASHCOMPDIR)/$$c; done
	rm -rf $(DESTDIR)$(SHAREDIR)
	rm -f $(DESTDIR)$(ZSHCOMPDIR)/_partake

clean:
	rm -rf bin lib/*.o lib/libpartake.a lib/sharedir.stamp $(UNITS) tests/tmp bench/out build

help:
	@echo "targets: all deps demo demo-web check check-browser soak check-sanitize fuzz bench install uninstall clean lint"
