# GenuScreen. `make run` and `make test` set everything up first (see scripts/setup.sh).
SHELL := /bin/bash
VENV := .venv/bin
OUT ?= out
SAMPLE := resources/sample/sample_walk.mp4
# Tests never need a display; Qt draws offscreen.
TEST_ENV := QT_QPA_PLATFORM=offscreen

.PHONY: setup run gui test test-slow bench bench-synth bench-model sample synth-sheet clean

setup:
	@bash scripts/setup.sh

# The main job, headless: check the bundled sample recording; JSON report and contact sheet in $(OUT)/.
run: setup
	@mkdir -p $(OUT)
	$(VENV)/genuscreen inspect $(SAMPLE) --json $(OUT)/sample_inspect.json --sheet $(OUT)/sample_sheet.png

# The desktop application (needs a display).
gui: setup
	$(VENV)/genuscreen-gui

test: setup
	$(TEST_ENV) $(VENV)/python -m pytest -m "not slow" -q

test-slow: setup
	$(TEST_ENV) $(VENV)/python -m pytest -m slow -q

bench: setup
	$(VENV)/python benchmarks/bench_video.py

bench-synth: setup
	$(VENV)/python benchmarks/bench_synth.py

bench-model: setup
	$(VENV)/python benchmarks/bench_model.py

synth-sheet: setup
	$(VENV)/python -m genuscreen.synth.sheet docs/synth_contact_sheet.png

sample: setup
	$(VENV)/python resources/sample/make_sample.py

clean:
	rm -rf $(OUT) .pytest_cache
