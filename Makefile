# GenuScreen. `make run` and `make test` set everything up first (see scripts/setup.sh).
SHELL := /bin/bash
VENV := .venv/bin
OUT ?= out
SAMPLE := resources/sample/sample_walk.mp4
# Tests never need a display; Qt draws offscreen.
TEST_ENV := QT_QPA_PLATFORM=offscreen

.PHONY: setup run gui dist test test-slow bench bench-synth bench-model bench-screen bench-startup bench-gui screenshots eval-explanations eval-end-to-end eval-front-ends weights ablation sample synth-sheet synth-school-sheet report-examples clean

setup:
	@bash scripts/setup.sh

# The main job, headless: screen the bundled sample recording; result JSON, overlay video, quality
# report and contact sheet in $(OUT)/.
run: setup
	@mkdir -p $(OUT)
	$(VENV)/genuscreen screen $(SAMPLE) --age 8 --json $(OUT)/sample_result.json --overlay $(OUT)/sample_overlay.mp4 \
		--report $(OUT)/sample_report.pdf
	$(VENV)/genuscreen inspect $(SAMPLE) --json $(OUT)/sample_inspect.json --sheet $(OUT)/sample_sheet.png

# The desktop application (needs a display).
gui: setup
	$(VENV)/genuscreen-gui

# The desktop application without Python (installer/README.md): dist/genuscreen/ with the
# executables genuscreen and genuscreen-gui, and dist/genuscreen-<version>-linux-<arch>.tar.gz.
dist: setup
	bash installer/build_linux.sh

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

bench-screen: setup
	$(VENV)/python benchmarks/bench_screen.py

# A new `genuscreen screen` process on the sample, cold and warm graph cache; writes benchmarks/RESULTS-startup.md.
bench-startup: setup
	$(VENV)/python benchmarks/bench_startup.py

# Event-loop lag of the desktop window while it analyses the sample clip; writes benchmarks/RESULTS-gui.md.
bench-gui: setup
	$(TEST_ENV) $(VENV)/python benchmarks/bench_gui_responsiveness.py

# The README's screenshots of the desktop application, taken on a virtual display.
screenshots: setup
	xvfb-run -a -s "-screen 0 1600x1000x24" $(VENV)/python scripts/screenshots.py

eval-explanations: setup
	$(VENV)/python benchmarks/eval_explanations.py

# The shipped weights from scratch: train, evaluate (metrics into the card), copy into weights/;
# then `make eval-end-to-end` adds the error on validation videos that sizes the angle interval.
weights: setup
	$(VENV)/genuscreen train --config weights/gaitnet-synthetic.train.json --out runs/weights --cache runs/cache --quiet
	cp runs/weights/model.pt weights/gaitnet-synthetic.pt
	cp runs/weights/model.json weights/gaitnet-synthetic.json
	$(VENV)/genuscreen evaluate --weights weights/gaitnet-synthetic.pt --out docs/evaluation --cache runs/cache --update-card

# The shipped weights end to end: the synthetic test children rendered as RGB videos (same seed
# as the card's test set) and read through the full video pipeline; other children (seed 303)
# rendered the same way are the validation videos whose angle error goes into the card.
eval-end-to-end: setup
	$(VENV)/genuscreen synth --out runs/e2e --n 400 --seed 202 --borderline 40 --varus --workers 2 --overwrite
	$(VENV)/genuscreen synth --out runs/e2e_val --n 150 --seed 303 --borderline 15 --varus --workers 2 --overwrite
	$(VENV)/genuscreen evaluate --weights weights/gaitnet-synthetic.pt --data runs/e2e --validation-videos runs/e2e_val \
		--out docs/evaluation/end_to_end --cache runs/cache --update-card

# Both front ends (pose, background), the model and the geometric baseline on the same rendered
# videos, clean and school tiers (fixed seeds); writes docs/evaluation/front_ends/.
eval-front-ends: setup
	$(VENV)/python scripts/compare_front_ends.py --runs runs --out docs/evaluation/front_ends

ablation: setup
	$(VENV)/genuscreen ablate --config docs/ablation/config.json --out docs/ablation --runs runs/ablation --cache runs/cache

synth-sheet: setup
	$(VENV)/python -m genuscreen.synth.sheet docs/synth_contact_sheet.png

# Frames of school-tier clips (hand-held camera, bystanders, blur, flicker, low light, compression).
synth-school-sheet: setup
	$(VENV)/python -m genuscreen.synth.sheet --tier school docs/synth_school_sheet.png

# Example report pages in docs/report/ (synthetic children screened by the shipped model).
report-examples: setup
	$(VENV)/python scripts/report_examples.py

sample: setup
	$(VENV)/python resources/sample/make_sample.py

clean:
	rm -rf $(OUT) .pytest_cache build dist
