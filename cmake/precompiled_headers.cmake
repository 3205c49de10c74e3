# Precompiled headers (KAAPPI_PCH, the asan preset): the three heaviest headers
# take 2-8 s each to compile in a sanitized build, and each is included by many
# files of one target. Not in the developer preset: ccache caches no file built
# with a precompiled header, and without them a missing #include still fails
# there. A file that defines a configuration macro before its #include
# (CATCH_CONFIG_RUNNER) is compiled without.
if(NOT KAAPPI_PCH)
  return()
endif()
target_precompile_headers(kaappi PRIVATE <CLI/CLI.hpp>)
if(BUILD_TESTING)
  target_precompile_headers(kaappi_unit_tests PRIVATE <catch2/catch.hpp>)
  target_precompile_headers(kaappi_e2e_tests PRIVATE <catch2/catch.hpp> <nlohmann/json.hpp>)
  set_source_files_properties(${PROJECT_SOURCE_DIR}/tests/unit/main.cpp ${PROJECT_SOURCE_DIR}/tests/e2e/main.cpp
    DIRECTORY ${PROJECT_SOURCE_DIR}/tests
    PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
endif()
