#!/usr/bin/env bash
# Fetch the real kernel source used by tests and benchmarks: Debian's linux-source-6.12,
# extracted into an ignored cache folder and made a git repository with one commit.
# Reused when already present. Prints the tree's path on stdout (last line).
#
#   UNEMBED_CORPUS_DIR  where the tree goes (default: <project>/.cache/linux-6.12)
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
dest=${UNEMBED_CORPUS_DIR:-$here/.cache/linux-6.12}
pkg=linux-source-6.12
log() { printf 'corpus: %s\n' "$*" >&2; }

if [ -f "$dest/.unembed-corpus-ok" ]; then
	log "reusing $dest"
	echo "$dest"
	exit 0
fi

need() { command -v "$1" >/dev/null 2>&1; }
if ! need apt-get; then
	echo "corpus: apt-get not found: this script needs a Debian-based machine" >&2
	exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/unembed-corpus.XXXXXX")
trap 'rm -rf "$work"' EXIT

log "downloading $pkg"
if ! (cd "$work" && apt-get download "$pkg" >/dev/null 2>"$work/apt.err"); then
	log "apt-get download failed; running apt-get update once and retrying"
	apt-get update >/dev/null 2>&1 || true
	(cd "$work" && apt-get download "$pkg" >/dev/null) || {
		echo "corpus: cannot download $pkg (see apt-get download $pkg)" >&2
		exit 1
	}
fi
deb=$(ls "$work"/"$pkg"_*.deb | head -n 1)
log "unpacking $(basename "$deb")"
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" --wildcards './usr/src/linux-source-*.tar.xz'
tarball=$(ls "$work"/usr/src/linux-source-*.tar.xz | head -n 1)

rm -rf "$dest.partial"
mkdir -p "$dest.partial"
log "extracting $(basename "$tarball")"
tar -xJf "$tarball" -C "$dest.partial" --strip-components=1

log "creating the git repository"
(
	cd "$dest.partial"
	git init -q -b master
	git config user.name "unembed corpus"
	git config user.email "corpus@unembed.invalid"
	git config gc.auto 0
	# Debian's tarball ignores everything at the top level ("/*" in .gitignore); drop that
	# packaging block so the tree behaves like an upstream checkout.
	sed -i '/^# Debian packaging/,$d' .gitignore
	sed -i -e :a -e '/^\n*$/{$d;N;ba' -e '}' .gitignore
	git add -A
	GIT_AUTHOR_DATE="2024-11-17T00:00:00Z" GIT_COMMITTER_DATE="2024-11-17T00:00:00Z" \
		git commit -q -m "Linux $(basename "$deb" .deb | sed 's/^[^_]*_//; s/_.*//') from Debian $pkg"
)
touch "$dest.partial/.unembed-corpus-ok"
echo ".unembed-corpus-ok" >> "$dest.partial/.git/info/exclude"
rm -rf "$dest"
mv "$dest.partial" "$dest"
log "ready: $dest"
echo "$dest"
