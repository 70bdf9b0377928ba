# native.json for the browser test: what the native chapter 2 program prints at its defaults
# (tests/expected/ch02_shallow_tanh.json, which test_ch02_shallow_tanh holds the program to):
# the cost at iterations 0 and 1000, and the accuracy of one hidden unit after the study's
# iterations; with the kernels' spread of those costs (tests/expected/spread) and the tests' one
# tolerance rule (tests/tolerance.json), by which the page holds its costs as the other tests do.
# Usage: cmake -DEXPECTED=…/ch02_shallow_tanh.json -DSPREAD=…/spread/ch02_shallow_tanh.json
#              -DRULE=…/tolerance.json -DOUT=…/native.json -P native.cmake
file(READ ${EXPECTED} expected)
file(READ ${SPREAD} spread)
file(READ ${RULE} rule)
string(JSON spread_0 GET "${spread}" spread /costs/0)
string(JSON spread_1000 GET "${spread}" spread /costs/1)
string(JSON factor GET "${rule}" factor)
string(JSON floor GET "${rule}" floor)
string(JSON cost_0 GET "${expected}" costs 0)
string(JSON cost_1000 GET "${expected}" costs 1)
string(JSON study_iterations GET "${expected}" study_iterations)
string(JSON sizes LENGTH "${expected}" hidden_size_study)
math(EXPR last "${sizes} - 1")
foreach(k RANGE ${last})
  string(JSON units GET "${expected}" hidden_size_study ${k} hidden_units)
  if(units EQUAL 1)
    string(JSON one_unit GET "${expected}" hidden_size_study ${k} accuracy)
  endif()
endforeach()
if(NOT DEFINED one_unit)
  message(FATAL_ERROR "native.cmake: ${EXPECTED} has no study network with one hidden unit")
endif()
# One unit's accuracy is a claim, not digits: the page stops its run some iterations past the
# study's (it is paused by the test, not at an iteration count), and one unit's accuracy there
# stays at the study's level within 2 points (the book: one unit is hardly more than one neuron).
file(WRITE ${OUT} "{\"costs\": {\"0\": ${cost_0}, \"1000\": ${cost_1000}},\n"
  " \"spread\": {\"0\": ${spread_0}, \"1000\": ${spread_1000}},\n"
  " \"rule\": {\"factor\": ${factor}, \"floor\": ${floor}},\n"
  " \"one_unit\": {\"iterations\": ${study_iterations}, \"accuracy\": ${one_unit}, "
  "\"tolerance\": 2}}\n")
