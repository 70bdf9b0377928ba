-- book.md as a small web site: one page per chapter (and one for the introduction, one for what
-- comes next), a table of contents down to sections, previous/next links, figures with their
-- captions, math as MathML, code highlighted; and the whole book on one page (book.html), which
-- the build prints to book.pdf.
--
--   pandoc book.md --from gfm+tex_math_dollars --lua-filter cmake/book_site.lua \
--          --metadata site_dir=OUT [--metadata pdf=false] [--metadata playground=false] \
--          -t html -o /dev/null
--
-- pdf=false: the build has no Chromium to print book.pdf, so the pages do not link to it.
-- playground=false: the build has no em++ for the playground's engine (common/web), so a
-- chapter page keeps the note that stands in its place on GitHub and in the printed book.
--
-- A playground is marked in book.md by a line <!--playground NAME--> (NAME: the data set it
-- opens on) followed by a block quote, the note that readers of book.md see. On a chapter page
-- both become the live playground: the chapter's own code, trained in the reader's browser.
--
-- The book is written so that GitHub shows it right too: display math in ```math blocks, inline
-- math that Markdown would alter as $`…`$. This filter reads both as math. The number markers
-- (<!--n …-->) that tie the book's numbers to the programs are dropped from the pages.

local site_dir = nil
local with_pdf = true
local with_playground = true
local missing_images = {}

local function read_file(path)
  local f = io.open(path, 'rb')
  if not f then return nil end
  local data = f:read('a')
  f:close()
  return data
end

local function write_file(path, data)
  local f = assert(io.open(path, 'wb'))
  f:write(data)
  f:close()
end

local function mkdir_for(path)
  local dir = path:match('^(.*)/[^/]*$')
  if dir then os.execute("mkdir -p '" .. dir:gsub("'", "'\\''") .. "'") end
end

-- Math, figures and markers, as GitHub's renderer and pandoc both should read them.
local math_filter = {
  CodeBlock = function(el)
    if el.classes[1] == 'math' then return pandoc.Para { pandoc.Math('DisplayMath', el.text) } end
  end,
  Math = function(el)
    -- $`x`$ read as math whose text keeps the backticks
    local inner = el.text:match('^`(.*)`$')
    if inner then return pandoc.Math(el.mathtype, inner) end
  end,
  Inlines = function(inlines)
    -- $`x`$, GitHub's inline math that Markdown leaves alone: pandoc reads it as a code span
    -- between two dollar signs
    local out = pandoc.List()
    local i = 1
    while i <= #inlines do
      local a, b, c = inlines[i], inlines[i + 1], inlines[i + 2]
      if c and a.t == 'Str' and a.text:sub(-1) == '$' and b.t == 'Code' and c.t == 'Str'
          and c.text:sub(1, 1) == '$' then
        if #a.text > 1 then out:insert(pandoc.Str(a.text:sub(1, -2))) end
        out:insert(pandoc.Math('InlineMath', b.text))
        if #c.text > 1 then out:insert(pandoc.Str(c.text:sub(2))) end
        i = i + 3
      else
        out:insert(a)
        i = i + 1
      end
    end
    return out
  end,
  RawInline = function(el)
    if el.format == 'html' and (el.text:match('^<!%-%-n ') or el.text == '<!--/n-->') then
      return {}
    end
  end,
  Para = function(el)
    -- an image alone in its paragraph is a figure, its alt text the caption
    if #el.content == 1 and el.content[1].t == 'Image' then
      local image = el.content[1]
      image.title = 'fig:' .. image.title
      return pandoc.Para { image }
    end
  end,
}

-- Math as MathML; code highlighted in pandoc's style (--highlight-style, pygments by default).
local function writer_options()
  return { html_math_method = { method = 'mathml' }, section_divs = false,
    highlight_style = PANDOC_WRITER_OPTIONS.highlight_style }
end

local function html(blocks)
  return pandoc.write(pandoc.Pandoc(blocks), 'html5', writer_options())
end

-- A heading's text as HTML (its math as MathML) and as plain text (for the window's title).
local function inline_html(inlines)
  local options = writer_options()
  options.wrap_text = 'wrap-none'
  return pandoc.write(pandoc.Pandoc { pandoc.Plain(inlines) }, 'html5', options)
end

local function plain_text(inlines)
  local text = pandoc.write(pandoc.Pandoc { pandoc.Plain(inlines) }, 'plain',
    { wrap_text = 'wrap-none' })
  return (text:gsub('%s+$', ''))
end

-- The style sheet of that highlighting, as pandoc's own standalone pages carry it.
local highlighting = nil
local function highlighting_css()
  if highlighting then return highlighting end
  local sample = pandoc.Pandoc { pandoc.CodeBlock('int x;', pandoc.Attr('', { 'cpp' })) }
  local options = writer_options()
  options.template = pandoc.template.compile('$highlighting-css$')
  options.variables = { pagetitle = 'code' }
  highlighting = pandoc.write(sample, 'html5', options)
  return highlighting
end

local function escape(text)
  return (text:gsub('&', '&amp;'):gsub('<', '&lt;'):gsub('>', '&gt;'))
end

-- The pages: the blocks before the first level-2 heading, then one page per level-2 heading.
-- A page knows its heading's id, its title (plain text) and its label (HTML, for links).
local function split_pages(blocks)
  local pages = { { file = 'index.html', blocks = pandoc.List() } }
  for _, block in ipairs(blocks) do
    if block.t == 'Header' and block.level == 2 then
      local number = pandoc.utils.stringify(block):match('^Chapter (%d+)')
      local file = number and string.format('chapter-%02d.html', tonumber(number))
        or (block.identifier .. '.html')
      table.insert(pages, { file = file, heading = block, blocks = pandoc.List { block } })
    else
      if block.t == 'Header' and block.level == 1 and not pages[1].heading then
        pages[1].heading = block
      end
      pages[#pages].blocks:insert(block)
    end
  end
  for _, page in ipairs(pages) do
    local heading = page.heading or pandoc.Header(1, 'Contents')
    page.id = heading.identifier
    page.title = plain_text(heading.content)
    page.label = inline_html(heading.content)
  end
  return pages
end

-- A page's opening: its heading, and on the first page the paragraph after it. The opening
-- and the rest, as two lists.
local function split_opening(page, first)
  local n = 1
  if first then
    while n < #page.blocks and page.blocks[n].t ~= 'Para' do n = n + 1 end
  end
  local opening, rest = pandoc.List(), pandoc.List()
  for k, block in ipairs(page.blocks) do
    if k <= n then opening:insert(block) else rest:insert(block) end
  end
  return opening, rest
end

-- Where a page, or a section `id` of it, is: in the site, or on one page (the printed book,
-- and a chapter's own list of its sections).
local function in_site(page, id) return page.file .. (id and ('#' .. id) or '') end
local function on_one_page(page, id) return '#' .. (id or page.id) end

-- The sections (level 3) of a page, as links.
local function sections(page, link)
  local items = {}
  for _, block in ipairs(page.blocks) do
    if block.t == 'Header' and block.level == 3 then
      table.insert(items, string.format('<li><a href="%s">%s</a></li>',
        link(page, block.identifier), inline_html(block.content)))
    end
  end
  if #items == 0 then return '' end
  return '<ul>' .. table.concat(items, '\n') .. '</ul>'
end

-- Every page with its sections; in the side bar (`current` given) only the current page's.
local function contents_list(pages, link, current)
  local items = {}
  for i, page in ipairs(pages) do
    table.insert(items, string.format('<li%s><a href="%s">%s</a>\n%s</li>',
      i == current and ' class="here"' or '', link(page), i == 1 and 'Introduction' or page.label,
      (current == nil or i == current) and sections(page, link) or ''))
  end
  return '<ul>' .. table.concat(items, '\n') .. '</ul>'
end

local function contents(pages, link)
  return '<nav class="contents" id="contents"><h2>Contents</h2>' .. contents_list(pages, link) ..
    '</nav>'
end

local function sidebar(pages, i)
  return '<nav class="sidebar"><p class="book"><a href="index.html">' .. pages[1].label ..
    '</a></p>' .. contents_list(pages, in_site, i) .. '</nav>'
end

local function navigation(pages, i)
  local links = {}
  if i > 1 then
    table.insert(links, string.format('<a rel="prev" href="%s">← %s</a>', pages[i - 1].file,
      pages[i - 1].label))
  end
  table.insert(links, '<a href="index.html#contents">Contents</a>')
  if i < #pages then
    table.insert(links, string.format('<a rel="next" href="%s">%s →</a>', pages[i + 1].file,
      pages[i + 1].label))
  end
  return '<nav class="pager">' .. table.concat(links, ' · ') .. '</nav>'
end

local style = [[
body { font-family: "DejaVu Serif", Georgia, serif; line-height: 1.5; margin: 0; color: #222; }
main { max-width: 110ch; margin: 0 auto; padding: 1em 2em; }
pre { font-family: "DejaVu Sans Mono", monospace; font-size: 0.85em; background: #f6f8fa;
      padding: 0.6em 0.8em; overflow-x: auto; white-space: pre; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 0.9em; }
figure { margin: 1.5em 0; text-align: center; }
figure img { max-width: 100%; }
figcaption { font-style: italic; font-size: 0.95em; }
table { border-collapse: collapse; margin: 1em 0; display: block; width: max-content;
        max-width: 100%; overflow-x: auto; overflow-y: hidden; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; }
nav.pager { margin: 1em 0; padding: 0.5em 0; border-top: 1px solid #ddd;
            border-bottom: 1px solid #ddd; }
nav.toc ul, nav.contents ul { font-size: 0.95em; }
nav.contents > ul { list-style: none; padding-left: 0; }
nav.contents > ul > li { margin: 0 0 1.2em; break-inside: avoid; }
@media screen { nav.contents > ul { columns: 2 24em; } }
nav.sidebar { display: none; }
@media screen and (min-width: 70em) {
  nav.sidebar { display: block; position: fixed; top: 0; bottom: 0; left: 0; width: 17rem;
                box-sizing: border-box; overflow-y: auto; padding: 1em; font-size: 0.85em;
                line-height: 1.35; background: #f7f7f5; border-right: 1px solid #ddd; }
  main { margin-left: 18rem; }
  nav.toc { display: none; }  /* the side bar lists the sections */
}
nav.sidebar p.book { font-weight: bold; margin-top: 0; }
nav.sidebar ul { list-style: none; padding-left: 0; margin: 0; }
nav.sidebar ul ul { padding-left: 1em; margin: 0.3em 0 0.5em; }
nav.sidebar li { margin: 0.3em 0; }
nav.sidebar li.here > a { font-weight: bold; }
nav.sidebar a { text-decoration: none; }
blockquote { border-left: 4px solid #ddd; margin-left: 0; padding-left: 1em; color: #444; }
details { background: #f9f9f4; padding: 0.3em 0.8em; margin: 0.5em 0 1em; }
/* a math font stretches brackets, braces and sums (Debian: fonts-dejavu-extra) */
math { font-family: "DejaVu Math TeX Gyre", "STIX Two Math", math; }
math[display="block"] { margin: 0.8em 0; overflow-x: auto; overflow-y: hidden; }
/* on paper (book.pdf is book.html printed): A4, each chapter on a new page, code wrapped; the
   one-page book is as wide as the paper's text on screen too, so that what is too wide for
   the page can be shrunk to fit before it is printed */
@page { size: A4; margin: 16mm 15mm 18mm;
  @bottom-center { content: counter(page) " / " counter(pages); font: 9pt "DejaVu Sans", sans-serif; color: #555; } }
main.book { width: 180mm; max-width: none; padding: 1em 0; font-size: 10pt; }
@media print {
  main { max-width: none; margin: 0; padding: 0; }
  main.book { padding: 0; }
  nav.sidebar, nav.pager { display: none; }
  main.book > h2, nav.contents { break-before: page; }
  h2, h3, h4 { break-after: avoid; }
  pre, figure, tr, math[display="block"] { break-inside: avoid; }
  pre { font-size: 0.8em; white-space: pre-wrap; }
  table, math[display="block"] { overflow: visible; }
  figure img { max-height: 10cm; }
  a { color: inherit; text-decoration: none; }
  pre, details { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
]]

-- Copies every image a page shows into the site, keeping its path; notes the missing ones.
local function copy_images(blocks)
  pandoc.walk_block(pandoc.Div(blocks), {
    Image = function(image)
      local data = read_file(image.src)
      if data then
        mkdir_for(site_dir .. '/' .. image.src)
        write_file(site_dir .. '/' .. image.src, data)
      else
        table.insert(missing_images, image.src)
      end
    end,
  })
end

local function document(title, parts)
  return table.concat({
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    -- no icon: a static server would answer the browser's /favicon.ico with a 404 (a console
    -- error on every page)
    '<link rel="icon" href="data:,">',
    '<title>' .. escape(title) .. '</title>',
    '<style>\n' .. style .. highlighting_css() .. '</style>\n</head>\n<body>',
    table.concat(parts, '\n'),
    '</body>\n</html>\n' }, '\n')
end

-- A page: the side bar, then its opening; the first page shows the book's contents next, a
-- chapter its sections; then the rest of the page.
-- The live playground, in place of a <!--playground NAME--> marker and the note after it; the
-- engine and the scripts are copied into the site's playground/ folder by the build.
local function playground_html(name)
  return table.concat({
    '<link rel="stylesheet" href="playground/playground.css">',
    string.format('<div class="playground" data-data="%s"></div>', escape(name)),
    '<script src="playground/engine.js"></script>',
    '<script src="playground/draw.js"></script>',
    '<script src="playground/playground.js"></script>' }, '\n')
end

local function playground_name(block)
  return block.t == 'RawBlock' and block.format == 'html'
    and block.text:match('^<!%-%-playground ([%w_-]+)%-%->%s*$')
end

-- A page's blocks with each playground marker and its note made live (with_playground), or the
-- markers dropped and the notes kept.
local function with_playgrounds(blocks)
  local out, skip = pandoc.List(), false
  for k, block in ipairs(blocks) do
    local name = playground_name(block)
    if name and with_playground then
      out:insert(pandoc.RawBlock('html', playground_html(name)))
      skip = blocks[k + 1] and blocks[k + 1].t == 'BlockQuote'
    elseif not name and not skip then
      out:insert(block)
    else
      skip = false
    end
  end
  return out
end

local function page_html(pages, i)
  local opening, rest = split_opening(pages[i], i == 1)
  rest = with_playgrounds(rest)
  local list = i == 1 and (contents(pages, in_site) .. '<p class="whole">The whole book: ' ..
      '<a href="book.html">on one page</a>' ..
      (with_pdf and ', <a href="book.pdf">as PDF</a>' or '') .. '.</p>')
    or ('<nav class="toc">' .. sections(pages[i], on_one_page) .. '</nav>')
  return document(pages[i].title, { sidebar(pages, i), '<main>', navigation(pages, i),
    html(opening), list, html(rest), navigation(pages, i), '</main>' })
end

-- Paper does not scroll: a formula or table wider than the text is shrunk to fit it.
local shrink_to_fit = [[
<script>
for (const wide of document.querySelectorAll('table, math[display="block"]')) {
  const room = wide.parentElement.clientWidth, width = wide.scrollWidth;
  if (width <= room) continue;
  wide.style.maxWidth = 'none';
  wide.style.zoom = room / width;
}
</script>]]

-- The whole book on one page, what book.pdf is printed from: the opening, the contents, then
-- every page; the exercises' answers open.
local function book_html(pages)
  local opening, rest = split_opening(pages[1], true)
  for i = 2, #pages do rest:extend(pages[i].blocks) end
  rest = rest:filter(function(block) return not playground_name(block) end)
  local body = html(rest):gsub('<details>', '<details open>')
  return document(pages[1].title, { '<main class="book">', html(opening),
    contents(pages, on_one_page), body, '</main>', shrink_to_fit })
end

function Pandoc(doc)
  site_dir = doc.meta.site_dir and pandoc.utils.stringify(doc.meta.site_dir)
  with_pdf = not (doc.meta.pdf and pandoc.utils.stringify(doc.meta.pdf) == 'false')
  with_playground = not (doc.meta.playground and
    pandoc.utils.stringify(doc.meta.playground) == 'false')
  if not site_dir then error('book_site.lua: pass --metadata site_dir=FOLDER') end
  doc = doc:walk(math_filter)
  local pages = split_pages(doc.blocks)
  os.execute("mkdir -p '" .. site_dir:gsub("'", "'\\''") .. "'")
  for i = 1, #pages do
    copy_images(pages[i].blocks)
    write_file(site_dir .. '/' .. pages[i].file, page_html(pages, i))
  end
  write_file(site_dir .. '/book.html', book_html(pages))
  if #missing_images > 0 then
    error('book_site.lua: images not found: ' .. table.concat(missing_images, ', '))
  end
  io.stderr:write(string.format('book: %d pages in %s/index.html\n', #pages, site_dir))
  return pandoc.Pandoc({})  -- the pages are the output
end
