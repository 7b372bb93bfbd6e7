# shellcheck shell=bash
# Shared paths and helpers for xtcp's scripts. Source it; do not run it.

XTCP_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
XTCP_CACHE=${XTCP_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/xtcp}
XTCP_OUT=${XTCP_OUT:-$XTCP_TOP/.build}

die() { echo "xtcp: $*" >&2; exit 1; }
note() { echo "xtcp: $*" >&2; }

# The Debian 6.1 kernel flavour we target: newest installed linux-headers-6.1.*-amd64.
distro_kver() {
	local d
	d=$(ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | sort -V | tail -n 1)
	[ -n "$d" ] || return 1
	basename "$d" | sed 's/^linux-headers-//'
}

# Build dir for out-of-tree modules against the distro kernel.
distro_kdir() {
	local v
	v=$(distro_kver) || return 1
	echo "/usr/src/linux-headers-$v"
}

distro_vmlinuz() {
	local v
	v=$(distro_kver) || return 1
	[ -r "/boot/vmlinuz-$v" ] || return 1
	echo "/boot/vmlinuz-$v"
}

# Debian's linux-source-6.1 unpacked once into the cache.
kernel_src() {
	local tarball src
	tarball=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null) || die "linux-source-6.1 is not installed (run scripts/setup)"
	src=$XTCP_CACHE/src/$(dpkg-query -W -f='${Version}' linux-source-6.1)
	if [ ! -f "$src/.xtcp-unpacked" ]; then
		note "unpacking $tarball into $src"
		rm -rf "$src" && mkdir -p "$src"
		tar -C "$src" --strip-components=1 -xJf "$tarball"
		touch "$src/.xtcp-unpacked"
	fi
	echo "$src"
}

# Cache key of the debug kernel: source version + config fragment + the build script.
debug_kernel_key() {
	{
		dpkg-query -W -f='${Version}\n' linux-source-6.1
		cat "$XTCP_TOP/scripts/debug-kernel.config" "$XTCP_TOP/scripts/test-kernel"
	} | sha256sum | cut -c1-16
}

debug_kdir() {
	echo "$XTCP_CACHE/kernels/debug-$(debug_kernel_key)"
}

checkpatch() {
	echo "$(kernel_src)/scripts/checkpatch.pl"
}
