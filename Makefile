# The two commands a newcomer needs: `make run` (demo centre) and `make test`.
BIN      := intranet
VERSION  := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
HTMX     := public/vendor/htmx.min.js

.PHONY: run test build assets bench microbench fuzz clean

run: assets
	go run -ldflags "$(LDFLAGS)" . serve -demo -db data/demo.db

build: assets
	go build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) .

# htmx comes from the pinned npm package; the binary embeds the copy.
assets: $(HTMX)

$(HTMX): package.json package-lock.json
	npm ci --no-audit --no-fund
	mkdir -p $(dir $(HTMX))
	cp node_modules/htmx.org/dist/htmx.min.js $(HTMX)

test: assets
	gofmt -l . | grep -v node_modules | (! grep .) || (echo "gofmt needed on the files above" && exit 1)
	go vet ./...
	go test -race -count=1 ./...

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
	go test -run '^$$' -fuzz FuzzFormPosts -fuzztime 30s ./handlers

clean:
	rm -rf $(BIN) $(HTMX) node_modules
