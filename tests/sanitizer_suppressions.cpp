// LeakSanitizer suppressions for the test binaries of the sanitizer build (make asan), for
// third-party code only. Read by LeakSanitizer at exit; an unused symbol in other builds.
//
// libmodsecurity 3.0.9 does not free its flex scanner buffer when a rule file fails to parse
// (Waf.FailsNamingTheFileAndLineOfABrokenRule): two allocations per failed load.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:yy_scan_buffer\n"
         "leak:yy_scan_bytes\n";
}
