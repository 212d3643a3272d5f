#!/usr/bin/env bash
# Installs a release tarball made by scripts/package.sh.
#
#   sudo scripts/install.sh dist/vigil-0.17.0-linux-x86_64.tar.gz
#   DESTDIR=/tmp/root scripts/install.sh dist/vigil-….tar.gz    # into a scratch root (CI)
#
# Puts the binary in $PREFIX/bin (default /usr/local), the unit in /etc/systemd/system, the
# sample configuration in /etc/vigil/vigil.yaml (an existing one is kept), the manual and shell
# completions under $PREFIX/share, and makes /var/lib/vigil (mode 0700). On the real root it
# also creates the system user `vigil` and enables the unit (start it with
# `systemctl start vigil` after editing the configuration).
set -euo pipefail
tarball=${1:?usage: install.sh vigil-VERSION-linux-ARCH.tar.gz}
destdir=${DESTDIR:-}
prefix=${PREFIX:-/usr/local}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xzf "$tarball"
src=$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -1)

install -d -m 0755 "$destdir$prefix/bin" "$destdir/etc/vigil" "$destdir/etc/systemd/system" "$destdir$prefix/share/man/man1" \
    "$destdir$prefix/share/doc/vigil" "$destdir$prefix/share/bash-completion/completions" "$destdir$prefix/share/zsh/site-functions" \
    "$destdir$prefix/share/fish/vendor_completions.d"
install -m 0755 "$src/bin/vigil" "$destdir$prefix/bin/vigil"
if [ -e "$destdir/etc/vigil/vigil.yaml" ]; then
    echo "install: keeping the existing /etc/vigil/vigil.yaml"
else
    install -m 0640 "$src/etc/vigil/vigil.yaml" "$destdir/etc/vigil/vigil.yaml"
fi
sed "s#/usr/local/bin/vigil#$prefix/bin/vigil#" "$src/lib/systemd/system/vigil.service" >"$destdir/etc/systemd/system/vigil.service"
chmod 0644 "$destdir/etc/systemd/system/vigil.service"
install -m 0644 "$src/share/man/man1/"*.1 "$destdir$prefix/share/man/man1/"
install -m 0644 "$src/share/doc/vigil/"* "$destdir$prefix/share/doc/vigil/"
install -m 0644 "$src/share/bash-completion/completions/vigil" "$destdir$prefix/share/bash-completion/completions/vigil"
install -m 0644 "$src/share/zsh/site-functions/_vigil" "$destdir$prefix/share/zsh/site-functions/_vigil"
install -m 0644 "$src/share/fish/vendor_completions.d/vigil.fish" "$destdir$prefix/share/fish/vendor_completions.d/vigil.fish"
install -d -m 0700 "$destdir/var/lib/vigil"

if [ -n "$destdir" ]; then
    echo "install: installed under $destdir (no user created, no unit enabled)"
    exit 0
fi
if ! getent passwd vigil >/dev/null; then
    useradd --system --home-dir /var/lib/vigil --no-create-home --shell /usr/sbin/nologin vigil
fi
chown vigil:vigil /var/lib/vigil
chgrp vigil /etc/vigil/vigil.yaml
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    systemctl enable vigil.service
    echo "install: edit /etc/vigil/vigil.yaml, then: systemctl start vigil"
else
    echo "install: systemd is not running here; start with: runuser -u vigil -- $prefix/bin/vigil serve --config /etc/vigil/vigil.yaml"
fi
