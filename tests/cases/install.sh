# shellcheck shell=bash
# Installing xtcp: `make install`'s own rule (install-files, run on $XTCP_KO
# instead of building), the module's autoload by socket(), xtcp(7) and
# <linux/xtcp.h>, and DKMS.
#
# The guest's root is the host's, read-only: a case installs into a staging
# root in /tmp (and binds it where it must be seen) or lays an overlay with its
# changes in a tmpfs, and takes it all away however it ends (an EXIT trap:
# each case runs in its own subshell).

INSTALL_TOP=$(cd "${BASH_SOURCE[0]%/*}/../.." && pwd)
read -r INSTALL_KVER </proc/sys/kernel/osrelease
INSTALL_TMP=/tmp/xtcp-install
install_why="the debug kernel is not installed in /lib/modules: nothing to install for"
light_skip[install_make_install_autoloads]=$install_why
light_skip[install_man_page_and_header]=$install_why
light_skip[install_dkms_conf]=$install_why

install_mounts=()
install_helper=
install_reload=
install_devfd=

# Without a build dir for this kernel in /lib/modules (the debug kernel is
# built in a cache, not installed) there is nothing to install for: the case
# is skipped (tests/run's skip ends it).
install_need_kdir() {
	[ -d "/lib/modules/$INSTALL_KVER/build" ] ||
		skip "/lib/modules/$INSTALL_KVER/build does not exist (a kernel not installed from a package)"
}

# install_need TOOL PACKAGE: a tool the case needs, or it fails saying where
# it comes from (scripts/setup installs every one).
install_need() {
	command -v "$1" >/dev/null || fail "$1 is not installed on the host: scripts/setup installs $2"
}

# install_overlay DIR: DIR writable for this case, its changes in a tmpfs.
install_overlay() {
	local d=$1 n=${#install_mounts[@]}
	[ -d /sys/module/overlay ] || modprobe overlay || fail "modprobe overlay failed" || return 1
	mkdir -p "$INSTALL_TMP/ovl$n/upper" "$INSTALL_TMP/ovl$n/work"
	mount -t overlay overlay -o "lowerdir=$d,upperdir=$INSTALL_TMP/ovl$n/upper,workdir=$INSTALL_TMP/ovl$n/work" "$d" ||
		fail "cannot lay an overlay on $d" || return 1
	install_mounts+=("$d")
}

# The EXIT trap: overlays off, the modprobe helper gone, xtcp loaded from $XTCP_KO.
install_cleanup() {
	local i
	for ((i = ${#install_mounts[@]} - 1; i >= 0; i--)); do
		umount "${install_mounts[i]}" || echo "cannot unmount ${install_mounts[i]}"
	done
	[ -z "$install_helper" ] || rm -f "$install_helper"
	[ -z "$install_devfd" ] || rm -f /dev/fd
	rm -rf "$INSTALL_TMP"
	# an autoloaded xtcp is a copy of $XTCP_KO: the one from $XTCP_KO again
	[ -z "$install_reload" ] || unload
	load
}

# The kernel runs /sbin/modprobe for request_module() in the root of pid 1.
# In the test guest that is the initramfs (guest-init chroots only its child
# into the host's root at /host): for this case, an /sbin/modprobe there that
# runs the host's. On a machine whose pid 1 runs in the real root, nothing.
install_modprobe_helper() {
	local mp
	mp=$(cat /proc/sys/kernel/modprobe)
	[ "$(stat -L -c %d:%i /proc/1/root/)" != "$(stat -c %d:%i /)" ] || return 0
	[ "$(stat -L -c %d:%i /proc/1/root/host/ 2>/dev/null)" = "$(stat -c %d:%i /)" ] ||
		fail "pid 1 runs in another root, and this root is not its /host" || return 1
	[ ! -e "/proc/1/root$mp" ] || fail "/proc/1/root$mp exists already" || return 1
	echo "the guest's request_module() runs $mp in the initramfs: pointed at the host root's for this case"
	mkdir -p "$(dirname "/proc/1/root$mp")"
	install_helper=/proc/1/root$mp
	printf '#!/bin/sh\nexec chroot /host %s "$@"\n' "$mp" >"$install_helper"
	chmod 755 "$install_helper"
}

# socket(18, SOCK_STREAM, 0) in a new process: prints ok or the errno's name.
install_socket18() {
	python3 -c '
import errno, socket
try:
    socket.socket(18, socket.SOCK_STREAM, 0).close()
    print("ok")
except OSError as e:
    print(errno.errorcode.get(e.errno, e.errno))'
}

# `make install`'s rule (install-files) installs $XTCP_KO and runs depmod;
# then, with xtcp unloaded, socket(18, ...) loads it through modprobe's
# net-pf-18 alias, and the module that comes is that same build. Before the
# install the same call fails with EAFNOSUPPORT: the alias is what loads it.
#
# A depmod of the whole /lib/modules takes ~4 minutes over 9p in TCG, so the
# install goes to a staging root (INSTALL_MOD_PATH, depmod -b), which is then
# bound over /lib/modules/$(uname -r) for modprobe. XTCP_INSTALL_FULL=1
# installs into the real /lib/modules instead (overlays; ~4 min longer).
case_install_make_install_autoloads() {
	local ko t0 out mdir=/lib/modules/$INSTALL_KVER stage=$INSTALL_TMP/stage
	local -a where=(INSTALL_MOD_PATH="$stage" DESTDIR="$stage")
	install_need_kdir
	trap install_cleanup EXIT
	install_modprobe_helper || return 1
	unload || fail "rmmod xtcp failed" || return 1
	out=$(install_socket18)
	[ "$out" = EAFNOSUPPORT ] || fail "socket(18) before the install: $out, want EAFNOSUPPORT" || return 1
	! loaded || fail "xtcp was loaded before it was installed" || return 1

	if [ -n "${XTCP_INSTALL_FULL:-}" ]; then
		stage=
		where=(INSTALL_MOD_PATH= DESTDIR=)
		for d in "$mdir" /usr/share/man/man7 /usr/include/linux; do
			install_overlay "$d" || return 1
		done
	fi
	t0=$(date +%s)
	out=$(make -C "$INSTALL_TOP" --no-print-directory install-files \
		XTCP_MODDIR="$(dirname "$XTCP_KO")" "${where[@]}" 2>&1) ||
		fail "make install-files ${where[*]} failed:" "$out" || return 1
	echo "make install-files ${where[*]}: $(( $(date +%s) - t0 ))s"
	if [ -n "$stage" ]; then
		mount --bind "$stage$mdir" "$mdir" || fail "cannot bind $stage$mdir" || return 1
		install_mounts+=("$mdir")
	fi
	ko=$mdir/extra/xtcp.ko
	cmp "$ko" "$XTCP_KO" || fail "the installed $ko is not \$XTCP_KO" || return 1
	[ "$(modinfo -F alias xtcp)" = net-pf-18 ] ||
		fail "modinfo xtcp: alias '$(modinfo -F alias xtcp)', want net-pf-18" || return 1
	[ "$(modinfo -n xtcp)" = "$ko" ] || fail "modinfo -n xtcp: $(modinfo -n xtcp)" || return 1
	grep -q '^alias net-pf-18 xtcp$' "$mdir/modules.alias" || fail "no net-pf-18 in modules.alias" || return 1
	modprobe -n -v net-pf-18
	[ -f "$stage/usr/share/man/man7/xtcp.7" ] || fail "no $stage/usr/share/man/man7/xtcp.7" || return 1
	cmp "$stage/usr/include/linux/xtcp.h" "$INSTALL_TOP/include/uapi/linux/xtcp.h" ||
		fail "$stage/usr/include/linux/xtcp.h differs" || return 1

	! loaded || fail "xtcp got loaded by the install" || return 1
	install_reload=1
	out=$(install_socket18)
	[ "$out" = ok ] || fail "socket(18) after the install: $out" || return 1
	loaded || fail "socket(18) succeeded but /sys/module/xtcp is missing" || return 1
	echo "socket(18, SOCK_STREAM, 0) loaded xtcp: srcversion $(cat /sys/module/xtcp/srcversion)"
	[ "$(cat /sys/module/xtcp/srcversion)" = "$(modinfo -F srcversion "$XTCP_KO")" ] ||
		fail "the loaded xtcp is not the build of \$XTCP_KO" || return 1
	"$bin/family" socket_close || fail "sockets of the autoloaded module failed"
}

# `make install DESTDIR=...` stages everything there; the man page renders
# with its NAME line and without a groff warning, `man xtcp` finds it, and the
# header compiles on its own into a program using AF_XTCP.
case_install_man_page_and_header() {
	local d=$INSTALL_TMP/destdir out
	install_need_kdir
	install_need groff groff-base || return 1
	install_need man man-db || return 1
	install_need col "man-db (bsdextrautils)" || return 1
	install_need cc build-essential || return 1
	trap install_cleanup EXIT
	mkdir -p "$d"
	out=$(env -u INSTALL_MOD_PATH make -C "$INSTALL_TOP" --no-print-directory install-files \
		XTCP_MODDIR="$(dirname "$XTCP_KO")" DESTDIR="$d" 2>&1) ||
		fail "make install-files DESTDIR=$d failed:" "$out" || return 1
	cmp "$d/lib/modules/$INSTALL_KVER/extra/xtcp.ko" "$XTCP_KO" ||
		fail "DESTDIR: no xtcp.ko in $d/lib/modules/$INSTALL_KVER/extra" || return 1
	grep -q '^alias net-pf-18 xtcp$' "$d/lib/modules/$INSTALL_KVER/modules.alias" ||
		fail "DESTDIR: depmod -b wrote no net-pf-18 alias" || return 1
	cmp "$d/usr/include/linux/xtcp.h" "$INSTALL_TOP/include/uapi/linux/xtcp.h" ||
		fail "DESTDIR: header missing or different" || return 1
	cmp "$d/usr/share/man/man7/xtcp.7" "$INSTALL_TOP/Documentation/xtcp.7" ||
		fail "DESTDIR: man page missing or different" || return 1

	out=$(groff -man -Tutf8 -ww "$d/usr/share/man/man7/xtcp.7" 2>&1 >/dev/null)
	[ -z "$out" ] || fail "groff warns:" "$out" || return 1
	out=$(MANWIDTH=80 man -l "$d/usr/share/man/man7/xtcp.7" 2>&1 | col -bx)
	grep -A1 '^NAME' <<<"$out" | grep -Eq '^ +xtcp +- +an experimental TCP' ||
		fail "man -l: no NAME line:" "$(head -n 8 <<<"$out")" || return 1
	[ "$(MANPATH=$d/usr/share/man man -w 7 xtcp)" = "$d/usr/share/man/man7/xtcp.7" ] ||
		fail "man -w 7 xtcp: $(MANPATH=$d/usr/share/man man -w 7 xtcp 2>&1)" || return 1
	grep -A1 '^NAME' <<<"$out"

	printf '#include <sys/socket.h>\n#include <linux/xtcp.h>\nint main(void) { return socket(AF_XTCP, SOCK_STREAM, 0) < 0; }\n' |
		cc -Wall -Werror -I"$d/usr/include" -o "$INSTALL_TMP/use-header" -x c - ||
		fail "a program including the installed <linux/xtcp.h> does not compile" || return 1
	"$INSTALL_TMP/use-header" || fail "socket(AF_XTCP) from the installed header failed"
}

# DKMS: dkms.conf as dkms reads it, through the Makefile's own rules. No DKMS
# build here: compiling xtcp takes ~30 s on the 2-core host and ~10 times that
# in this TCG guest, so `make dkms-install` (add, build, install) is not part
# of make check. Here: `make dkms-add` copies the sources (no build products)
# and `dkms add` accepts dkms.conf; dkms.conf's MAKE line, as dkms evaluates
# it, builds xtcp.ko alone against the kernel's build dir; `make dkms-remove`
# takes it all away.
case_install_dkms_conf() {
	local t=$INSTALL_TMP/dkms out v
	local -a flags
	install_need_kdir
	install_need dkms dkms || return 1
	trap install_cleanup EXIT
	# dkms uses <(...): the guest's devtmpfs has no /dev/fd (udev makes it)
	if [ ! -e /dev/fd ]; then
		ln -s /proc/self/fd /dev/fd && install_devfd=1
	fi
	echo "no dkms build here: compiling xtcp takes minutes under TCG; dkms.conf and the make rules are checked instead"
	mkdir -p "$t/src" "$t/tree" "$t/lib/$INSTALL_KVER"
	flags=(--dkmstree "$t/tree" --installtree "$t/lib" --no-depmod)
	out=$(make -C "$INSTALL_TOP" --no-print-directory dkms-add DKMS_SRCTREE="$t/src" \
		DKMS_FLAGS="${flags[*]}" 2>&1) || fail "make dkms-add failed:" "$out" || return 1
	v=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$INSTALL_TOP/dkms.conf")
	[ -f "$t/src/xtcp-$v/dkms.conf" ] && [ -f "$t/src/xtcp-$v/Kbuild" ] && [ -f "$t/src/xtcp-$v/src/main.c" ] ||
		fail "make dkms-add: sources not in $t/src/xtcp-$v" || return 1
	! ls "$t/src/xtcp-$v/src/"*.o >/dev/null 2>&1 || fail "build products copied" || return 1
	out=$(dkms status -m xtcp -v "$v" --sourcetree "$t/src" "${flags[@]}")
	echo "dkms status: $out"
	grep -q "^xtcp/$v.*added" <<<"$out" || fail "dkms status: '$out', want added" || return 1
	# The MAKE line as dkms evaluates it (it sources dkms.conf with these set).
	out=$(kernel_source_dir=/lib/modules/$INSTALL_KVER/build dkms_tree=/var/lib/dkms bash -c \
		'. "$1"; echo "$PACKAGE_NAME|${BUILT_MODULE_NAME[0]}|${DEST_MODULE_LOCATION[0]}|$AUTOINSTALL|${MAKE[0]}"' \
		_ "$t/src/xtcp-$v/dkms.conf")
	echo "dkms.conf: $out"
	[ "$out" = "xtcp|xtcp|/updates/dkms|yes|make -C /lib/modules/$INSTALL_KVER/build M=/var/lib/dkms/xtcp/$v/build XTCP_VERSION=$(sed -n 's/^XTCP_VERSION="\(.*\)"/\1/p' "$t/src/xtcp-$v/dkms.conf") xtcp.ko" ] ||
		fail "dkms.conf evaluates to '$out'" || return 1
	grep -q '^XTCP_VERSION="[^$]' "$t/src/xtcp-$v/dkms.conf" || fail "make dkms-add did not stamp XTCP_VERSION" || return 1
	out=$(make -C "$INSTALL_TOP" --no-print-directory dkms-remove DKMS_SRCTREE="$t/src" \
		DKMS_FLAGS="${flags[*]}" 2>&1) || fail "make dkms-remove failed:" "$out" || return 1
	[ ! -e "$t/tree/xtcp" ] || fail "still in the dkms tree after dkms-remove" || return 1
	[ ! -e "$t/src/xtcp-$v" ] || fail "sources left after dkms-remove"
}
