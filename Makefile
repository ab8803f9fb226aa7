# Balai: the two commands are `make run` and `make test`.
# Every target installs what is missing first (scripts/install-deps is idempotent and fast
# when everything is there).

PRESET ?= release
BUILD_DIR := build/$(PRESET)
JOBS ?= $(shell nproc)
DATA_DIR ?= var
PORT ?= 8080
CMAKE_FLAGS ?=

.PHONY: run test build bench deps format clean ci asan

deps:
	@./scripts/install-deps

build: deps
	@cmake --preset $(PRESET) $(CMAKE_FLAGS) >/dev/null
	@cmake --build --preset $(PRESET) -j $(JOBS)

# Build, migrate, seed the demo city and serve it on http://127.0.0.1:$(PORT).
run: build
	@BALAI_DATA_DIR=$(DATA_DIR) ./$(BUILD_DIR)/balai demo seed
	@echo ""
	@echo "  Balai demo city: Kota Madiun (Jawa Timur, 35.77)"
	@echo "  Portal:   http://127.0.0.1:$(PORT)/"
	@echo "  API:      http://127.0.0.1:$(PORT)/api/v1/services"
	@echo "  Metrics:  http://127.0.0.1:$(PORT)/metrics"
	@echo "  Demo logins (sign in at /masuk):"
	@echo "    admin    admin@demo.balai.id     sambel pecel pedas manis   (sets up 2FA at first sign-in)"
	@echo "    officer  petugas@demo.balai.id   brem caruban manis legit   (Disdukcapil: identities; 2FA at first sign-in)"
	@echo "    officer  aduan@demo.balai.id     nasi pecel pincuk daun pisang   (complaints desk, Diskominfo; 2FA)"
	@echo "    officer  pupr@demo.balai.id      jalan mulus aspal baru hitam   (public works, DPUPR; 2FA)"
	@echo "    supervisor kabid.pupr@demo.balai.id  jembatan batu kali kokoh sekali   (DPUPR; 2FA)"
	@echo "    citizen  warga@demo.balai.id     kereta api lewat tengah kota   (or NIK 3577010101900003)"
	@echo "  Complaints: http://127.0.0.1:$(PORT)/pengaduan   Open311: /open311/v2/discovery.json"
	@echo "  Register a new citizen at /daftar; with no SMTP configured the codes appear in the"
	@echo "  development outbox: http://127.0.0.1:$(PORT)/dev/kotak-keluar"
	@echo "  Stop with Ctrl+C. Data lives in ./$(DATA_DIR)/"
	@echo ""
	@BALAI_DATA_DIR=$(DATA_DIR) BALAI_SERVER_PORT=$(PORT) BALAI_NOTIFY_DEV_OUTBOX=true exec ./$(BUILD_DIR)/balai serve

# Every test: unit, integration (SQLite, and PostgreSQL when BALAI_TEST_PG is set), browser.
test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600

# The sanitizer build's unit and integration tests (CI runs it after `make test`); each binary
# runs whole, not one process per test (see scripts/run-sanitized-tests).
asan: deps
	@cmake --preset asan $(CMAKE_FLAGS) >/dev/null
	@cmake --build --preset asan -j $(JOBS) --target balai_unit_tests balai_integration_tests balai
	@./scripts/run-sanitized-tests build/asan $(JOBS)

bench: build
	@./bench/run

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	@rm -rf build
