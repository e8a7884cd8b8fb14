#!/bin/sh
# tests/shadow-tree.sh DIR — a tree of symbolic links to this one, so that a
# second build (the sanitized one of `make check-sanitize`) has its own
# objects, commands and unit tests while reading the very same sources,
# and leaves nothing behind for a plain `make`. The folders a build writes
# into (lib, tests, tests/unit) are real in DIR and hold links to each
# source file; every other entry is one link. Run again, it drops the links
# to files that are gone and adds the new ones. The tests find the tree
# through their own path ($top in tests/lib.sh), so they run unchanged.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
dest=$1
mkdir -p "$dest/lib" "$dest/tests/unit"
dest=$(cd "$dest" && pwd)

# link_each FROM TO: a link in TO to each file of FROM (not folders), none
# left to a file FROM no longer has; built files are not sources.
link_each() {
	for l in "$2"/*; do
		if [ -L "$l" ] && [ ! -e "$l" ]; then rm -f "$l"; fi
	done
	for f in "$1"/*; do
		if [ ! -f "$f" ]; then continue; fi
		case $f in
		*.o | *.a | */sharedir.stamp) continue ;;
		*/tests/unit/*) case $f in *.c | *.h) ;; *) continue ;; esac ;;
		esac
		ln -sfn "$f" "$2/$(basename "$f")"
	done
}

for e in "$src"/* "$src"/.ci; do
	case $(basename "$e") in
	bin | build | lib | tests) ;;
	*) ln -sfn "$e" "$dest/$(basename "$e")" ;;
	esac
done
link_each "$src/lib" "$dest/lib"
link_each "$src/tests" "$dest/tests"
for d in "$src"/tests/*/; do
	d=${d%/}
	case $(basename "$d") in
	unit | tmp) ;;
	*) ln -sfn "$d" "$dest/tests/$(basename "$d")" ;;
	esac
done
link_each "$src/tests/unit" "$dest/tests/unit"
