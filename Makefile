# The ward portal. `make help` lists the targets; README.md documents them.
PYTHON3 ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PELICAN := $(PY) tools/run_pelican.py
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

INPUTDIR ?= content
OUTPUTDIR ?= output
CONFFILE ?= pelicanconf.py
PUBLISHCONF ?= publishconf.py
PORT ?= 8000
COMMENTS_PORT ?= 8710
PELICANOPTS ?= --log-handler plain
PYTEST_ARGS ?=
# Access logs for the statistics plugin (make html/stats ACCESS_LOGS="/var/log/nginx/access.log*")
export ACCESS_LOGS
DEPLOY_TARGET ?=
DEPLOY_SSH ?= ssh
PUBLISHOPTS ?=
TITLE ?=
CATEGORY ?=
N ?= 1000
REPEAT ?= 3

.DEFAULT_GOAL := help
.PHONY: help html serve devserver check test lint clean
.PHONY: bench-images bench-search
.PHONY: stats bench-stats
.PHONY: comments comments-service
.PHONY: publish rollback newpost fix
.PHONY: bench

help: ## List the targets with one line each
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-zA-Z_-]*:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): requirements.txt tools/debian-packages.txt
	bash tools/install-debian-packages.sh  # first: PyICU compiles against libicu-dev
	$(PYTHON3) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# npm packages (axe-core, vnu-jar, leaflet for the map page): pinned in package-lock.json; install
# scripts are skipped (vnu-jar's would download a Java; Debian's is used).
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

html: $(STAMP) $(NODE_STAMP) ## Set up .venv on first use, then build the site into $(OUTPUTDIR)/
	$(PELICAN) $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) $(PELICANOPTS)

serve: $(STAMP) $(NODE_STAMP) ## Build if needed, then serve $(OUTPUTDIR)/ on http://localhost:$(PORT)
	@[ -f $(OUTPUTDIR)/index.html ] || $(MAKE) --no-print-directory html
	$(PELICAN) -l -p $(PORT) -s $(CONFFILE) -o $(OUTPUTDIR)

devserver: $(STAMP) $(NODE_STAMP) ## Rebuild on every change in content/, theme/, plugins/ and serve
	$(PY) tools/devserver.py --input $(INPUTDIR) --output $(OUTPUTDIR) --settings $(CONFFILE) --port $(PORT)

check: $(STAMP) $(NODE_STAMP) ## Strict build into a temporary folder plus content checks (the editor's "is my post right?")
	@tmp=$$(mktemp -d); \
	IMAGES_SEED_CACHE_DIR="$${IMAGES_CACHE_DIR:-$(CURDIR)/cache/images}" IMAGES_CACHE_DIR= \
	STATS_DATABASE="$$tmp/stats.sqlite3" \
	PYTHONDONTWRITEBYTECODE=1 $(PELICAN) $(INPUTDIR) -o "$$tmp/output" -s $(CONFFILE) \
	  -e STRICT_BUILD=true 'CACHE_PATH="'"$$tmp/cache"'"' $(PELICANOPTS); \
	status=$$?; rm -rf "$$tmp"; \
	if [ $$status -eq 0 ]; then echo "check: không có lỗi nội dung."; fi; exit $$status

stats: $(STAMP) ## Read new access-log lines (ACCESS_LOGS="...") and rewrite only the statistics outputs
	PYTHONPATH=plugins $(PY) -m stats.cli --settings $(CONFFILE) --output $(OUTPUTDIR)

publish: $(STAMP) ## Strict build + checks + .gz/.br, then atomic deploy to DEPLOY_TARGET (folder or user@host:folder)
	$(PY) tools/publish.py publish --target "$(DEPLOY_TARGET)" --ssh "$(DEPLOY_SSH)" \
	  --input $(INPUTDIR) --conf $(PUBLISHCONF) $(PUBLISHOPTS)

rollback: $(STAMP) ## Switch DEPLOY_TARGET's current release back to the previous one
	$(PY) tools/publish.py rollback --target "$(DEPLOY_TARGET)" --ssh "$(DEPLOY_SSH)" --conf $(PUBLISHCONF)

newpost: $(STAMP) ## New article: make newpost TITLE="Tiêu đề" CATEGORY="Tin tức - Sự kiện"; prints its path
	@$(PY) tools/newpost.py --title "$(TITLE)" --category "$(CATEGORY)" --content $(INPUTDIR) --conf $(CONFFILE)

fix: $(STAMP) ## Normalise the Markdown files under INPUTDIR to Unicode NFC in place
	@$(PY) tools/fix_text.py $(INPUTDIR)

lint: $(STAMP) ## Run ruff on the Python code
	$(VENV)/bin/ruff check .

test: $(STAMP) ## Install what the tests need, then run ruff and pytest
	bash tools/install-debian-packages.sh
	$(MAKE) --no-print-directory $(NODE_STAMP)
	$(VENV)/bin/ruff check .
	$(PY) -m pytest $(PYTEST_ARGS)

bench-stats: $(STAMP) ## Print lines/s of a cold ingest of 1,000,000 log lines, an incremental run, and GoAccess's time
	$(PY) bench/stats.py

bench-images: $(STAMP) ## Print images/s for 100 camera-size photos: cold 1 worker, cold all cores, warm
	$(PY) bench/images.py
bench-search: $(STAMP) ## Print what a phone downloads for a first search: the sharded index of SITE against one bundle
	$(PY) bench/search_weight.py $(SITE)
bench: $(STAMP) ## Time the portal against plain Pelican on N generated articles (N=1000 REPEAT=3)
	$(PY) bench/build.py -n $(N) --repeat $(REPEAT)

comments: $(STAMP) ## List pending comments; APPROVE=<id> or REJECT=<id> decides one
	$(PY) -m services.comments.moderate --content $(INPUTDIR) $(if $(APPROVE),--approve $(APPROVE)) $(if $(REJECT),--reject $(REJECT))

comments-service: $(STAMP) ## Run the comments intake service on 127.0.0.1:$(COMMENTS_PORT) (for development)
	$(PY) -m uvicorn --factory services.comments.app:create_app --host 127.0.0.1 --port $(COMMENTS_PORT) --no-access-log

clean: ## Remove build outputs (output/, caches); keeps .venv and var/
	rm -rf $(OUTPUTDIR) cache .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -not -path './$(VENV)/*' -exec rm -rf {} +
