# The two commands a newcomer needs: `make run` (demo centre) and `make test`.
BIN      := intranet
VERSION  := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
HTMX     := public/vendor/htmx.min.js
# npm ci writes node_modules/.package-lock.json: node_modules matches the lock file.
NPM      := node_modules/.package-lock.json
# axe-core (a devDependency) is read from node_modules by the accessibility
# test (handlers/a11y_test.go); the binary does not embed it.
AXE      := node_modules/axe-core/axe.min.js

.PHONY: run test build assets bench microbench fuzz clean

run: assets
	go run -ldflags "$(LDFLAGS)" . serve -demo -db data/demo.db

build: assets
	go build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) .

# htmx comes from the pinned npm package; the binary embeds the copy.
assets: $(HTMX) $(AXE)

$(NPM): package.json package-lock.json
	npm ci --no-audit --no-fund

$(HTMX): $(NPM)
	mkdir -p $(dir $(HTMX))
	cp node_modules/htmx.org/dist/htmx.min.js $(HTMX)

$(AXE): $(NPM)
	@test -f $(AXE) || (echo "$(AXE) is missing: run npm ci" && exit 1)

test: assets
	gofmt -l . | grep -v node_modules | (! grep .) || (echo "gofmt needed on the files above" && exit 1)
	go vet ./...
	go test -race -count=1 -timeout 30m ./...

# The real binary at scale 1 and 10 against the baseline page; writes
# docs/benchmarks.md. Takes a few minutes; `make test` runs a short smoke run.
bench: assets
	go run ./tools/bench -scales 1,10 -duration 5s -c 32

# Go micro-benchmarks of the store and handlers.
microbench: assets
	go test -run '^$$' -bench . -benchmem ./store ./handlers

# Longer fuzzing of the input parsers; `make test` runs only their seed corpus.
fuzz: assets
	go test -run '^$$' -fuzz FuzzParseDate -fuzztime 30s ./views
	go test -run '^$$' -fuzz FuzzAuditQuery -fuzztime 30s ./handlers
	go test -run '^$$' -fuzz FuzzParseStaffCSV -fuzztime 30s ./store
	go test -run '^$$' -fuzz FuzzCleanText -fuzztime 30s ./store
	go test -run '^$$' -fuzz FuzzParsePhones -fuzztime 30s ./store
	go test -run '^$$' -fuzz FuzzNormalizeHours -fuzztime 30s ./store
	go test -run '^$$' -fuzz FuzzParseAmount -fuzztime 30s ./store
	go test -run '^$$' -fuzz FuzzFormPosts -fuzztime 30s ./handlers

clean:
	rm -rf $(BIN) $(HTMX) node_modules
