# Set-up and everyday commands. `make run` and `make test` first install the Debian packages
# that the build links against, when they are missing.

DEBIAN_PACKAGES := libsqlite3-dev libsimdjson-dev zlib1g-dev pkg-config
SWIFT ?= swift
# The whole suite takes well under a minute after the build; a run past this limit has hung.
TEST_TIMEOUT ?= 1200

.PHONY: run test build release deps clean

deps:
	@missing=""; \
	for package in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing missing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing; \
	  else \
	    echo "Missing Debian packages:$$missing"; \
	    echo "Install them with: sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi

run: deps
	$(SWIFT) run detectd $(ARGS)

test: deps
	$(SWIFT) build --build-tests
	timeout --kill-after=15 $(TEST_TIMEOUT) $(SWIFT) test --skip-build $(TEST_ARGS)

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

clean:
	rm -rf .build
