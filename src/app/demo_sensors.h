#pragma once
// `balai demo sensors`: the demo city's devices, simulated, publishing their readings over MQTT
// so that the live dashboard (/kota), the alerts and the history move while a demo runs.

#include "core/config.h"

namespace balai::app {

// Seeds the demo city (idempotent), registers one device per demo sensor the first time (their
// credentials kept in <data_dir>/demo-devices.json, 0600, so later runs reuse them), rewrites
// the broker's files, connects each device to sensors.mqtt_url and publishes every device's
// readings of the moment every `interval_s` seconds until SIGINT/SIGTERM, or `rounds` times
// when rounds > 0. Returns the exit code.
int run_demo_sensors(const core::Config& config, int interval_s, int rounds);

}  // namespace balai::app
