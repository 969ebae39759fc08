// The search page (/tim-kiem/): searches the Pagefind index built at the end
// of the build and lists the results. Loaded as a module (deferred) only on
// that page; without JavaScript the page offers the archive and categories.
//
// Pagefind folds tones and vowel marks ("hoi nghi" finds "Hội nghị") but
// treats "đ" as a letter of its own, so "duc" would not find "Đức". Each word
// typed with a leading "d" is therefore also searched with "đ", and the
// results of all variants are merged, best score first. A query typed with
// accents is searched as typed (Pagefind ranks exact accents first).

const PAGE_SIZE = 10;
const MAX_EXPANDED_WORDS = 4; // 2^4 = 16 searches at most
const RERANK = 30; // results re-ordered by phrase match (their text is loaded)

/** Query variants: the query as typed, then each leading d/D also as đ/Đ. */
export function variants(query) {
  const words = query.normalize("NFC").split(/\s+/).filter(Boolean);
  let result = [[]];
  let expanded = 0;
  for (const word of words) {
    const forms = [word];
    if (/^[dD]/.test(word) && expanded < MAX_EXPANDED_WORDS) {
      forms.push((word[0] === "D" ? "Đ" : "đ") + word.slice(1));
      expanded += 1;
    }
    result = result.flatMap((prefix) => forms.map((form) => [...prefix, form]));
  }
  return result.map((parts) => parts.join(" ")).filter(Boolean);
}

/** Lower-case words of ``text`` separated by single spaces. */
function words(text) {
  return text.normalize("NFC").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

/** ``words`` without tones and vowel marks, as Pagefind compares them; "đ"
 * stays a letter of its own: "Đảng ủy" -> "đang uy". */
function toneless(text) {
  return words(text.normalize("NFD").replace(/\p{M}+/gu, "")).normalize("NFC");
}

/** How many times ``phrase`` occurs in ``text`` as whole words (both as
 * made by ``words`` or ``toneless``). */
function phraseCount(text, phrase) {
  return ` ${text} `.split(` ${phrase} `).length - 1;
}

/** Whether every word of ``query`` begins a word of the result's text, tones
 * aside: how Pagefind matches a word ("nghi" finds "nghiệp") when the index
 * has it. */
async function contains(result, query) {
  const data = await result.data();
  const text = ` ${toneless(`${data.meta.title || ""} ${data.content}`)}`;
  return toneless(query).split(" ").every((word) => text.includes(` ${word}`));
}

/** Results of every variant, one per page, ranked: first the pages that
 * contain the query as typed as a phrase (tier 2), then those containing one
 * variant as a phrase, tones aside (tier 1), then the pages that only have
 * the words apart (tier 0). Within a tier, the page that has the phrase more
 * often comes first, then the higher Pagefind score. Pagefind scores words one
 * by one, so without this "chi thi 20" favours pages full of "2022", "duc
 * thuan" pages that say "giáo dục", and a name every page mentions once (the
 * ward's) ranks by chance instead of by how much a page is about it. Only the
 * first RERANK pages by score are re-ranked, since their text must be loaded.
 * ``engine.shards`` indexes are searched one by one (see load()). */
async function searchAll(engine, query, filters) {
  const pages = new Map(); // id -> { result, scores: Map(variant -> score) }
  const forms = variants(query);
  // Pagefind drops a word that no page of an index has and matches the rest
  // ("khúc" finds "khu"), so a variant's results from one index are all wrong
  // or all right: each shard is searched alone and its results are kept only
  // if its best one has every word.
  const shards = [...Array(engine.shards).keys()];
  const perShard = (shard) => (engine.shards > 1 ? { ...filters, shard: String(shard) } : filters);
  for (const variant of forms) {
    const found = await Promise.all(shards.map((shard) => engine.pagefind.search(variant, { filters: perShard(shard) })));
    const valid = await Promise.all(found.map((one) => one.results.length > 0 && contains(one.results[0], variant)));
    for (const result of found.filter((_, i) => valid[i]).flatMap((one) => one.results)) {
      const page = pages.get(result.id) || { result, scores: new Map() };
      page.scores.set(variant, result.score);
      pages.set(result.id, page);
    }
  }
  const best = (page, list) => Math.max(...list.map((v) => page.scores.get(v) ?? -Infinity));
  const ranked = [...pages.values()].sort((a, b) => best(b, forms) - best(a, forms));
  const typed = words(query);
  const head = await Promise.all(
    ranked.slice(0, RERANK).map(async (page) => {
      const data = await page.result.data();
      const text = `${data.meta.title || ""} ${data.content}`;
      const plain = toneless(text);
      const exact = phraseCount(words(text), typed);
      const counts = forms.map((v) => (page.scores.has(v) ? phraseCount(plain, toneless(v)) : 0));
      const phrases = forms.filter((_, i) => counts[i] > 0);
      const tier = exact ? 2 : phrases.length ? 1 : 0;
      const count = exact || Math.max(0, ...counts);
      return { data, tier, count, score: best(page, phrases.length ? phrases : forms) };
    }),
  );
  head.sort((a, b) => b.tier - a.tier || b.count - a.count || b.score - a.score);
  return [...head.map((entry) => ({ data: async () => entry.data })), ...ranked.slice(RERANK).map((page) => page.result)];
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

function renderResult(data) {
  const item = element("li", "search-result");
  const heading = element("h2", "search-result-title");
  const link = element("a", "", data.meta.title || data.url);
  link.href = data.url;
  heading.append(link);
  item.append(heading);
  const facts = [data.meta.date, data.meta.category].filter(Boolean);
  if (facts.length) item.append(element("p", "meta", facts.join(" · ")));
  const excerpt = element("p", "search-excerpt");
  // Pagefind escapes the page text and adds only <mark> around matches.
  excerpt.innerHTML = data.excerpt;
  item.append(excerpt);
  return item;
}

function setup(form) {
  const input = form.querySelector("input[name=q]");
  const select = form.querySelector("select");
  const status = document.getElementById("trang-thai-tim-kiem");
  const list = document.getElementById("ket-qua-tim-kiem");
  const more = document.getElementById("xem-them");
  const bundle = new URL(form.dataset.bundle, document.baseURI);
  for (const note of document.querySelectorAll(".search-nojs")) note.hidden = true;

  // One engine per page: the focus and the first search may both ask for it,
  // and merging the shards twice would list every result twice.
  let loading = null;
  function load() {
    loading ||= (async () => {
      // A large site's index is split into shards (plugins/search/shards.py);
      // shards.json lists the ones to merge into the main bundle. Each index
      // gets a "shard" filter of its own so that searchAll can ask one at a time.
      const [pagefind, listing] = await Promise.all([
        import(new URL("pagefind.js", bundle).href),
        fetch(new URL("shards.json", bundle)).then((response) => {
          if (!response.ok) throw new Error(`shards.json: ${response.status}`);
          return response.json();
        }),
      ]);
      // Result URLs are relative to the site's root, which may be a sub-folder.
      // pageLength 0: news reports here are of similar length, and a longer,
      // more thorough report should not rank lower for it.
      const options = { baseUrl: new URL("..", bundle).pathname, ranking: { pageLength: 0 } };
      await pagefind.options({ bundlePath: bundle.pathname, ...options });
      await pagefind.init();
      const shards = listing.shards.length + 1;
      if (shards > 1) {
        await pagefind.options({ mergeFilter: { shard: "0" } });
        await Promise.all(listing.shards.map((path, i) => pagefind.mergeIndex(
          new URL(path, bundle).pathname, { ...options, mergeFilter: { shard: String(i + 1) } })));
      }
      return { pagefind, shards };
    })().catch((error) => {
      loading = null; // let the next search try again
      throw error;
    });
    return loading;
  }

  let pending = [];
  let run = 0;

  async function showMore(current) {
    const batch = pending.splice(0, PAGE_SIZE);
    const loaded = await Promise.all(batch.map((result) => result.data()));
    if (current !== run) return;
    for (const data of loaded) list.append(renderResult(data));
    more.hidden = pending.length === 0;
  }

  async function search() {
    const query = input.value.trim();
    const category = select ? select.value : "";
    const params = new URLSearchParams();
    if (query) params.set("q", query);
    if (category) params.set("chuyen-muc", category);
    const address = params.toString();
    history.replaceState(null, "", address ? `?${address}` : location.pathname);
    const current = ++run;
    list.replaceChildren();
    more.hidden = true;
    if (!query) {
      status.textContent = "Nhập từ khóa để tìm tin bài.";
      return;
    }
    status.textContent = "Đang tìm…";
    try {
      const engine = await load();
      const filters = category ? { category } : {};
      const results = await searchAll(engine, query, filters);
      if (current !== run) return;
      const count = results.length;
      pending = results;
      await showMore(current);
      if (current !== run) return;
      // The status is announced once the first results are on the page.
      const where = category ? ` trong chuyên mục «${category}»` : "";
      status.textContent = count
        ? `Tìm thấy ${count.toLocaleString("vi-VN")} kết quả cho «${query}»${where}.`
        : `Không tìm thấy kết quả nào cho «${query}»${where}. Hãy thử từ khóa khác hoặc xem theo chuyên mục dưới đây.`;
    } catch (error) {
      status.textContent = "Không tải được bộ tìm kiếm. Vui lòng tải lại trang hoặc xem theo chuyên mục dưới đây.";
      throw error;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    search();
  });
  if (select) select.addEventListener("change", () => input.value.trim() && search());
  more.addEventListener("click", () => showMore(run));
  input.addEventListener("focus", () => load().catch(() => {}), { once: true });

  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  if (select) select.value = params.get("chuyen-muc") || "";
  if (input.value.trim()) search();
}

const form = document.getElementById("tim-kiem");
if (form) setup(form);
