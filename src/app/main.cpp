#include "app/commands.h"

int main(int argc, char** argv) {
  return balai::app::run_cli(argc, argv);
}
