# book.pdf: headless Chromium prints the one-page book (book.html, written by book_site.lua).
#   cmake -DCHROMIUM=chromium -DHTML=build/book/book.html -DPDF=build/book/book.pdf \
#         -P cmake/book_pdf.cmake
file(REMOVE ${PDF})
execute_process(
  COMMAND ${CHROMIUM} --headless --no-sandbox --disable-gpu --no-pdf-header-footer
          --generate-pdf-document-outline --print-to-pdf=${PDF} file://${HTML}
  OUTPUT_VARIABLE log ERROR_VARIABLE log RESULT_VARIABLE status TIMEOUT 300)
# Chromium's own messages (D-Bus, GPU) are noise unless it printed nothing.
if(NOT status EQUAL 0 OR NOT EXISTS ${PDF})
  message(FATAL_ERROR "book: chromium printed no ${PDF} (exit status ${status}):\n${log}")
endif()
file(SIZE ${PDF} bytes)
math(EXPR megabytes "(${bytes} + 524288) / 1048576")
message("book: ${PDF} (${megabytes} MB)")
