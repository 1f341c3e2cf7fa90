# Warnings for our own targets only; third-party code is compiled as SYSTEM and without them.
function(waf_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
    $<$<BOOL:${WAF_WERROR}>:-Werror>)
endfunction()
