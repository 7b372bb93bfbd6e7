# SPDX-License-Identifier: GPL-2.0
#
# xtcp: the user-facing wrapper. The kbuild rules live in Kbuild.
#
#   make               build xtcp.ko against KDIR (warnings are errors)
#   make demo          boot the test VM, load xtcp, show it working
#   make check         every test: builds, checkpatch, KUnit, selftests, harness
#   make vm-shell      a shell in the test VM with xtcp loaded (KERNEL=debug too)
#   make kunit         the KUnit suites in the debug kernel (T=GLOB: matching suites)
#   make selftests     tests/ in the VM, on both kernels (KERNEL=distro or
#                      KERNEL=debug: that one; T=PATTERN: the matching cases)
#   make selftests-inet the API cases on Linux TCP (XTCP_TEST_FAMILY=inet; T=)
#   make selftests-inet6 the API cases on Linux TCP over IPv6 (XTCP_TEST_IP=6)
#   make wire          only the over-the-wire cases (part of make check)
#   make check-harness prove the test harness fails when it should
#   make check-mutants planted protocol bugs, each caught by a test (MUTANTS="NAME...")
#   make soak          the long runs make check leaves out: 64 MiB through every
#                      netem profile, a zero window for two minutes, zero-window
#                      orphans beside Linux TCP, insmod/rmmod cycles at full count
#                      (T=PATTERN); packetdrill-debug; soak-debug
#   make soak-debug    the cases make check's debug run leaves out, in the debug kernel
#   make packetdrill-debug  the packetdrill suite in the debug kernel (PD=PATTERN)
#   make bench         xtcp beside Linux TCP: iperf3, bulk, latency, churn, memory,
#                      TIME_WAIT (BENCH_ARGS="NAME=VALUE ...", tests/bench; ~20 min)
#   make bench-netem   goodput through netem profiles, xtcp beside Linux TCP
#                      (BENCH_ARGS="BYTES REPS", default 4 MiB, 5; ~20 min)
#   make experiment    congestion controls side by side through a netem profile:
#                      Pantheon's metrics, CSVs and SVG plots in .build/experiment/
#                      (EXPERIMENT_ARGS="[--profile P] [--runs N] [--bytes B]
#                      STACK:CC[,PARAM=VALUE]...", tools/xtcp-experiment; default xtcp:cubic
#                      xtcp:reno tcp:cubic through rate, 3 runs; ~5 min)
#   make examples      the out-of-tree congestion controls of examples/, built
#                      against this xtcp's Module.symvers and include/
#   make install       install xtcp.ko for KDIR's kernel (depmod), xtcp(7), <linux/xtcp.h>
#   make dkms-install  register the sources with DKMS (/usr/src/xtcp-VERSION), build, install
#   make dkms-remove   remove them from DKMS again

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
TOOL_LIBS := tools/bin/libxtcpize.so

.PHONY: all modules clean install setup tests tools demo check check-harness kunit \
	selftests selftests-distro selftests-debug selftests-inet selftests-inet6 vm-shell checkpatch wire soak soak-debug packetdrill-debug \
	bench bench-netem examples experiment

all: modules

setup:
	@scripts/setup

modules:
	@scripts/setup build
	@test -n "$(KDIR)" || { echo "xtcp: no kernel build dir (set KDIR, or run scripts/setup)"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 XTCP_VERSION=$(XTCP_VERSION) modules

# examples/: modules of their own, linked against xtcp's exported symbols.
examples: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR)/examples W=1 \
		KBUILD_EXTRA_SYMBOLS=$(CURDIR)/Module.symvers \
		XTCP_INCLUDE=$(CURDIR)/include modules

# The release modules_install installs for: UTS_RELEASE of KDIR (Debian's
# headers say 6.1.192 in include/config/kernel.release but install into
# /lib/modules/6.1.0-NN-amd64, which is what utsrelease.h says).
KRELEASE = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)

# DESTDIR stages the man page and the header (and the module, unless
# INSTALL_MOD_PATH says otherwise); XTCP_MODDIR is the directory holding the
# built xtcp.ko and modules.order.
DESTDIR ?=
INSTALL_MOD_PATH ?= $(DESTDIR)
XTCP_MODDIR ?= $(CURDIR)
MAN7DIR ?= /usr/share/man/man7
UAPIDIR ?= /usr/include/linux

.PHONY: install-files dkms-add dkms-install dkms-remove

install: modules
	@$(MAKE) --no-print-directory install-files

# What install does once xtcp.ko is built (the selftests run it on $XTCP_KO).
install-files:
	$(MAKE) -C $(KDIR) M=$(XTCP_MODDIR) INSTALL_MOD_PATH=$(INSTALL_MOD_PATH) modules_install
	depmod -a $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(KRELEASE)
	install -D -m 644 Documentation/xtcp.7 $(DESTDIR)$(MAN7DIR)/xtcp.7
	install -D -m 644 include/uapi/linux/xtcp.h $(DESTDIR)$(UAPIDIR)/xtcp.h

# DKMS rebuilds xtcp.ko for every new kernel (dkms.conf). The sources go to
# /usr/src/xtcp-VERSION, VERSION being dkms.conf's; DKMS_FLAGS passes options
# to each dkms command (--dkmstree, --installtree ...).
DKMS_VERSION = $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
DKMS_SRCTREE ?= /usr/src
DKMS_FLAGS ?=
DKMS_SRC = $(DKMS_SRCTREE)/xtcp-$(DKMS_VERSION)
DKMS_MOD = -m xtcp -v $(DKMS_VERSION) --sourcetree $(DKMS_SRCTREE) $(DKMS_FLAGS)

# dkms-add: the sources copied and added, not built (the selftests use it).
dkms-add: dkms-remove
	@command -v dkms >/dev/null || { echo "xtcp: dkms is not installed (apt-get install dkms)"; exit 1; }
	mkdir -p $(DKMS_SRC)
	tar -c --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' --exclude='*.mod' \
		--exclude='*.mod.c' Kbuild dkms.conf src include kunit | tar -x -C $(DKMS_SRC)
	sed -i 's/^XTCP_VERSION=.*/XTCP_VERSION="$(XTCP_VERSION)"/' $(DKMS_SRC)/dkms.conf
	dkms add $(DKMS_MOD)

dkms-install: dkms-add
	@test -n "$(KRELEASE)" || { echo "xtcp: no kernel build dir (set KDIR)"; exit 1; }
	dkms build $(DKMS_MOD) -k $(KRELEASE) --kernelsourcedir $(KDIR)
	dkms install $(DKMS_MOD) -k $(KRELEASE)

dkms-remove:
	@if command -v dkms >/dev/null && dkms status $(DKMS_MOD) | grep -q .; then \
		echo "dkms remove $(DKMS_MOD) --all"; dkms remove $(DKMS_MOD) --all; fi
	rm -rf $(DKMS_SRC)

clean:
	@if [ -n "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
	rm -rf .build tests/bin tools/bin

# packetdrill too (tests/packetdrill/), built here: in the guest it takes minutes.
tests: $(TEST_BINS) tools
	@tests/packetdrill/run --build >/dev/null

# The userland tools that are built (tools/xtcpize/xtcpize preloads this one).
tools: $(TOOL_LIBS)

tools/bin/libxtcpize.so: tools/xtcpize/libxtcpize.c
	@mkdir -p tools/bin
	$(CC) $(USER_CFLAGS) -fPIC -shared -pthread -o $@ $< -ldl

tests/bin/%: tests/%.c $(wildcard tests/*.h) include/uapi/linux/xtcp.h
	@mkdir -p tests/bin
	$(CC) $(USER_CFLAGS) -o $@ $<

demo: setup tests
	@scripts/demo

vm-shell: setup
	@scripts/vm --kernel $(KERNEL) --xtcp --name shell --shell

# Every KUnit suite in the debug kernel, or with T=GLOB the suites whose name
# matches (make kunit T='xtcp_pkt_*').
kunit: setup
	@XTCP_KUNIT_FILTER='$(T)' scripts/vm --kernel debug --kunit --name kunit -- scripts/kunit-report

# KERNEL given (command line or environment): that kernel only.
SELFTEST_KERNELS := $(if $(filter command line environment,$(origin KERNEL)),$(KERNEL),distro debug)
selftests: $(addprefix selftests-,$(SELFTEST_KERNELS))

# xtcp beside Linux TCP, workload by workload (issue #16's benchmarks: figures,
# ratios and the targets, no verdict), in Debian's kernel in a 2 GiB guest.
bench: setup tests
	@scripts/vm --kernel distro --xtcp --name bench --mem 2048 --timeout 2700 -- tests/bench $(BENCH_ARGS)

# Goodput through netem, xtcp beside Linux TCP (a benchmark: figures, no verdict).
bench-netem: setup tests
	@scripts/vm --kernel distro --xtcp --name bench --timeout 2700 -- tests/bench-netem $(BENCH_ARGS)

# Congestion controls through a netem profile (tools/xtcp-experiment): the
# report directory the guest wrote, copied to .build/experiment/.
EXPERIMENT_ARGS ?= xtcp:cubic xtcp:reno tcp:cubic
experiment: setup tests
	@scripts/vm --kernel distro --xtcp --name experiment --timeout 2700 -- \
		tools/xtcp-experiment $(EXPERIMENT_ARGS)
	@d=$$(ls -td "$${XTCP_OUT:-.build}"/vm/runs/experiment.*/out/experiment/* | head -n 1) && \
		rm -rf .build/experiment && cp -r "$$d" .build/experiment && \
		echo "experiment: .build/experiment/report.md (from $$d)"

# The soaks (XTCP_SOAK=1): what make check runs short, at full length, in
# Debian's kernel, after the packetdrill suite in the debug kernel. About an
# hour and a half under TCG.
soak: setup tests packetdrill-debug soak-debug
	@scripts/vm --kernel distro --xtcp --name soak --timeout 7200 -- \
		env XTCP_SOAK=1 tests/run "'$(or $(T),^(loss_|api_zero_window_minutes|hostile_zero_window_orphans|insmod_rmmod_))'"

# The cases make check's debug run leaves to the soak (light_soak in
# tests/run), in the debug kernel. Part of make soak.
soak-debug: setup tests
	@scripts/selftests debug-soak $(T)

# The packetdrill suite on both stacks in the debug kernel (KASAN, lockdep,
# kmemleak over every scripted path), its timing tolerance 100 ms instead of
# 25 (PD=PATTERN: the matching scripts). Part of make soak.
packetdrill-debug: setup tests
	@tests/packetdrill/run --build >/dev/null
	@scripts/vm --kernel debug --xtcp --name pd-debug --timeout 5400 -- \
		env XTCP_PACKETDRILL_TOLERANCE_US=100000 tests/packetdrill/run --stack both $(if $(PD),"'$(PD)'")

# Only the over-the-wire cases, in Debian's kernel (make check runs them too).
wire: setup tests
	@scripts/vm --kernel $(KERNEL) --xtcp --name wire --timeout 900 -- tests/run wire

# Every selftest in each kernel (scripts/selftests: in the debug kernel the
# over-the-wire cases run light), or with T=PATTERN (grep -E) the matching
# ones; selftests-inet: the API cases on Linux TCP; selftests-inet6: over IPv6.
selftests-distro selftests-debug selftests-inet selftests-inet6: selftests-%: setup tests
	@scripts/selftests $* $(if $(T),'$(T)')

checkpatch: setup
	@scripts/checkpatch

check-harness: setup
	@scripts/check-harness

# Scratch copies of xtcp, each with one protocol bug planted, and which tests
# turn red for each (scripts/check-mutants --list). Not part of make check: run
# it before resolving a change to the protocol or to the tests.
.PHONY: check-mutants
check-mutants: setup tests
	@scripts/check-mutants $(MUTANTS)

check: setup
	@scripts/check
