#!/usr/bin/env bash
# Builds the release tarball dist/vigil-VERSION-linux-ARCH.tar.gz:
#   bin/vigil                         the binary (Swift runtime linked in statically)
#   etc/vigil/vigil.yaml              a sample configuration
#   lib/systemd/system/vigil.service  the hardened unit
#   share/man/man1/vigil.1            the manual, from the argument parser
#   share/bash-completion/completions/vigil, share/zsh/site-functions/_vigil, share/fish/vendor_completions.d/vigil.fish
#   share/doc/vigil/                  README.md, LICENSE, shared-libraries.txt (what ldd still lists)
# The commit is written into the binary (`vigil --version`); the checkout is left as it was.
# Environment: SCRATCH (default .build-release), the release build folder, kept between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
version=$(sed -n 's/^    static let version = "\(.*\)"$/\1/p' Sources/vigil/BuildInfo.swift)
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit-modified"; fi
arch=$(uname -m)
name="vigil-$version-linux-$arch"
scratch=${SCRATCH:-$root/.build-release}

info=Sources/vigil/BuildInfo.swift
saved=$(mktemp)
cp "$info" "$saved"
stage=$(mktemp -d)
restore() {
    cp "$saved" "$info"
    rm -f "$saved"
    rm -rf "$stage"
}
trap restore EXIT
sed -i "s/^    static let commit = \".*\"$/    static let commit = \"$commit\"/" "$info"

echo "package: building $name ($commit)"
swift build -c release --static-swift-stdlib --product vigil --scratch-path "$scratch"
binary="$scratch/release/vigil"

dir="$stage/$name"
mkdir -p "$dir/bin" "$dir/etc/vigil" "$dir/lib/systemd/system" "$dir/share/man/man1" "$dir/share/doc/vigil" \
    "$dir/share/bash-completion/completions" "$dir/share/zsh/site-functions" "$dir/share/fish/vendor_completions.d"
install -m 0755 "$binary" "$dir/bin/vigil"
strip "$dir/bin/vigil" 2>/dev/null || true
install -m 0644 packaging/vigil.yaml "$dir/etc/vigil/vigil.yaml"
install -m 0644 packaging/vigil.service "$dir/lib/systemd/system/vigil.service"
install -m 0644 README.md LICENSE "$dir/share/doc/vigil/"
"$dir/bin/vigil" --generate-completion-script bash >"$dir/share/bash-completion/completions/vigil"
"$dir/bin/vigil" --generate-completion-script zsh >"$dir/share/zsh/site-functions/_vigil"
"$dir/bin/vigil" --generate-completion-script fish >"$dir/share/fish/vendor_completions.d/vigil.fish"
# The manual: argument-parser's generate-manual tool reads the release binary's own help (built
# directly, not through its plugin, which would rebuild vigil in release mode without the
# static runtime).
swift build --scratch-path "$scratch" --product generate-manual
"$scratch/debug/generate-manual" "$dir/bin/vigil" --authors "The Vigil authors" --output-directory "$dir/share/man/man1"
test -s "$dir/share/man/man1/vigil.1"
ldd "$dir/bin/vigil" | awk '{print $1}' | grep -v '^linux-vdso' >"$dir/share/doc/vigil/shared-libraries.txt" || true
"$dir/bin/vigil" --version

mkdir -p dist
tar -C "$stage" --owner=0 --group=0 -czf "dist/$name.tar.gz" "$name"
echo "package: dist/$name.tar.gz ($(du -h "dist/$name.tar.gz" | cut -f1))"
