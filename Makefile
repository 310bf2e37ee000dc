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
	sparse checkpatch clean

all: kmod userlib selftests tools

help:
	@echo "make            build the module, librtm, the selftests and tools"
	@echo "make deps       install every Debian package the build needs"
	@echo "make demo       build, boot the VM, load the module, run the demo"
	@echo "make check      build and run every selftest in the VM"
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

tools: userlib
	$(MAKE) -C tools

demo: kmod tools
	tools/run-demo

check: kmod selftests
	selftests/run-vm-tests

sparse: $(BUILD)/.deps-ok
	$(MAKE) -C $(KDIR) M=$(CURDIR) C=2 modules

checkpatch: $(BUILD)/.deps-ok
	@scripts/checkpatch

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	-$(MAKE) -C userlib clean
	-$(MAKE) -C selftests clean
	-$(MAKE) -C tools clean
	rm -rf $(BUILD)
