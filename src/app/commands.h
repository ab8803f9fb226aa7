#pragma once
// The command line: balai serve | migrate | config check | demo seed | version.

namespace balai::app {

// Parses argv and runs the command; returns the process exit code.
int run_cli(int argc, char** argv);

}  // namespace balai::app
