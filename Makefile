# FERLab — the commands of README.md. Every target installs what a fresh
# Debian machine lacks before it builds.

SWIFT        ?= swift
RELEASE      := -c release
# Tests build optimised (gradient checks and model parity are numeric work)
# and with testing enabled so test targets may use @testable imports.
TEST_FLAGS   := $(RELEASE) -Xswiftc -enable-testing
APT_PACKAGES := libopenblas-dev libncurses-dev pkg-config ffmpeg opencv-data tmux
PEER_VENV    ?= $(HOME)/.cache/ferlab-peer-venv
# The shipped sessions replay-check re-runs. The README's result grids take tens of minutes
# and are checked by hand: make replay-check SESSIONS="Sessions/ablation-starter.jsonl Sessions/ablation-lag.jsonl".
SESSIONS     ?= Sessions/quick.jsonl Sessions/gradient-flow.jsonl Sessions/ablation.jsonl
# Compute threads of the replay; empty: the machine's cores. Results do not depend on it.
REPLAY_THREADS ?=

.PHONY: all deps build test run bench peer-env fixtures clean replay-check test-slurm

all: build

## deps: install the system packages FERLab builds and runs against (Debian).
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

## build: the release build of every product.
build: deps
	$(SWIFT) build $(RELEASE)

## test: the whole test suite (no PyTorch needed: fixtures are committed). The
## build includes .build/release/ferlab, which the explorer's tmux test drives.
test: deps
	$(SWIFT) build $(TEST_FLAGS) --build-tests
	test -x .build/release/ferlab || $(SWIFT) build $(TEST_FLAGS) --product ferlab
	$(SWIFT) test $(TEST_FLAGS) --skip-build

## replay-check: replay the shipped sessions in release; fails unless every recorded result comes out
## bit-identical. (Built with the test flags so that after `make test` nothing is rebuilt.)
replay-check: deps
	$(SWIFT) build $(TEST_FLAGS) --product ferlab
	@bin=$$($(SWIFT) build $(TEST_FLAGS) --show-bin-path)/ferlab; out=$$(mktemp); trap 'rm -f "$$out"' EXIT; \
	for session in $(SESSIONS); do \
	  echo "== replay $$session$(if $(REPLAY_THREADS), on $(REPLAY_THREADS) threads)$${OPENBLAS_CORETYPE:+ with OPENBLAS_CORETYPE=$$OPENBLAS_CORETYPE}"; \
	  $$bin replay $$session $(if $(REPLAY_THREADS),--threads $(REPLAY_THREADS)) > "$$out"; status=$$?; cat "$$out"; \
	  [ $$status = 0 ] || exit 1; \
	  tail -n 1 "$$out" | grep -qx 'OK: every recorded result is bit-identical' || { echo "$$session: not bit-identical"; exit 1; }; \
	done

## test-slurm: a grid on a single-node Slurm cluster started on this machine (as root: installs
## slurm-wlm and munge when missing, starts munged, slurmctld and slurmd from a generated
## slurm.conf in a temporary folder, stops them on exit); the table must equal the sequential
## run's and --engine local's, byte for byte, also after a cancelled task is resumed.
test-slurm: deps
	@missing=""; for p in slurm-wlm munge; do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing (their services are not started: the test starts its own daemons)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  policy=""; [ -e /usr/sbin/policy-rc.d ] || { policy=/usr/sbin/policy-rc.d; \
	    printf '#!/bin/sh\nexit 101\n' | $$SUDO tee $$policy >/dev/null; $$SUDO chmod 755 $$policy; }; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	  status=$$?; [ -z "$$policy" ] || $$SUDO rm -f $$policy; [ $$status = 0 ] || exit $$status; \
	fi
	$(SWIFT) build $(TEST_FLAGS) --product ferlab
	FERLAB=$$($(SWIFT) build $(TEST_FLAGS) --show-bin-path)/ferlab bash scripts/slurm/test-grid.sh

## run: the explorer on the built-in synthetic dataset, ready to train.
run: deps
	$(SWIFT) build $(RELEASE) --product ferlab
	.build/release/ferlab

## bench: the benchmark driver in release, with the PyTorch peer beside it when installed.
bench: deps
	$(SWIFT) build $(RELEASE) --product ferlab-bench
	PEER_PYTHON=$$( [ -x $(PEER_VENV)/bin/python ] && echo $(PEER_VENV)/bin/python ) \
	  $$($(SWIFT) build $(RELEASE) --show-bin-path)/ferlab-bench

## peer-env: a Python venv (outside the repository) with PyTorch, NumPy, safetensors and OpenCV for fixtures and the peer.
peer-env:
	[ -x $(PEER_VENV)/bin/python ] || python3 -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/pip install -q numpy safetensors "opencv-python-headless<5" torch

clean:
	rm -rf .build
