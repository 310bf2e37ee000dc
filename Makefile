# SPDX-License-Identifier: GPL-2.0
#
# rtm: RTMv2 routing table manager for Linux.  `make help` lists targets.
#
# The module is built against the kernel the test VM boots (Debian's
# linux-image-amd64), never against the host's running kernel.

KVER	?= $(shell scripts/kernel-version 2>/dev/null)
KDIR	?= /lib/modules/$(KVER)/build
BUILD	:= $(CURDIR)/build
VMRUN	:= selftests/vm/vm-run

export BUILD

.PHONY: all help deps kmod userlib harness selftests tools demo check \
	check-quick debug-kernel sparse checkpatch clean bench bench-build

all: kmod userlib selftests tools bench-build

help:
	@echo "make            build the module, librtm, the selftests, tools and bench"
	@echo "make deps       install every Debian package the build needs"
	@echo "make demo       build, boot the VM, load the module, run the demo"
	@echo "make check      every test on Debian's kernel and on the debug kernel"
	@echo "                (KASAN, kmemleak, lockdep; stress, fault injection, fuzzer)"
	@echo "make check-quick the selftests and the stress test on Debian's kernel"
	@echo "make bench      build, boot the VM, run the benchmark (rtm vs the kernel"
	@echo "                FIB): table on stdout, JSON in build/bench/; see"
	@echo "                Documentation/bench.rst (RTM_BENCH_QUICK=1: a few minutes)"
	@echo "make debug-kernel build (or take from cache) the debug kernel and module"
	@echo "make sparse     build the module with sparse (C=1)"
	@echo "make checkpatch run checkpatch.pl --strict on kmod/ and uapi/"
	@echo "make clean      remove build outputs"
	@echo "variables: KDIR=<kernel build dir> (default: the VM kernel's)"

# Installs only what is missing; a no-op on a ready machine.
deps:
	@scripts/install-deps

$(BUILD)/.deps-ok: scripts/install-deps
	@scripts/install-deps
	@mkdir -p $(BUILD) && touch $@

kmod: $(BUILD)/.deps-ok
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userlib: $(BUILD)/.deps-ok
	$(MAKE) -C userlib

harness: $(BUILD)/.deps-ok
	@scripts/get-kselftest-harness $(BUILD)/kselftest

selftests: userlib harness
	$(MAKE) -C selftests
	$(MAKE) -C selftests/fuzz

tools: userlib
	$(MAKE) -C tools

demo: kmod tools
	tools/run-demo

bench-build: userlib
	$(MAKE) -C bench

bench: kmod userlib bench-build
	bench/run-bench

check: kmod selftests
	selftests/check-all

check-quick: kmod selftests
	selftests/run-vm-tests

debug-kernel: $(BUILD)/.deps-ok
	scripts/build-debug-kernel
	scripts/build-debug-module

sparse: $(BUILD)/.deps-ok
	$(MAKE) -C $(KDIR) M=$(CURDIR) C=2 modules

checkpatch: $(BUILD)/.deps-ok
	@scripts/checkpatch

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	-$(MAKE) -C userlib clean
	-$(MAKE) -C selftests clean
	-$(MAKE) -C selftests/fuzz clean
	-$(MAKE) -C tools clean
	-$(MAKE) -C bench clean
	rm -rf $(BUILD)
