# Consulta's tasks. The two that matter: `make run` and `make test`.
# Each target installs what it needs, so both work on a fresh machine.

GO       ?= go
BIN      := $(CURDIR)/bin
SITE     ?= .
ADDR     ?= 127.0.0.1:1313

# Pinned tools: Mailpit is the real SMTP server the tests send to;
# Chromium (Debian's package) is the real browser; axe-core and html-validate come from
# package-lock.json. Debian's packages besides: postgresql (the outbox's
# second store, started by the tests), systemd (systemd-analyze checks
# deploy/consulta-intake.service) and caddy (runs deploy/Caddyfile).
MAILPIT_VERSION := v1.33.1
MAILPIT         := $(BIN)/mailpit
CHROMIUM        ?= /usr/bin/chromium
SUDO            := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

export CONSULTA_MAILPIT  := $(MAILPIT)
export CONSULTA_CHROMIUM := $(CHROMIUM)

.PHONY: run build install test bench lint tools chromium debian-tools clean lighthouse theme-fonts

## run: build the demo site and serve it with live reload and the intake service
run: $(BIN)/consulta
	$(BIN)/consulta serve -s $(SITE) --addr $(ADDR)

## build: build the demo site into public/
build: $(BIN)/consulta
	$(BIN)/consulta build -s $(SITE)

## install: put consulta in $(PREFIX)/bin, so that the docs' commands run as written
PREFIX ?= /usr/local
install: $(BIN)/consulta
	$(SUDO) install -m 0755 $(BIN)/consulta $(PREFIX)/bin/consulta

$(BIN)/consulta: FORCE
	$(GO) build -o $@ ./cmd/consulta

## test: every test, with Mailpit and Chromium
test: tools
	$(GO) vet ./...
	$(GO) test -race -timeout 30m ./...

## bench: site, photo and intake benchmarks on generated corpora (../shared/bench)
bench: debian-tools
	@command -v bc >/dev/null && test -x /usr/bin/time || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq bc time; }
	./scripts/bench.sh

## lighthouse: Lighthouse 12 (mobile) on each page kind of the demo site, built and served locally
lighthouse: $(BIN)/consulta chromium node_modules/lighthouse/package.json
	@dir=$$(mktemp -d -t consulta-lighthouse.XXXXXX) && \
	$(BIN)/consulta build -s $(SITE) -d $$dir/public >/dev/null && \
	CHROME_PATH=$(CHROMIUM) node scripts/lighthouse.mjs $$dir/public $(BIN)/consulta $(SITE); \
	status=$$?; rm -rf $$dir; exit $$status

node_modules/lighthouse/package.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

## theme-fonts: copy the theme's heading font (OFL) from its npm package, pinned in package-lock.json
FONT_PKG := node_modules/@fontsource/cormorant-garamond
theme-fonts: node_modules/lighthouse/package.json
	mkdir -p themes/default/static/fonts
	cp $(FONT_PKG)/files/cormorant-garamond-latin-600-normal.woff2 themes/default/static/fonts/
	cp $(FONT_PKG)/LICENSE themes/default/static/fonts/cormorant-garamond-OFL.txt

## lint: formatting and vet
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

## tools: install Mailpit, Chromium, axe-core and html-validate, PostgreSQL, systemd-analyze and Caddy when missing
tools: $(MAILPIT) chromium debian-tools node_modules/.package-lock.json

$(MAILPIT):
	GOBIN=$(BIN) $(GO) install github.com/axllent/mailpit@$(MAILPIT_VERSION)

chromium:
	@test -x $(CHROMIUM) || { echo "installing Debian's chromium"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

# Debian's postgresql, systemd and caddy, each installed only when missing.
# None of them is started here: the tests start their own, on loopback.
debian-tools:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v systemd-analyze >/dev/null || missing="$$missing systemd"; \
	command -v caddy >/dev/null || missing="$$missing caddy"; \
	if [ -n "$$missing" ]; then echo "installing Debian's$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi

node_modules/.package-lock.json: package-lock.json
	npm ci --omit=dev --no-audit --no-fund --loglevel=error

clean:
	rm -rf public/* .consulta-cache $(BIN)
	@touch public/.gitkeep

FORCE:
