# SPDX-License-Identifier: GPL-2.0
#
# xtcp: the user-facing wrapper. The kbuild rules live in Kbuild.
#
#   make               build xtcp.ko against KDIR (warnings are errors)
#   make demo          boot the test VM, load xtcp, show it working
#   make check         every test: builds, checkpatch, KUnit, selftests, harness
#   make vm-shell      a shell in the test VM with xtcp loaded (KERNEL=debug too)
#   make kunit         the KUnit suites in the debug kernel
#   make selftests     tests/ in the VM, on both kernels
#   make wire          only the over-the-wire cases (part of make check)
#   make check-harness prove the test harness fails when it should
#   make install       install xtcp.ko for the running kernel and run depmod

KERNEL_RELEASE := $(shell uname -r)
# The running kernel's build dir when there is one, else the newest Debian 6.1
# headers installed.
KDIR ?= $(or $(wildcard /lib/modules/$(KERNEL_RELEASE)/build),\
	$(shell ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | sort -V | tail -n 1))
XTCP_VERSION := $(shell git describe --always --dirty --tags 2>/dev/null || echo unknown)
KERNEL ?= distro

TEST_SRCS := $(wildcard tests/*.c)
TEST_BINS := $(patsubst tests/%.c,tests/bin/%,$(TEST_SRCS))
USER_CFLAGS := -O2 -g -Wall -Wextra -Werror -Iinclude/uapi

.PHONY: all modules clean install setup tests demo check check-harness kunit \
	selftests selftests-distro selftests-debug vm-shell checkpatch wire

all: modules

setup:
	@scripts/setup

modules:
	@scripts/setup build
	@test -n "$(KDIR)" || { echo "xtcp: no kernel build dir (set KDIR, or run scripts/setup)"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 XTCP_VERSION=$(XTCP_VERSION) modules

# The release modules_install installs for: UTS_RELEASE of KDIR (Debian's
# headers say 6.1.192 in include/config/kernel.release but install into
# /lib/modules/6.1.0-NN-amd64, which is what utsrelease.h says).
KRELEASE = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)

install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(KRELEASE)

clean:
	@if [ -n "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
	rm -rf .build tests/bin

tests: $(TEST_BINS)

tests/bin/%: tests/%.c $(wildcard tests/*.h) include/uapi/linux/xtcp.h
	@mkdir -p tests/bin
	$(CC) $(USER_CFLAGS) -o $@ $<

demo: setup tests
	@scripts/demo

vm-shell: setup
	@scripts/vm --kernel $(KERNEL) --xtcp --name shell --shell

kunit: setup
	@scripts/vm --kernel debug --kunit --name kunit -- scripts/kunit-report

selftests: selftests-distro selftests-debug

# Only the over-the-wire cases, in Debian's kernel (make check runs them too).
wire: setup tests
	@scripts/vm --kernel $(KERNEL) --xtcp --name wire --timeout 900 -- tests/run wire

# Every selftest in each kernel (scripts/selftests: in the debug kernel the
# over-the-wire cases run light).
selftests-distro selftests-debug: selftests-%: setup tests
	@scripts/selftests $*

checkpatch: setup
	@scripts/checkpatch

check-harness: setup
	@scripts/check-harness

check: setup
	@scripts/check
